"""Issue #11 item 2 in Chromium: type the important information, press sign without saving; nothing is lost."""

import pytest
from playwright.sync_api import expect

from logbook.models import Handover
from logbook.tests.factories import on_duty

pytestmark = pytest.mark.browser


def test_e2e_sign_without_save_keeps_the_typed_handover_text(page, login, team, agent):
    on_duty(team, agent)
    page.on("dialog", lambda dialog: dialog.accept())
    login(agent)
    page.goto("/logbook/team-east/today/")
    page.get_by_test_id("handover-start").click()
    page.locator("[name=important]").fill("系统今晚22点升级，升级期间退款暂停")
    page.get_by_test_id("handover-sign").click()  # no 保存 first
    expect(page.get_by_test_id("handover-state")).to_contain_text("等待接班人签字")
    expect(page.get_by_test_id("handover-important")).to_have_text("系统今晚22点升级，升级期间退款暂停")
    assert Handover.objects.get(outgoing=agent.profile).important == "系统今晚22点升级，升级期间退款暂停"
