"""Leave journeys in Chromium, in the Chinese UI: ordinary leave through both levels, emergency leave (and an
overdue written request), a rejected leave, a withdrawn one."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk.notifications.models import NoticeKind, Notification
from leave import services
from leave.forms import shift_label
from leave.models import LeaveRequest, LeaveState
from roster.tests.grid_page import cell
from testdata import holders, leave_setup, soon_setup

pytestmark = pytest.mark.browser


def switch(page, login, user):
    page.context.clear_cookies()
    return login(user)


def test_ordinary_leave_agent_lead_supervisor_roster_shows_substitute(page, login, team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    shift = setup.shift(0)
    login(agent)
    page.goto("/roster/requests/leave/new/")
    page.get_by_label(shift_label(shift)).check()
    page.get_by_label("请假类型").select_option(label="年假")
    page.get_by_label("原因").fill("回老家参加婚礼")
    page.get_by_label("建议替班人（选填）").select_option(label="李娜")
    page.get_by_test_id("leave-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("待值班组长审批")

    switch(page, login, lead)
    page.goto(f"/roster/{team.slug}/requests/")
    card = page.get_by_test_id("queue-leave")
    expect(card).to_contain_text("回老家参加婚礼")
    expect(card.get_by_test_id("coverage")).to_have_text("在岗 2 / 2 人")
    expect(card.get_by_test_id("suggestions")).to_contain_text("李娜")
    card.get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("已批准，等待客服主管审批")

    switch(page, login, supervisor)
    page.goto(f"/roster/{team.slug}/requests/")
    card = page.get_by_test_id("queue-leave")
    # Nothing preselected (R-LEAVE-4, issue #27 point 2): the requester's proposal is marked, the supervisor picks.
    substitute = card.get_by_label(re.compile("替班人"))
    expect(substitute).to_have_value("")
    substitute.select_option(label="李娜（本月 0 个班次，申请人提议）")
    card.get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("排班表已更新")
    expect(page.locator(".alert-info")).to_contain_text("由 李娜 替班。")

    page.goto(f"/roster/{team.slug}/{shift.date:%Y-%m}/")
    expect(cell(page, "李娜", shift.date)).to_have_text("白班")
    expect(cell(page, "张伟", shift.date)).not_to_contain_text("白班")
    assert holders(shift) == ["李娜", "王磊"]

    switch(page, login, agent)
    page.goto("/roster/requests/mine/")
    card = page.get_by_test_id("request-card")
    expect(card.get_by_test_id("state")).to_have_text("已批准")
    expect(card.get_by_test_id("history-step")).to_have_count(3)
    expect(card.get_by_test_id("history-step").nth(2)).to_contain_text("王芳")
    assert Notification.objects.filter(recipient=agent.profile, kind=NoticeKind.REQUEST_DECIDED).exists()
    assert Notification.objects.filter(recipient=lead.profile, kind=NoticeKind.ROSTER_CHANGED).exists()


def test_emergency_leave_call_then_written_request(page, login, team, agent, lead, supervisor):
    setup = soon_setup(team, agent, lead, starts_in=timedelta(hours=2))
    shift = setup.shift(0)
    login(agent)
    page.goto("/roster/requests/leave/new/")
    page.get_by_label(shift_label(shift)).check()
    page.get_by_label("请假类型").select_option(label="病假")
    page.get_by_label("原因").fill("突发高烧")
    page.get_by_test_id("leave-submit").click()
    # R-LEAVE-1, said in words: too late without a call
    expect(page.locator(".alert-danger, .alert-block")).to_contain_text("须至少提前 24 小时申请")

    switch(page, login, lead)
    page.goto(f"/roster/{team.slug}/requests/")
    page.get_by_test_id("new-call").click()
    page.get_by_label("来电人").select_option(label="张伟")
    page.get_by_label("班次").select_option(label=shift_label(shift))
    page.get_by_label("电话内容").fill("发烧39度，正在去医院")
    page.get_by_test_id("call-submit").click()
    expect(page.get_by_test_id("call")).to_contain_text("书面申请截止")

    switch(page, login, agent)
    page.goto("/roster/requests/mine/")
    page.get_by_test_id("my-call").get_by_role("link").click()
    expect(page.get_by_label(shift_label(shift))).to_be_checked()
    page.get_by_label("请假类型").select_option(label="病假")
    page.get_by_label("原因").fill("突发高烧，已电话告知组长")
    page.get_by_test_id("leave-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("待值班组长审批")
    expect(page.locator("main")).to_contain_text("紧急")
    assert LeaveRequest.objects.get().emergency is True


def test_emergency_written_request_overdue_shown_to_lead_and_supervisor(page, login, team, agent, lead, supervisor):
    setup = soon_setup(team, agent, lead, starts_in=timedelta(hours=-2))
    shift = setup.shift(0)
    services.record_emergency_call(
        actor=lead.profile,
        profile_id=agent.profile.pk,
        duty_shift_id=shift.pk,
        called_at=shift.starts_at - timedelta(minutes=40),
        said="家里老人住院",
        now=shift.starts_at - timedelta(minutes=30),
    )
    login(lead)
    page.goto(f"/roster/{team.slug}/requests/")
    expect(page.get_by_test_id("call").get_by_test_id("overdue")).to_have_text("书面申请已逾期")
    switch(page, login, supervisor)
    expect(page.get_by_test_id("home-overdue")).to_contain_text("张伟")
    page.goto(f"/roster/{team.slug}/requests/")
    expect(page.get_by_test_id("overdue")).to_be_visible()


def test_rejected_leave_shows_reason_and_withdraw_until_decided(page, login, team, agent, lead):
    setup = leave_setup(team, agent, lead)
    rejected = services.request_leave(
        profile=agent.profile, duty_shift_ids=[setup.shift(0).pk], kind="personal", reason="想休息"
    )
    services.request_leave(profile=agent.profile, duty_shift_ids=[setup.shift(2).pk], kind="annual", reason="旅游")
    login(lead)
    page.goto(f"/roster/{team.slug}/requests/leave/{rejected.pk}/")
    page.get_by_test_id("reject-reason").fill("当天大促，人手不足")
    page.get_by_test_id("reject").click()
    expect(page.get_by_test_id("state")).to_have_text("已驳回")

    switch(page, login, agent)
    page.goto("/roster/requests/mine/")
    cards = page.get_by_test_id("request-card")
    rejected_card = cards.filter(has_text="想休息")
    expect(rejected_card.get_by_test_id("state")).to_have_text("已驳回")
    expect(rejected_card.get_by_test_id("history")).to_contain_text("当天大促，人手不足")
    expect(rejected_card.get_by_test_id("history")).to_contain_text("李娜")

    cards.filter(has_text="旅游").get_by_role("link").first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("withdraw").click()
    expect(page.get_by_test_id("state")).to_have_text("已撤回")
    expect(page.get_by_test_id("withdraw")).to_have_count(0)
    assert sorted(LeaveRequest.objects.values_list("state", flat=True)) == [LeaveState.REJECTED, LeaveState.WITHDRAWN]
    assert timezone.now() < setup.shift(0).starts_at
