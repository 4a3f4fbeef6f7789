"""A person logs in through the real login page in Chromium and sees their home page, in Chinese then English."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_agent_logs_in_sees_home_in_chinese_then_english(page, login, agent):
    page.goto("/")
    expect(page.locator("h1")).to_have_text("登录")  # anonymous → the login page, in Chinese by default
    login(agent)
    expect(page.get_by_test_id("home-heading")).to_have_text("你好，张伟")
    expect(page.get_by_test_id("home-role")).to_contain_text("客服")
    expect(page.get_by_test_id("no-shifts")).to_contain_text("发布下月排班")

    page.get_by_test_id("language-switcher").get_by_role("button", name="English").click()
    expect(page.get_by_test_id("home-heading")).to_have_text("Hello, 张伟")
    expect(page.get_by_test_id("no-shifts")).to_contain_text("publishes next month's roster")


def test_wrong_password_shows_message_in_chinese(page, agent):
    page.goto("/accounts/login/")
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill("not-the-password")
    page.get_by_test_id("login-submit").click()
    expect(page.locator(".alert-danger, .invalid-feedback, .alert-block")).to_contain_text("请输入一个正确的")
