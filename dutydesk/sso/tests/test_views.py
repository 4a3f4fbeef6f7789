"""The supervisor's linked accounts and the manager's sign-in settings: what they show, what they change, what they
refuse; secrets never shown again."""

import pytest
from allauth.socialaccount.models import SocialAccount

from dutydesk.models import Role
from dutydesk.sso import crypto
from dutydesk.sso.models import LinkEvent, ProviderSettings, SignInPolicy
from testdata import make_person

pytestmark = pytest.mark.usefixtures("english")


def test_identities_page_lists_links_in_fixed_queries(client, team, supervisor, django_assert_max_num_queries):
    for n in range(12):
        person = make_person(Role.AGENT, team, username=f"p{n}")
        SocialAccount.objects.create(user=person, provider="wecom", uid=f"wx{n}")
    client.force_login(supervisor)
    with django_assert_max_num_queries(14):
        page = client.get(f"/accounts/identities/{team.slug}/").content.decode()
    assert page.count('data-testid="linked-wecom"') == 12


def test_supervisor_links_and_unlinks_with_confirmation(client, team, agent, supervisor):
    client.force_login(supervisor)
    response = client.post(
        f"/accounts/identities/{team.slug}/{agent.profile.pk}/link/",
        {"provider": "dingtalk", "uid": "ding-1"},
        follow=True,
    )
    assert "can now sign in with it" in response.content.decode()
    account = SocialAccount.objects.get()
    assert (account.user_id, account.provider, account.uid) == (agent.pk, "dingtalk", "ding-1")
    confirm = client.get(f"/accounts/identities/{team.slug}/unlink/{account.pk}/").content.decode()
    assert "Unlink this account?" in confirm and SocialAccount.objects.count() == 1
    client.post(f"/accounts/identities/{team.slug}/unlink/{account.pk}/")
    assert SocialAccount.objects.count() == 0
    assert list(LinkEvent.objects.order_by("id").values_list("action", "how", "actor_id")) == [
        ("linked", "supervisor", supervisor.profile.pk),
        ("unlinked", "", supervisor.profile.pk),
    ]
    again = client.post(f"/accounts/identities/{team.slug}/unlink/{account.pk}/", follow=True).content.decode()
    assert "unlinked already" in again  # a double click changes nothing


def test_identity_of_someone_else_is_refused_with_a_message(client, team, agent, lead, supervisor):
    SocialAccount.objects.create(user=lead, provider="wecom", uid="wx-lead")
    client.force_login(supervisor)
    response = client.post(
        f"/accounts/identities/{team.slug}/{agent.profile.pk}/link/",
        {"provider": "wecom", "uid": "wx-lead"},
        follow=True,
    )
    assert "already linked to 李娜" in response.content.decode()
    assert SocialAccount.objects.count() == 1


def test_other_teams_person_and_account_answer_404(client, team, other_team, outsider, agent):
    account = SocialAccount.objects.create(user=agent, provider="wecom", uid="wx")
    client.force_login(outsider)
    assert client.get(f"/accounts/identities/{team.slug}/").status_code == 404
    own = other_team.slug
    assert (
        client.post(
            f"/accounts/identities/{own}/{agent.profile.pk}/link/", {"provider": "wecom", "uid": "x"}
        ).status_code
        == 404
    )
    assert client.post(f"/accounts/identities/{own}/unlink/{account.pk}/").status_code == 302
    assert SocialAccount.objects.count() == 1  # another team's account: "unlinked already", nothing changed


def test_manager_saves_provider_secret_is_encrypted_and_never_shown(client, manager):
    client.force_login(manager)
    client.post(
        "/accounts/providers/wecom/",
        {
            "enabled": "on",
            "corp_id": "ww1",
            "agent_id": "1000002",
            "secret": "top-secret-1",
            "messages_per_minute": "600",
        },
    )
    row = ProviderSettings.objects.get(provider="wecom")
    assert row.enabled and "top-secret-1" not in row.secret_encrypted
    assert crypto.decrypt(row.secret_encrypted) == "top-secret-1"
    page = client.get("/accounts/providers/wecom/").content.decode()
    assert "top-secret-1" not in page and 'data-testid="secret-kept"' in page
    assert "/accounts/sso/wecom/login/callback/" in page
    # Saved again without a secret: the stored one stays.
    client.post(
        "/accounts/providers/wecom/",
        {"enabled": "on", "corp_id": "ww2", "agent_id": "1000002", "messages_per_minute": "600"},
    )
    row.refresh_from_db()
    assert row.corp_id == "ww2" and crypto.decrypt(row.secret_encrypted) == "top-secret-1"


def test_provider_turned_on_without_what_it_needs_is_refused(client, manager):
    client.force_login(manager)
    response = client.post("/accounts/providers/oidc/", {"enabled": "on", "server_url": "http://id.example.com"})
    text = response.content.decode()
    assert (
        response.status_code == 200 and "must start with https://" in text and "Needed to turn the provider on" in text
    )
    assert not ProviderSettings.objects.exists()


def test_secret_from_the_environment(client, manager, monkeypatch):
    client.force_login(manager)
    client.post(
        "/accounts/providers/feishu/",
        {"enabled": "on", "app_key": "cli_1", "secret_env": "DUTYDESK_FEISHU_SECRET", "messages_per_minute": "1000"},
    )
    row = ProviderSettings.objects.get(provider="feishu")
    assert (row.secret_env, row.secret_encrypted) == ("DUTYDESK_FEISHU_SECRET", "")
    from dutydesk.sso import queries

    monkeypatch.setenv("DUTYDESK_FEISHU_SECRET", "from-env")
    assert queries.secret_of(row) == "from-env"


def test_test_connection_button(client, manager, wecom):
    client.force_login(manager)
    ok = client.post("/accounts/providers/wecom/test/", follow=True).content.decode()
    assert "these settings work" in ok
    ProviderSettings.objects.filter(provider="wecom").update(agent_id="999")
    bad = client.post("/accounts/providers/wecom/test/", follow=True).content.decode()
    assert "The test failed" in bad and "invalid agentid" in bad


def test_test_connection_oidc(client, manager, oidc):
    client.force_login(manager)
    assert "these settings work" in client.post("/accounts/providers/oidc/test/", follow=True).content.decode()


def test_passwords_cannot_be_turned_off_without_a_provider(client, manager):
    client.force_login(manager)
    response = client.post("/accounts/providers/", {}, follow=True).content.decode()
    assert "Turn on a sign-in provider first" in response
    assert not SignInPolicy.objects.exists()


def test_passwords_off_hide_the_password_form(client, manager, wecom):
    client.force_login(manager)
    client.post("/accounts/providers/", {})
    assert SignInPolicy.objects.get().passwords_allowed is False
    client.logout()
    page = client.get("/accounts/login/").content.decode()
    assert 'data-testid="sso-wecom"' in page and 'data-testid="login-submit"' not in page


def test_login_page_allows_posting_on_to_the_enabled_providers(client, wecom):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert wecom.url in form_action and "'self'" in form_action


@pytest.mark.parametrize("platform", ["dingtalk", "feishu"])
def test_test_connection_dingtalk_and_feishu(client, manager, platform, request):
    # Against the local DingTalk / Feishu servers: a fresh app token with the saved key and secret.
    request.getfixturevalue(platform)
    client.force_login(manager)
    ok = client.post(f"/accounts/providers/{platform}/test/", follow=True).content.decode()
    assert "these settings work" in ok
    ProviderSettings.objects.filter(provider=platform).update(secret_encrypted=crypto.encrypt("not-the-secret"))
    bad = client.post(f"/accounts/providers/{platform}/test/", follow=True).content.decode()
    assert "The test failed" in bad and "these settings work" not in bad
