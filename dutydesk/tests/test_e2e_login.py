"""A person logs in through the real login page in Chromium and sees their home page, in Chinese then English."""

import pytest
from playwright.sync_api import expect

from testdata import PASSWORD

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


def test_agent_behind_a_busy_office_address_signs_in_with_the_challenge(page, agent, settings):
    """Issue #22 item 6: someone at the office's one address guessed over many accounts; the agent there is asked a
    sum in a picture with the password, never locked out."""
    from captcha.models import CaptchaStore
    from django.test import Client

    settings.AXES_IP_ACCOUNT_LIMIT = 10
    guesser = Client()
    for number in range(12):  # the browser comes from 127.0.0.1, as the office's NAT address would
        guesser.post("/accounts/login/", {"username": f"guess{number}", "password": "123456"}, REMOTE_ADDR="127.0.0.1")
    page.goto("/accounts/login/")
    expect(page.get_by_test_id("login-challenge")).to_contain_text("有多个账号登录失败")
    picture = page.locator("img.captcha")
    expect(picture).to_be_visible()
    assert page.evaluate("(img) => img.naturalWidth", picture.element_handle()) > 0  # the picture really loads
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill(PASSWORD)
    key = page.locator("input[name=challenge_0]").input_value()
    # The person reads the sum off the picture; the test reads what the picture shows from the challenge's record.
    page.locator("input[name=challenge_1]").fill(CaptchaStore.objects.get(hashkey=key).response)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("home-heading")).to_have_text("你好，张伟")
