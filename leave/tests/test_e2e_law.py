"""The working-time law in swaps and leave, in Chromium and the Chinese UI (issue 21): a colleague in a protection
period (R-LAW-4) is never offered a night shift, neither in a swap nor as a substitute, and a teammate is told only
that the working-time rules keep them off it."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from leave.forms import shift_label
from people.services.protection import record_protection
from testdata import future_weekend_days, holders, leave_setup

pytestmark = pytest.mark.browser


def switch(page, login, user):
    page.context.clear_cookies()
    return login(user)


def test_a_protected_colleague_is_never_offered_a_night_in_a_swap_or_as_a_substitute(
    page, login, team, agent, lead, supervisor
):
    saturday, sunday = future_weekend_days()[:2]
    # 张伟 holds Saturday's night; 王磊 and 赵敏 the day; 李娜 and 孙杰 are free all weekend; 孙杰 is protected.
    setup = leave_setup(team, agent, lead, days=[saturday, sunday], plan={(0, "day"): "BC", (0, "night"): "A"})
    protected = setup.people["D"]
    record_protection(
        protected,
        actor=supervisor.profile,
        kind="nursing",
        starts_on=saturday - timedelta(days=60),
        ends_on=sunday + timedelta(days=200),
    )
    night = setup.shift(0, "night")

    login(agent)
    page.goto("/roster/requests/mine/")
    page.get_by_test_id("new-swap").click()
    page.get_by_label("我要调出的班次").select_option(label=shift_label(night))
    page.get_by_test_id("swap-choose").click()
    refused = page.get_by_test_id("swap-refused")
    # A teammate is told the law keeps 孙杰 off it, not why (a protection period is not theirs to know).
    expect(refused).to_contain_text("按工时规定，孙杰 不能接这个班次。")
    expect(refused).not_to_contain_text("保护期")
    expect(page.get_by_label("孙杰 接替我的班次（当天空闲）")).to_have_count(0)
    expect(page.get_by_label("李娜 接替我的班次（当天空闲）")).to_have_count(1)

    page.goto("/roster/requests/leave/new/")
    page.get_by_label(shift_label(night)).check()
    page.get_by_label("请假类型").select_option(label="年假")
    page.get_by_label("原因").fill("家里有事")
    page.get_by_test_id("leave-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("待值班组长审批")

    switch(page, login, lead)
    page.goto(f"/roster/{team.slug}/requests/")
    card = page.get_by_test_id("queue-leave")
    expect(card.get_by_test_id("suggestions")).to_contain_text("李娜")
    expect(card.get_by_test_id("suggestions")).not_to_contain_text("孙杰")
    card.get_by_test_id("approve").click()
    expect(page.locator(".alert-success")).to_contain_text("已批准，等待客服主管审批")

    switch(page, login, supervisor)
    page.goto(f"/roster/{team.slug}/requests/")
    card = page.get_by_test_id("queue-leave")
    expect(card.get_by_test_id("suggestions")).not_to_contain_text("孙杰")
    choice = card.get_by_label(re.compile("替班人"))
    expect(choice).to_have_value("")  # nobody preselected (issue 27 point 2): the supervisor chooses
    # The protected colleague is never among the suggestions, only among "not suggested".
    expect(choice.locator("optgroup option", has_text="孙杰")).to_have_count(1)
    expect(choice.locator("option", has_text="李娜")).not_to_have_count(0)
    choice.select_option(str(protected.pk))  # chosen anyway: refused, and nothing changes
    card.get_by_test_id("approve").click()
    expect(page.locator(".alert-danger")).to_contain_text("按工时规定，孙杰 不能接这个班次。")
    assert holders(night) == ["张伟"]
