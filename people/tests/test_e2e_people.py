"""A supervisor moves a real team in, in Chromium and the Chinese UI: imports a 35-person Excel file with one bad
row (fixes it, imports again), edits the skills matrix with the mouse and the keyboard, and marks a leaver whose
future shift is flagged on the roster."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk.models import Profile
from people.tests.factories import hr_rows, xlsx_bytes
from roster.models import AssignmentRole
from testdata import duty_shift, make_skill, publish

pytestmark = pytest.mark.browser


def _upload(page, name, content):
    page.get_by_label("人事导出文件（Excel 或 CSV）").set_input_files(
        files=[
            {
                "name": name,
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": content,
            }
        ]
    )
    page.get_by_test_id("check-file").click()


def test_e2e_import_35_people_with_one_bad_row_fix_and_import_again(page, login, team, supervisor):
    make_skill("refund", "退款处理")
    make_skill("vip", "VIP专线")
    rows = hr_rows(35, skills="退款处理、VIP专线")
    rows[16][3] = "退款处理、插花"  # a skill the company does not have
    login(supervisor)
    page.get_by_role("link", name="团队成员").click()
    expect(page.get_by_test_id("members-heading")).to_have_text("团队成员 · 华东客服组")
    page.get_by_role("link", name="导入导出").click()

    _upload(page, "花名册.xlsx", xlsx_bytes(rows))
    expect(page.locator(".messages")).to_contain_text("未导入任何内容：请修改下列行后重新上传文件。")
    expect(page.get_by_test_id("bad-row")).to_have_count(1)
    expect(page.get_by_test_id("bad-row")).to_contain_text("18")
    expect(page.get_by_test_id("bad-row")).to_contain_text("未知技能“插花”。")
    expect(page.get_by_test_id("import")).to_have_count(0)
    assert Profile.objects.filter(employee_number__startswith="E0").count() == 0

    rows[16][3] = "退款处理"
    _upload(page, "花名册.xlsx", xlsx_bytes(rows))
    expect(page.get_by_test_id("preview-summary")).to_contain_text("新增 35 人，有变化 0 人，无变化 0 人，错误 0 行。")
    page.get_by_test_id("import").click()
    expect(page.locator(".messages")).to_contain_text("已导入：新增 35 人，更新 0 人，无变化 0 人。")
    expect(page.get_by_test_id("member-count")).to_have_text("36 人")  # the 35 and their supervisor
    assert Profile.objects.filter(employee_number__startswith="E0").count() == 35

    # The same file again changes nothing; a changed phone updates that one person.
    page.get_by_role("link", name="导入导出").click()
    _upload(page, "花名册.xlsx", xlsx_bytes(rows))
    expect(page.locator(".messages")).to_contain_text("导入不会有任何变化")
    rows[4][5] = "13912345678"
    _upload(page, "花名册.xlsx", xlsx_bytes(rows))
    expect(page.get_by_test_id("preview-summary")).to_contain_text("新增 0 人，有变化 1 人，无变化 34 人，错误 0 行。")
    page.get_by_test_id("import").click()
    expect(page.locator(".messages")).to_contain_text("更新 1 人")
    assert Profile.objects.get(employee_number="E0005").phone == "13912345678"

    # A new person's page shows the one-time activation link to pass on.
    page.get_by_test_id("search").fill("E0005")
    page.get_by_test_id("search").press("Enter")
    page.get_by_role("link", name="员工05").click()
    expect(page.get_by_test_id("activation-link")).to_have_value(
        re.compile(r"^http://.+/people/activate/[^/]+/[^/]+/$")
    )


def test_e2e_skills_matrix_mouse_and_keyboard(page, login, team, supervisor, agent, lead):
    refund, vip = make_skill("refund", "退款处理"), make_skill("vip", "VIP专线")
    login(supervisor)
    page.goto("/people/team-east/skills/")
    cell = page.get_by_test_id("skill-张伟-VIP专线")
    expect(cell).to_have_attribute("aria-pressed", "false")
    cell.click()
    expect(page.get_by_test_id("skill-张伟-VIP专线")).to_have_attribute("aria-pressed", "true")
    # Keyboard: the focus stays on the saved cell; arrows move, Space toggles.
    expect(page.get_by_test_id("skill-张伟-VIP专线")).to_be_focused()
    page.keyboard.press("ArrowRight")  # columns by name: VIP专线, 退款处理
    expect(page.get_by_test_id("skill-张伟-退款处理")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("skill-张伟-退款处理")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("skill-张伟-退款处理")).to_be_focused()
    page.keyboard.press("ArrowDown")  # rows by name: 张伟, 李娜
    expect(page.get_by_test_id("skill-李娜-退款处理")).to_be_focused()
    page.reload()
    expect(page.get_by_test_id("skill-张伟-退款处理")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("skill-李娜-退款处理")).to_have_attribute("aria-pressed", "false")
    assert set(agent.profile.skills.all()) == {refund, vip}


def test_e2e_leaver_with_a_future_shift_is_flagged(page, login, team, supervisor, agent):
    today = timezone.localdate()
    shift = duty_shift(team, today + timedelta(days=12))
    publish(team, [(agent.profile, shift, AssignmentRole.MEMBER)], by=supervisor, keep=True)
    left_on = today + timedelta(days=10)
    login(supervisor)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/people/team-east/members/")
    page.get_by_role("link", name="张伟").click()
    page.get_by_label("离职日期").fill(left_on.isoformat())
    page.get_by_test_id("mark-left").click()
    expect(page.locator(".messages")).to_contain_text(f"张伟 将于 {left_on:%Y-%m-%d} 离职。")
    expect(page.locator(".messages")).to_contain_text("已发布排班表中该日之后的 1 个班次已标出")
    expect(page.get_by_test_id("person-flagged")).to_contain_text(f"{shift.date:%Y-%m-%d} 白班")
    page.get_by_test_id("person-flagged").get_by_role("link").click()
    expect(page.get_by_test_id("leaver-shifts")).to_contain_text(
        f"张伟（{left_on:%Y-%m-%d} 离职）：{shift.date:%m-%d} 白班"
    )
    agent.refresh_from_db()
    assert agent.profile.left_on == left_on and agent.is_active
