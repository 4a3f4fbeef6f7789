"""A swap in Chromium, in the Chinese UI: the agent proposes to a named colleague (only rule-abiding ones are
offered, the others with the reason), the colleague accepts, the lead records, both see their new shifts."""

import pytest
from playwright.sync_api import expect

from leave.forms import shift_label
from leave.models import SwapRequest, SwapState
from testdata import holders, leave_setup

pytestmark = pytest.mark.browser


def switch(page, login, user):
    page.context.clear_cookies()
    return login(user)


def test_swap_agent_colleague_lead_both_see_new_shifts(page, login, team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    give, take = setup.shift(0), setup.shift(1)
    colleague = setup.people["D"].user
    login(agent)
    page.goto("/roster/requests/mine/")
    page.get_by_test_id("new-swap").click()
    page.get_by_label("我要调出的班次").select_option(label=shift_label(give))
    page.get_by_test_id("swap-choose").click()
    refused = page.get_by_test_id("swap-refused")
    expect(refused).to_contain_text("周新")  # a new hire may not work alone (R-ROSTER-6)
    expect(refused).to_contain_text("吴丽")  # lacks the shift's skill (R-ROSTER-5)
    expect(page.get_by_label("周新 接替我的班次（当天空闲）")).to_have_count(0)
    page.get_by_label(f"孙杰：我接替其 {shift_label(take)}").check()
    page.get_by_label("原因（选填）").fill("周六要带孩子看病")
    page.get_by_test_id("swap-submit").click()
    expect(page.get_by_test_id("state")).to_have_text("待同事确认")

    switch(page, login, colleague)
    page.goto("/roster/requests/mine/")
    page.get_by_test_id("swap-to-answer").get_by_role("link").click()
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("state")).to_have_text("待值班组长审批")

    switch(page, login, lead)
    page.goto(f"/roster/{team.slug}/requests/")
    page.get_by_test_id("queue-swap").get_by_test_id("record").click()
    expect(page.locator(".alert-success")).to_contain_text("调班已登记")
    assert SwapRequest.objects.get().state == SwapState.APPROVED
    assert (holders(give), holders(take)) == (["孙杰", "王磊"], ["张伟", "赵敏"])

    for user, gained in ((agent, take), (colleague, give)):
        switch(page, login, user)
        page.goto("/roster/mine/")
        expect(page.get_by_test_id("my-shift").filter(has_text=f"{gained.date:%m-%d}")).to_contain_text("白班")
        page.goto("/roster/requests/mine/")
        expect(page.get_by_test_id("request-card").get_by_test_id("history-step")).to_have_count(3)
