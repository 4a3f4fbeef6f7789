"""R-PIPL-2 in Chromium (issue 22): an agent reveals a customer's phone with a reason; the supervisor finds the
reveal in the team's history, with who, when, which entry and why."""

import re

import pytest
from playwright.sync_api import expect

from testdata import signed_in, write_entry

pytestmark = pytest.mark.browser


def test_e2e_agent_reveals_a_phone_with_a_reason_and_the_supervisor_finds_it(page, login, team, agent, supervisor):
    entry = write_entry(signed_in(team, agent), content="客户询问退款进度")
    login(agent)
    page.goto(f"/logbook/team-east/entries/{entry.pk}/")
    phone = page.get_by_test_id("customer-phone")
    expect(phone).to_have_text("138****5678")  # masked by default, for the author too

    # No reason, no reveal: the browser asks for one before anything is sent.
    page.get_by_test_id("reveal-submit").click()
    expect(phone).to_have_text("138****5678")
    page.get_by_test_id("reveal-form").locator("[name=reason]").fill("回访客户")
    page.get_by_test_id("reveal-submit").click()
    expect(page.get_by_test_id("customer-phone")).to_have_text("13812345678")
    expect(page.get_by_test_id("revealed-notice")).to_be_visible()
    # The next look needs its own reason.
    page.goto(f"/logbook/team-east/entries/{entry.pk}/")
    expect(page.get_by_test_id("customer-phone")).to_have_text("138****5678")

    page.context.clear_cookies()
    login(supervisor)
    page.goto("/")
    page.get_by_role("link", name="团队历史").click()
    page.get_by_test_id("history-filters").locator("[name=person]").select_option(label="张伟")
    page.get_by_test_id("history-filters").get_by_role("button").click()
    row = page.get_by_test_id("history-row").filter(has_text="回访客户")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("张伟")
    expect(row).to_contain_text("查看客户完整信息")
    expect(row).to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"))
    expect(row).not_to_contain_text("13812345678")  # the trail itself holds no whole number
