"""The holiday calendar's journeys in Chromium, in the Chinese UI (issue 21, "Done when"): a manager imports the
2027 notice with one bad row, fixes it and imports; the supervisor of a team with a published January 2027 roster
sees what changed and revises it."""

from datetime import date

import pytest
from django.utils import translation
from playwright.sync_api import expect

from roster import queries, services
from roster.models import TeamRosterSettings
from testdata import fill_draft, laid_out_month, make_agents, sample_2027, sample_days
from workcalendar import queries as calendar_queries
from workcalendar import services as calendar
from workcalendar.tests.factories import csv_bytes

pytestmark = pytest.mark.browser
NOTICE = "国务院办公厅关于2027年部分节假日安排的通知（样例）"


def choose_file(page, rows):
    page.locator("#id_file").set_input_files(
        files=[{"name": "2027年节假日.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}]
    )


def test_manager_imports_the_2027_notice_with_one_bad_row_fixes_it_and_imports(page, login, manager):
    login(manager)
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name="节假日日历").click()
    expect(page.get_by_test_id("calendar-heading")).to_contain_text("节假日日历")
    page.goto("/calendar/2027/")
    expect(page.get_by_test_id("year-status")).to_have_text("暂定")
    expect(page.get_by_test_id("calendar-provisional")).to_contain_text("2027 年的节假日尚未正式确定")

    # One bad row (a date that does not exist): listed with its line and reason, nothing imported.
    bad = [*sample_2027()]
    bad[3] = ("2027-02-30", "workday", "春节调休上班")
    page.get_by_label("通知标题").fill(NOTICE)
    page.get_by_label("通知日期").fill("2026-11-12")
    choose_file(page, bad)
    page.get_by_test_id("check-import").click()
    problems = page.get_by_test_id("import-problems")
    expect(problems).to_contain_text("1 处问题；未导入任何内容")
    expect(page.get_by_test_id("import-problem")).to_have_text(
        "第 5 行：“2027-02-30”不是日期；请写成 2027-01-31 的格式。"
    )
    expect(page.get_by_test_id("confirm-import")).to_have_count(0)
    assert calendar_queries.provisional_years([2027]) == [2027]

    # The fixed file: the preview says what changes; confirming imports it and makes the year official.
    page.get_by_label("通知标题").fill(NOTICE)
    page.get_by_label("通知日期").fill("2026-11-12")
    choose_file(page, sample_2027())
    page.get_by_test_id("check-import").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("34 个日期，没有问题")
    expect(page.get_by_test_id("import-changes").locator('tr[data-date="2027-01-31"]')).to_contain_text("调休上班日")
    page.get_by_test_id("confirm-import").click()
    expect(page.locator(".messages")).to_contain_text("2027 年的日历已导入并标记为正式")
    expect(page.get_by_test_id("year-status")).to_have_text("正式")
    expect(page.get_by_test_id("year-source")).to_contain_text(NOTICE)
    expect(page.get_by_test_id("calendar-provisional")).to_have_count(0)
    expect(page.locator('td[data-date="2027-01-31"]')).to_have_attribute("data-kind", "workday")
    assert dict(calendar_queries.calendar_of_year(2027).year(2027).days) == sample_days()


def test_supervisor_of_a_published_january_sees_what_changed_and_revises_it(page, login, team, supervisor, manager):
    make_agents(team, 8)
    # Comprehensive hours: under standard hours the notice's working Sunday 01-31 leaves Saturday 01-30 the only rest
    # date of its week, and whoever holds it would have no rest day (R-LAW-1), which would stop the revision's publish.
    TeamRosterSettings.objects.update_or_create(team=team, defaults={"working_time_system": "comprehensive"})
    roster = laid_out_month(team, date(2027, 1, 1))
    fill_draft(roster)
    services.publish_roster(roster, actor=supervisor.profile, expected_revision=None, accept_provisional=True)
    with translation.override("zh-hans"):  # the manager imports in the Chinese UI; the notice is written so
        calendar.import_calendar(
            year=2027, days=sample_days(), source_title=NOTICE, source_date=date(2026, 11, 12), actor=manager.profile
        )
    login(supervisor)
    page.on("dialog", lambda dialog: dialog.accept())

    # The notice says what changed and leads to the month's changes.
    page.get_by_test_id("notification-bell").click()
    notice = page.get_by_test_id("notice").filter(has_text="节假日日历已变更")
    expect(notice).to_contain_text("2027-01（已发布，第 1 版；请修订）")
    expect(notice).to_contain_text("取消的值班日：01-31")
    expect(notice).to_contain_text("改为节假日班次：01-02、01-03。")
    notice.get_by_role("button", name="查看").click()
    impact = page.get_by_test_id("calendar-impact")
    expect(impact).to_have_attribute("data-month", "2027-01")
    expect(impact).to_contain_text("取消的值班日：01-31")

    # One click starts the revision: the month laid out from the new calendar, without 01-31.
    page.get_by_test_id("start-calendar-revision").click()
    expect(page.locator(".messages")).to_contain_text("已按新的节假日日历重新排布本月并开始修订")
    expect(page.locator('th[data-date="2027-01-31"]')).to_have_count(0)
    expect(page.locator('th[data-date="2027-01-02"]')).to_contain_text("节假日")
    expect(page.get_by_test_id("accept-provisional")).to_have_count(0)  # 2027 is official now
    page.get_by_test_id("revision-reason").fill("国务院通知：1月31日调休上班，1月2日、3日为元旦假期")
    page.get_by_test_id("publish").click()
    expect(page.locator(".messages")).to_contain_text("第 2 版已发布")
    roster.refresh_from_db()
    assert date(2027, 1, 31) not in {a.date for a in roster.published_version.assignments.all()}
    assert queries.calendar_impacts(team) == []
    page.goto(f"/roster/{team.slug}/calendar-changes/")
    expect(page.get_by_test_id("no-calendar-changes")).to_be_visible()
