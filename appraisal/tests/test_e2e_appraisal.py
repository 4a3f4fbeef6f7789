"""The appraisal in Chromium, in the Chinese UI: a supervisor evaluates a shift and imports a survey file (a bad
row rejected, fixed, imported); the manager opens the month, drills into one agent, finalises and exports; an
agent sees only their own scores and disputes them."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from appraisal import services
from appraisal.models import DailyEvaluation, ScoreResponse, SurveyResult
from appraisal.tests.factories import survey
from dutydesk.models import Role
from testdata import evaluate, make_person, on_duty, weekends

pytestmark = pytest.mark.browser
OCT = date(2026, 10, 1)


@pytest.fixture
def october(team, agent, supervisor):
    colleague = make_person(Role.AGENT, team, username="colleague", name="赵敏").profile
    shifts = on_duty(team, [agent.profile, colleague], weekends(OCT, 2))
    evaluate(shifts[0], agent.profile, supervisor.profile, (4, 4, 4, 4, 4), comment="回复及时")
    evaluate(shifts[0], colleague, supervisor.profile, (5, 5, 5, 5, 5), comment="客户点名表扬")
    survey(team, agent.profile, shifts[0].date, 5)
    survey(team, colleague, shifts[0].date, 5)
    return services.compute_appraisal(team=team, month=OCT)


def upload(page, name: str, text: str):
    page.locator("#id_file").set_input_files({"name": name, "mimeType": "text/csv", "buffer": text.encode()})
    page.get_by_test_id("preview").click()


def test_supervisor_evaluates_a_shift_and_imports_a_survey_file(page, login, team, agent, supervisor):
    on_duty(team, [agent.profile], [date(2026, 10, 3)])
    login(supervisor)
    page.goto(f"/appraisal/{team.slug}/evaluations/")
    page.get_by_test_id("queue-item").first.click()
    expect(page.get_by_test_id("evaluate-heading")).to_contain_text("张伟")
    expect(page.get_by_test_id("shift-card")).to_contain_text("2026-10-03")
    for name, value in (("inquiry", 5), ("complaint", 4), ("business", 4), ("records", 3), ("attitude", 5)):
        page.locator(f"input[name={name}][value='{value}']").check()
    page.locator("#id_comment").fill("咨询解答耐心，记录略简")
    page.get_by_test_id("save-evaluation").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存对 张伟 的考核")
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    assert list(DailyEvaluation.objects.values_list("inquiry", "records", "comment")) == [
        (5, 3, "咨询解答耐心，记录略简")
    ]

    page.goto(f"/appraisal/{team.slug}/surveys/")
    upload(page, "十月回访.csv", "客服,日期,评分\nagent,2026-10-03,5\n李雷,2026-10-03,4\n")
    expect(page.get_by_test_id("bad-row")).to_have_count(1)
    expect(page.get_by_test_id("bad-row")).to_contain_text("本组没有名为“李雷”的客服。")
    expect(page.get_by_test_id("import")).to_have_count(0)
    assert SurveyResult.objects.count() == 0

    upload(page, "十月回访.csv", "客服,日期,评分\nagent,2026-10-03,5\n张伟,2026-10-03,2\n")
    expect(page.get_by_test_id("bad-row")).to_have_count(0)
    page.get_by_test_id("import").click()
    expect(page.locator(".alert-success")).to_contain_text("已导入 2 条满意度调查结果")
    expect(page.get_by_test_id("imports")).to_contain_text("十月回访.csv")
    assert sorted(SurveyResult.objects.values_list("score", "satisfied")) == [(2, False), (5, True)]


def test_manager_opens_month_drills_into_agent_finalises_and_exports(page, login, team, agent, manager, october):
    login(manager)
    page.goto(f"/appraisal/{team.slug}/")
    page.get_by_test_id("month-2026-10").click()
    expect(page.get_by_test_id("month-heading")).to_contain_text("2026-10")
    expect(page.get_by_test_id("score-row")).to_have_count(2)
    expect(page.get_by_test_id("excellent-agents")).to_contain_text("赵敏")
    expect(page.locator("#band-chart")).to_be_visible()

    page.get_by_test_id("person-agent").click()
    expect(page.get_by_test_id("person-heading")).to_contain_text("张伟")
    expect(page.get_by_test_id("composite")).to_have_text("92.3")
    expect(page.get_by_test_id("evaluations")).to_contain_text("回复及时")
    expect(page.get_by_test_id("metric-satisfaction")).to_contain_text("1 份问卷中 1 份满意")
    page.go_back()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("finalise").click()
    expect(page.get_by_test_id("appraisal-status")).to_have_text("已定稿")
    expect(page.get_by_test_id("finalise")).to_have_count(0)

    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename == "appraisal-team-east-2026-10.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    assert [(row[0], row[1], row[9]) for row in sheet.iter_rows(min_row=3, values_only=True)] == [
        (1, "赵敏", 100),
        (2, "张伟", 92.3),
    ]


def test_agent_sees_only_own_scores_and_disputes(page, login, team, agent, october):
    login(agent)
    page.goto("/appraisal/mine/2026-10/")
    expect(page.get_by_test_id("mine-heading")).to_contain_text("2026-10")
    expect(page.get_by_test_id("composite")).to_have_text("92.3")
    expect(page.get_by_test_id("evaluations")).to_contain_text("回复及时")
    expect(page.locator("body")).not_to_contain_text("客户点名表扬")
    expect(page.locator("body")).not_to_contain_text("赵敏")

    page.locator("input[name=kind][value=disputed]").check()
    page.locator("#id_comment").fill("10月3日的回访不是我接待的客户")
    page.get_by_test_id("respond").click()
    expect(page.get_by_test_id("my-response")).to_contain_text("有异议")
    assert list(ScoreResponse.objects.values_list("kind", "score__profile")) == [("disputed", agent.profile.pk)]

    response = page.goto(f"/appraisal/{team.slug}/2026-10/")
    assert response.status == 403
    expect(page.locator("body")).not_to_contain_text(re.compile("赵敏|92.3"))
