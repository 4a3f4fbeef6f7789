"""Issue #11 item 2 in Chromium: type the important information, press sign without saving; nothing is lost."""

import pytest
from playwright.sync_api import expect

from logbook.models import Handover
from testdata import signed_in

pytestmark = pytest.mark.browser


def test_e2e_sign_without_save_keeps_the_typed_handover_text(page, login, team, agent):
    signed_in(team, agent)
    page.on("dialog", lambda dialog: dialog.accept())
    login(agent)
    page.goto("/logbook/team-east/today/")
    page.get_by_test_id("handover-start").click()
    page.locator("[name=important]").fill("系统今晚22点升级，升级期间退款暂停")
    page.get_by_test_id("handover-sign").click()  # no 保存 first
    expect(page.get_by_test_id("handover-state")).to_contain_text("等待接班人签字")
    expect(page.get_by_test_id("handover-important")).to_have_text("系统今晚22点升级，升级期间退款暂停")
    assert Handover.objects.get(outgoing=agent.profile).important == "系统今晚22点升级，升级期间退款暂停"


def test_e2e_the_author_sees_her_open_items_order_number_the_same_on_her_list_and_the_handover(
    page, login, team, agent
):
    # Issue #27 point 5: the handover showed its author DD****33 beside her list's whole number. One rule now
    # (R-LOG-4, R-PIPL-1): masked on both, whole only on the entry after a reveal with a reason.
    from testdata import open_entry

    open_entry(signed_in(team, agent), customer_ref="DD778833")
    login(agent)
    page.goto("/logbook/team-east/today/")
    expect(page.locator("main")).to_contain_text("DD****33")
    expect(page.locator("main")).not_to_contain_text("DD778833")
    page.get_by_test_id("handover-start").click()
    expect(page.get_by_test_id("handover-ref")).to_have_text("DD****33")
    page.get_by_test_id("handover-entry").get_by_role("link").click()
    page.locator("[name=reason]").fill("回访客户")
    page.get_by_test_id("reveal-submit").click()
    expect(page.locator("main")).to_contain_text("DD778833")
