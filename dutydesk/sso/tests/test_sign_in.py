"""Sign-in through the local WeCom, DingTalk, Feishu and OpenID Connect servers with Django's test client: who is
signed in, who is linked, and what every bad input does (a clear page, nothing linked, nobody signed in)."""

import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user
from django.contrib.auth.models import User
from django.utils import timezone

from dutydesk.models import Role
from dutydesk.sso.models import LinkEvent
from dutydesk.sso.tests.helpers import authorise_links, local, scan, start
from testdata import make_person

pytestmark = pytest.mark.usefixtures("english")

WECOM_LOGIN = "/accounts/sso/wecom/login/"


def refusal(response) -> str:
    """The reason our refusal page names (data-reason), or "" when the answer is not that page."""
    text = response.content.decode()
    marker = 'data-reason="'
    return text.split(marker, 1)[1].split('"', 1)[0] if marker in text else ""


def signed_in_as(client):
    user = get_user(client)
    return user.pk if user.is_authenticated else None


def test_wecom_scan_links_by_stored_user_id_and_signs_in(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    response = scan(client, WECOM_LOGIN, "zhangwei", next_url="/roster/")
    assert (response.status_code, response["Location"]) == (302, "/roster/")
    assert signed_in_as(client) == agent.pk
    assert list(SocialAccount.objects.values_list("provider", "uid", "user_id")) == [("wecom", "zhangwei", agent.pk)]
    assert list(LinkEvent.objects.values_list("profile_id", "how", "action")) == [(agent.profile.pk, "im_id", "linked")]


def test_second_sign_in_uses_the_link_and_fetches_the_app_token_once(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    scan(client, WECOM_LOGIN, "zhangwei")
    client.logout()
    response = scan(client, WECOM_LOGIN, "zhangwei")
    assert response.status_code == 302 and signed_in_as(client) == agent.pk
    assert SocialAccount.objects.count() == 1 and LinkEvent.objects.count() == 1
    assert wecom.token_fetches == 1  # cached between sign-ins


def test_expired_app_token_is_fetched_again(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    scan(client, WECOM_LOGIN, "zhangwei")
    client.logout()
    wecom.expire_tokens()
    assert scan(client, WECOM_LOGIN, "zhangwei").status_code == 302
    assert signed_in_as(client) == agent.pk and wecom.token_fetches == 2


@pytest.mark.parametrize(
    ("field", "value", "how"),
    [
        ("employee_number", "E1001", "employee_number"),
        ("mobile", "+86 138-0013-8000", "mobile"),
        ("email", "Zhang.Wei@Example.com", "email"),
    ],
)
def test_link_by_employee_number_mobile_or_email(client, agent, wecom, field, value, how):
    profile = agent.profile
    profile.employee_number, profile.phone = "E1001", "13800138000"
    profile.save()
    agent.email = "zhang.wei@example.com"
    agent.save()
    wecom.add_person("zw", "张伟", **{field: value})
    assert scan(client, WECOM_LOGIN, "zw").status_code == 302
    assert signed_in_as(client) == agent.pk
    assert list(LinkEvent.objects.values_list("how", flat=True)) == [how]


def test_unknown_identity_gets_the_ask_your_supervisor_page_and_no_account(client, agent, wecom):
    wecom.add_person("stranger", "路人甲", mobile="13900000000")
    users_before = User.objects.count()
    response = scan(client, WECOM_LOGIN, "stranger")
    assert response.status_code == 403 and refusal(response) == "no_match"
    assert "Ask your supervisor to link your account" in response.content.decode()
    assert "stranger" in response.content.decode()  # the user id to give the supervisor
    assert signed_in_as(client) is None
    assert (User.objects.count(), SocialAccount.objects.count(), LinkEvent.objects.count()) == (users_before, 0, 0)


def test_two_people_with_one_mobile_links_nobody(client, team, wecom):
    for name in ("a", "b"):
        person = make_person(Role.AGENT, team, username=name)
        person.profile.phone = "138 0013 8000"
        person.profile.save()
    wecom.add_person("zw", "张伟", mobile="13800138000", email="a1@example.com")
    response = scan(client, WECOM_LOGIN, "zw")
    assert response.status_code == 403 and refusal(response) == "ambiguous"
    assert "mobile" in response.content.decode()
    assert signed_in_as(client) is None and SocialAccount.objects.count() == 0


def test_forged_state_is_refused(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    links = authorise_links(start(client, WECOM_LOGIN))
    forged = local(links["zhangwei"]).replace("state=", "state=forged")
    response = client.get(forged)
    assert response.status_code == 400 and refusal(response) == "state"
    assert signed_in_as(client) is None and SocialAccount.objects.count() == 0


def test_state_from_another_browser_is_refused(client, agent, wecom, django_user_model):
    from django.test import Client

    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    links = authorise_links(start(client, WECOM_LOGIN))
    other = Client()
    response = other.get(local(links["zhangwei"]))  # a callback this browser never started (login CSRF)
    assert response.status_code == 400 and refusal(response) == "state"
    assert signed_in_as(other) is None and SocialAccount.objects.count() == 0


def test_replayed_code_is_refused(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    links = authorise_links(start(client, WECOM_LOGIN))
    callback = local(links["zhangwei"])
    assert client.get(callback).status_code == 302
    client.logout()
    # The same code again, under a fresh state of this browser: the provider refuses a code it already took.
    fresh = authorise_links(start(client, WECOM_LOGIN))["zhangwei"]
    state = local(fresh).split("state=")[1]
    code = callback.split("code=")[1].split("&")[0]
    response = client.get(f"/accounts/sso/wecom/login/callback/?code={code}&state={state}")
    assert response.status_code == 400 and refusal(response) == "refused"
    assert signed_in_as(client) is None


def test_replayed_callback_is_refused(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    links = authorise_links(start(client, WECOM_LOGIN))
    callback = local(links["zhangwei"])
    assert client.get(callback).status_code == 302
    client.logout()
    response = client.get(callback)  # state and code both used
    assert response.status_code == 400 and refusal(response) == "state"
    assert signed_in_as(client) is None


def test_provider_answering_500_links_nothing(client, agent, wecom):
    wecom.add_person("zhangwei", "张伟")
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    links = authorise_links(start(client, WECOM_LOGIN))
    wecom.faults.fail_next = 5
    response = client.get(local(links["zhangwei"]))
    assert response.status_code == 400 and refusal(response) == "provider_error"
    assert "try again in a minute" in response.content.decode()
    assert signed_in_as(client) is None and SocialAccount.objects.count() == 0


def test_slow_provider_links_nothing(client, agent, wecom, settings):
    settings.SOCIALACCOUNT_REQUESTS_TIMEOUT = 1
    wecom.add_person("zhangwei", "张伟")
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    links = authorise_links(start(client, WECOM_LOGIN))
    wecom.faults.hold = True
    try:
        response = client.get(local(links["zhangwei"]))
    finally:
        wecom.release()
    assert response.status_code == 400 and refusal(response) == "slow"
    assert signed_in_as(client) is None and SocialAccount.objects.count() == 0


def test_leaver_cannot_sign_in_from_the_leaving_date(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    scan(client, WECOM_LOGIN, "zhangwei")
    client.logout()
    agent.profile.left_on = timezone.localdate()
    agent.profile.save()
    response = scan(client, WECOM_LOGIN, "zhangwei")
    assert response.status_code == 403 and refusal(response) == "left"
    assert signed_in_as(client) is None


def test_leaver_is_never_linked(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.left_on = timezone.localdate() - timedelta(days=3)
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    response = scan(client, WECOM_LOGIN, "zhangwei")
    assert refusal(response) == "no_match" and SocialAccount.objects.count() == 0


def test_dingtalk_scan_links_by_employee_number(client, agent, dingtalk):
    agent.profile.employee_number = "E2001"
    agent.profile.save()
    dingtalk.add_person("ding-zw", "张伟", employee_number="E2001")
    response = scan(client, "/accounts/sso/dingtalk/login/", "ding-zw", next_url="/roster/")
    assert (response.status_code, response["Location"]) == (302, "/roster/")
    assert signed_in_as(client) == agent.pk
    assert list(SocialAccount.objects.values_list("provider", "uid")) == [("dingtalk", "ding-zw")]


def test_dingtalk_replayed_code_is_refused(client, agent, dingtalk):
    agent.profile.dingtalk_id = "ding-zw"
    agent.profile.save()
    dingtalk.add_person("ding-zw", "张伟")
    links = authorise_links(start(client, "/accounts/sso/dingtalk/login/"))
    callback = local(links["ding-zw"])
    assert client.get(callback).status_code == 302
    client.logout()
    state = local(authorise_links(start(client, "/accounts/sso/dingtalk/login/"))["ding-zw"]).split("state=")[1]
    code = callback.split("authCode=")[1].split("&")[0]
    response = client.get(f"/accounts/sso/dingtalk/login/callback/?authCode={code}&state={state}")
    assert refusal(response) == "refused" and signed_in_as(client) is None


def test_dingtalk_answering_500_links_nothing(client, agent, dingtalk):
    dingtalk.add_person("ding-zw", "张伟", employee_number="E2001")
    agent.profile.employee_number = "E2001"
    agent.profile.save()
    links = authorise_links(start(client, "/accounts/sso/dingtalk/login/"))
    dingtalk.faults.fail_next = 1
    response = client.get(local(links["ding-zw"]))
    assert refusal(response) == "provider_error" and SocialAccount.objects.count() == 0


def test_feishu_scan_links_by_email(client, agent, feishu):
    agent.email = "zw@example.com"
    agent.save()
    feishu.add_person("fs-zw", "张伟", email="zw@example.com")
    response = scan(client, "/accounts/sso/feishu/login/", "fs-zw")
    assert response.status_code == 302 and signed_in_as(client) == agent.pk
    assert list(SocialAccount.objects.values_list("provider", "uid")) == [("feishu", "fs-zw")]


def test_oidc_sign_in_links_by_employee_number(client, agent, oidc):
    agent.profile.employee_number = "E3001"
    agent.profile.save()
    oidc.add_person("sub-3001", "张伟", employee_number="E3001")
    response = scan(client, "/accounts/sso/oidc/oidc/login/", "sub-3001")
    assert response.status_code == 302 and signed_in_as(client) == agent.pk
    assert list(SocialAccount.objects.values_list("provider", "uid")) == [("oidc", "sub-3001")]


def test_oidc_replayed_code_is_refused(client, agent, oidc):
    agent.profile.employee_number = "E3001"
    agent.profile.save()
    oidc.add_person("sub-3001", "张伟", employee_number="E3001")
    links = authorise_links(start(client, "/accounts/sso/oidc/oidc/login/"))
    callback = local(links["sub-3001"])
    assert client.get(callback).status_code == 302
    client.logout()
    state = local(authorise_links(start(client, "/accounts/sso/oidc/oidc/login/"))["sub-3001"]).split("state=")[1]
    code = callback.split("code=")[1].split("&")[0]
    response = client.get(f"/accounts/sso/oidc/oidc/login/callback/?code={code}&state={state}")
    assert refusal(response) == "refused" and signed_in_as(client) is None


def test_disabled_provider_has_no_sign_in(client, wecom):
    from dutydesk.sso.models import ProviderSettings

    ProviderSettings.objects.filter(provider="wecom").update(enabled=False)
    response = client.post(WECOM_LOGIN, {"process": "login"})
    assert response.status_code == 404


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_workbench_home_signs_in_inside_wecom_without_a_second_login(client, agent, wecom):
    # Item 1, 免登: the app's home page in WeCom's workbench is /accounts/open/wecom/ (the provider page says so);
    # inside WeCom the in-app authorise address answers at once for the member signed in there: no QR, no password.
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    wecom.signed_in_user = "zhangwei"
    authorise = client.get("/accounts/open/wecom/")["Location"]
    assert urlsplit(authorise).path == "/connect/oauth2/authorize"
    try:
        urllib.request.build_opener(_NoRedirect).open(authorise.split("#")[0], timeout=10)
        raise AssertionError("the in-app authorise address asked something")
    except urllib.error.HTTPError as answer:
        callback = answer.headers["Location"]
    response = client.get(local(callback))
    assert (response.status_code, response["Location"], signed_in_as(client)) == (302, "/", agent.pk)


def test_provider_page_gives_the_workbench_address(client, manager, wecom):
    client.force_login(manager)
    page = client.get("/accounts/providers/wecom/").content.decode()
    assert 'data-testid="workbench-url">http://testserver/accounts/open/wecom/<' in page
    assert 'data-testid="workbench-url"' not in client.get("/accounts/providers/oidc/").content.decode()


@pytest.mark.parametrize("platform", ["dingtalk", "feishu"])
def test_workbench_home_signs_in_inside_dingtalk_and_feishu(client, agent, platform, request):
    # As the local servers answer inside the chat app (the member signed in there, no page shown): the workbench
    # address signs in at once and opens the home page. That the real clients answer so is their documentation's
    # word (免登), not checked here.
    fake = request.getfixturevalue(platform)
    agent.profile.employee_number = "E2001"
    agent.profile.save()
    fake.add_person("im-zw", "张伟", employee_number="E2001")
    fake.signed_in_user = "im-zw"
    authorise = client.get(f"/accounts/open/{platform}/")["Location"]
    try:
        urllib.request.build_opener(_NoRedirect).open(authorise, timeout=10)
        raise AssertionError("the authorise address asked something")
    except urllib.error.HTTPError as answer:
        callback = answer.headers["Location"]
    response = client.get(local(callback))
    assert (response.status_code, response["Location"], signed_in_as(client)) == (302, "/", agent.pk)
