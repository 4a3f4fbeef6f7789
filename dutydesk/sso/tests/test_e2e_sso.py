"""Issue 23 in Chromium: an agent scans (the local WeCom's authorise page) and lands on "my shifts" as herself; an
unknown identity gets the "ask your supervisor" page and no account; a leaver cannot sign in from the day after her
last day; a swap offer reaches the colleague's personal messages and its link opens the swap, signed in."""

from datetime import timedelta

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from dutydesk.notifications import sending
from dutydesk.notifications.models import Channel, Outbox
from leave.services import propose_swap
from testdata import leave_setup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan_in(page, userid: str, start: str = "/roster/mine/"):
    page.goto(start)  # not signed in: the login page, which offers WeCom
    page.get_by_test_id("sso-wecom").click()
    expect(page.get_by_test_id("authorise-wecom")).to_be_visible()  # the provider's page (its QR code)
    page.get_by_test_id(f"scan-{userid}").click()


def test_e2e_agent_scans_and_lands_on_my_shifts_as_herself(page, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    scan_in(page, "zhangwei")
    page.wait_for_url("**/roster/mine/")
    expect(page.get_by_test_id("user-menu")).to_contain_text("张伟")
    expect(page.locator("h1")).to_contain_text("我的班次")
    assert SocialAccount.objects.filter(user=agent, provider="wecom", uid="zhangwei").exists()


def test_e2e_unknown_identity_gets_ask_your_supervisor_and_no_account(page, agent, wecom):
    wecom.add_person("stranger", "路人甲")
    users = User.objects.count()
    scan_in(page, "stranger")
    refused = page.get_by_test_id("sso-refused")
    expect(refused).to_contain_text("请客服主管为您关联账号")
    expect(page.get_by_test_id("sso-facts")).to_contain_text("stranger")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)  # nobody signed in
    assert User.objects.count() == users and SocialAccount.objects.count() == 0


def test_e2e_leaver_cannot_sign_in_the_day_after(page, agent, wecom):
    today = timezone.localdate()
    agent.profile.wecom_id = "zhangwei"
    agent.profile.left_on = today + timedelta(days=1)  # today is her last day: she still signs in
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    scan_in(page, "zhangwei")
    page.wait_for_url("**/roster/mine/")
    page.context.clear_cookies()
    agent.profile.left_on = today  # the day after her last day has come
    agent.profile.save()
    scan_in(page, "zhangwei")
    expect(page.get_by_test_id("sso-refused")).to_contain_text("此登录方式已不能使用")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)


def test_e2e_swap_offer_reaches_colleagues_personal_messages_and_opens_the_swap_signed_in(
    page, live_server, settings, team, agent, lead, wecom
):
    settings.SITE_URL = live_server.url
    setup = leave_setup(team, agent, lead)
    colleague = setup.people["D"]
    colleague.wecom_id = "sunjie"
    colleague.save()
    wecom.add_person("sunjie", colleague.name)
    swap = propose_swap(
        profile=agent.profile,
        give_shift_id=setup.shift(0).pk,
        colleague_id=colleague.pk,
        take_shift_id=setup.shift(1).pk,
    )
    assert sending.send_due()["sent"] >= 1
    assert Outbox.objects.get(channel=Channel.PERSONAL).recipient_id == colleague.pk
    [message] = wecom.messages_to("sunjie")
    assert "张伟" in message.title
    # The colleague taps the message in WeCom: WeCom signs her in to the app's page at once (免登).
    wecom.signed_in_user = "sunjie"
    page.goto(message.url)
    # (The local WeCom keeps the authorise address's #wechat_redirect, which the browser carries along.)
    page.wait_for_url(lambda url: f"/roster/{team.slug}/requests/swap/{swap.pk}/" in url)
    expect(page.get_by_test_id("user-menu")).to_contain_text(colleague.name)
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("state")).to_have_text("待值班组长审批")
