"""Issue 6 in Chromium: the supervisor sets the team's equipment checklist, an agent signing in ticks it."""

import pytest
from playwright.sync_api import expect

from logbook.models import Logbook
from testdata import acknowledged, publish, running_shift

pytestmark = pytest.mark.browser


def test_e2e_supervisor_sets_checklist_and_agent_ticks_it(page, login, team, agent, supervisor):
    page.on("dialog", lambda dialog: dialog.accept())
    shift = running_shift(team, started_minutes_ago=-20)
    publish(team, [(agent, shift)], keep=True)
    acknowledged(agent)

    # The supervisor reaches the checklist from the board's tabs: the default list, labelled, fills the form.
    login(supervisor)
    page.goto("/logbook/team-east/board/")
    page.get_by_test_id("tab-equipment").click()
    expect(page.get_by_test_id("equipment-default")).to_have_text("默认清单")
    expect(page.get_by_test_id("equipment-item")).to_have_text(["电脑", "电话", "耳机", "系统登录", "话术模板"])
    textarea = page.get_by_test_id("equipment-form").locator("textarea")
    textarea.fill("耳机\n耳机")
    page.get_by_test_id("equipment-save").click()
    expect(page.locator(".alert-danger")).to_contain_text("“耳机”在清单中出现了两次。")
    textarea.fill("工单系统\n耳机\n电脑")
    page.get_by_test_id("equipment-save").click()
    expect(page.locator(".alert-success")).to_contain_text("设备检查清单已保存")
    expect(page.get_by_test_id("equipment-default")).to_have_count(0)
    expect(page.get_by_test_id("equipment-item")).to_have_text(["工单系统", "耳机", "电脑"])

    # The agent signs in and sees the team's items, in the supervisor's order.
    page.context.clear_cookies()
    login(agent)
    page.goto("/logbook/team-east/today/")
    page.get_by_test_id("sign-in").click()
    boxes = page.get_by_test_id("equipment").locator("input[type=checkbox]")
    expect(page.get_by_test_id("equipment").locator("label.form-check-label")).to_have_text(
        ["工单系统", "耳机", "电脑"]
    )
    for box in boxes.all():
        box.check()
    page.get_by_test_id("equipment-submit").click()
    expect(page.get_by_test_id("equipment")).to_contain_text("已于")
    assert Logbook.objects.get(profile=agent.profile).equipment_checked == ["工单系统", "耳机", "电脑"]
