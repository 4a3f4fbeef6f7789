"""R-TRAIN-2 in Chromium: the supervisor fills in the support directory; an agent on duty opens it from the duty
page with one tap on a phone and calls the hotline."""

import pytest
from playwright.sync_api import expect

from testdata import signed_in

pytestmark = pytest.mark.browser


def test_e2e_agent_on_duty_opens_the_support_directory(page, login, team, agent, supervisor):
    login(supervisor)
    page.goto("/people/team-east/support/")
    page.get_by_test_id("add-contact").click()
    form = page.get_by_test_id("contact-form")
    form.get_by_label("类型").select_option(label="技术支持热线")
    form.get_by_label("部门或服务").fill("技术支持热线")
    form.get_by_label("联系人").fill("值班工程师")
    form.get_by_label("电话").fill("12345")
    form.get_by_label("服务时间").fill("每天 00:00-24:00")
    page.get_by_test_id("save-contact").click()
    expect(page.get_by_test_id("contact-form")).to_contain_text("“12345”不是电话号码")
    expect(page.get_by_test_id("contact-form")).not_to_contain_text("请至少填写电话")
    form.get_by_label("电话").fill("400 820 6688")
    page.get_by_test_id("save-contact").click()
    expect(page.locator(".messages")).to_contain_text("技术支持热线 已保存")

    page.context.clear_cookies()
    signed_in(team, agent)
    page.set_viewport_size({"width": 390, "height": 844})
    login(agent)
    page.goto("/logbook/team-east/today/")
    expect(page.get_by_test_id("signed-in")).to_be_visible()
    call = page.get_by_test_id("call-技术支持热线")
    expect(call).to_be_hidden()
    page.get_by_test_id("open-support").click()  # one tap
    expect(call).to_be_visible()
    expect(call).to_have_attribute("href", "tel:4008206688")
    expect(page.get_by_test_id("duty-support")).to_contain_text("每天 00:00-24:00")
