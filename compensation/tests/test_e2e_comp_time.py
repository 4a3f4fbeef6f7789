"""The comp-time journey in Chromium, in the Chinese UI: an agent works a holiday shift, sees the comp time it
earned, requests 调休 leave, the team lead and the supervisor approve it, the balance falls, the supervisor
finalises the month and downloads the payroll Excel."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from compensation.models import CompTimeEntry, DutyStatement
from compensation.tests.factories import holiday_override
from dutydesk.months import add_months
from leave.forms import shift_label
from logbook import services as duty
from testdata import duty_shift, holders, leave_setup, publish

pytestmark = pytest.mark.browser


def switch(page, login, user):
    page.context.clear_cookies()
    return login(user)


def worked_holiday_shift(team, agent, supervisor, today):
    """Last month's first Saturday, marked a holiday by the team, worked through the duty day's own services."""
    month = add_months(today.replace(day=1), -1)
    day = month + timedelta(days=(5 - month.weekday()) % 7)
    holiday_override(team, day)
    shift = duty_shift(team, day)  # the day shift type 09:00-18:00 of leave_setup
    publish(team, [(agent.profile, shift)], by=supervisor)
    duty.sign_discipline_acknowledgement(profile=agent.profile, now=shift.starts_at - timedelta(days=2))
    logbook = duty.sign_in(shift, profile=agent.profile, now=shift.starts_at - timedelta(minutes=16))
    duty.sign_out(logbook, profile=agent.profile, now=shift.ends_at + timedelta(minutes=3))
    return month, shift


def test_holiday_shift_comp_time_taken_as_leave_then_month_finalised_and_exported(
    page, login, team, agent, lead, supervisor, tmp_path
):
    setup = leave_setup(team, agent, lead)  # next-but-one month's roster: the agent holds its first day shift
    month, worked = worked_holiday_shift(team, agent, supervisor, timezone.localdate())
    page_month = f"/compensation/{team.slug}/{month:%Y-%m}/"

    # The supervisor lets holiday duty earn comp time too, then computes last month.
    login(supervisor)
    page.goto(f"/compensation/{team.slug}/policy/")
    page.get_by_label("法定节假日值班另计调休").check()
    page.get_by_test_id("policy-save").click()
    expect(page.locator(".alert-success")).to_contain_text("补偿规则已保存")
    page.goto(page_month)
    page.get_by_test_id("compute").click()
    expect(page.locator(".alert-success")).to_contain_text("本月值班工时已计算")
    row = page.locator('[data-testid="statement-row"][data-person="agent"]')
    expect(row).to_contain_text("9.00")

    # The agent sees the 9 hours the holiday shift earned, traced to it, and asks for 调休.
    switch(page, login, agent)
    page.goto("/compensation/mine/")
    expect(page.get_by_test_id("balance")).to_have_text("9.00")
    earned = page.locator('[data-testid="ledger-line"][data-kind="earned"]')
    expect(earned).to_contain_text(f"班次 {worked.date:%m-%d} 白班")
    expect(earned).to_contain_text("+9.00")
    page.get_by_test_id("request-comp-time").click()
    expect(page.get_by_label("请假类型")).to_have_value("comp_time")
    page.get_by_label(shift_label(setup.shift(0))).check()
    page.get_by_label("原因").fill("用国庆值班的调休陪家人")
    page.get_by_test_id("leave-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("待值班组长审批")

    switch(page, login, lead)
    page.goto(f"/roster/{team.slug}/requests/")
    page.get_by_test_id("queue-leave").get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("已批准，等待客服主管审批")

    switch(page, login, supervisor)
    page.goto(f"/roster/{team.slug}/requests/")
    page.get_by_test_id("queue-leave").get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("排班表已更新")
    assert "张伟" not in holders(setup.shift(0))

    # The balance fell by the shift's 9 planned hours, and the ledger says why.
    switch(page, login, agent)
    page.goto("/compensation/mine/")
    expect(page.get_by_test_id("balance")).to_have_text("0.00")
    expect(page.locator('[data-testid="ledger-line"][data-kind="used"]')).to_contain_text("-9.00")

    # The supervisor finalises last month and downloads the payroll workbook.
    switch(page, login, supervisor)
    page.goto(page_month)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("finalise").click()
    expect(page.get_by_test_id("status")).to_have_text("已定稿")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    target = tmp_path / "payroll.xlsx"
    download.value.save_as(target)
    rows = [[cell.value for cell in row] for row in load_workbook(target).active.iter_rows()]
    header, mine = rows[1], next(row for row in rows[2:] if row[1] == "张伟")
    by_column = dict(zip(header, mine, strict=True))
    assert (
        by_column["工号"],
        by_column["法定节假日工时"],
        by_column["获得调休"],
        by_column["法定节假日加班费倍数"],
        by_column["加班费折算工时（工时×倍数）"],
    ) == ("agent", 9, 9, 3, 27)
    statement = DutyStatement.objects.get(team=team, month=month, is_current=True)
    assert statement.is_finalised and statement.finalised_by == supervisor.profile
    assert sorted(CompTimeEntry.objects.filter(profile=agent.profile).values_list("kind", "hours")) == [
        ("earned", Decimal("9.00")),
        ("used", Decimal("-9.00")),
    ]
