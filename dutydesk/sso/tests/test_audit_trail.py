"""Linking and unlinking identities, providers' settings and the password rule are recorded in the audit trail
with their real actor (dutydesk.audit, issue 28 item 4): who, whose identity, before and after; a provider's secret
never, neither typed nor encrypted, only that one is stored or was replaced. A refused link records nothing."""

import pytest
from allauth.socialaccount.models import SocialAccount

from dutydesk.audit.models import AuditEvent
from dutydesk.audit.rules import person
from dutydesk.sso.models import ProviderSettings
from dutydesk.sso.tests.helpers import scan

pytestmark = pytest.mark.usefixtures("english")


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def test_supervisor_link_and_unlink_are_recorded_with_the_supervisor_and_the_person(client, team, agent, supervisor):
    client.force_login(supervisor)
    client.post(f"/accounts/identities/{team.slug}/{agent.profile.pk}/link/", {"provider": "dingtalk", "uid": "d-1"})
    account = SocialAccount.objects.get()
    client.post(f"/accounts/identities/{team.slug}/unlink/{account.pk}/")
    [linked], [unlinked] = events("sso.link"), events("sso.unlink")
    assert (linked.actor_id, linked.actor_name, linked.team_id) == (supervisor.profile.pk, "王芳", team.pk)
    assert linked.after == {"provider": "dingtalk", "uid": "d-1", "how": "supervisor"} and linked.before is None
    assert (unlinked.actor_name, unlinked.before, unlinked.after) == (
        "王芳",
        {"provider": "dingtalk", "uid": "d-1"},
        None,
    )
    assert person(agent.profile) in linked.refs and person(agent.profile) in unlinked.refs
    # The person's history shows both, in the reader's language.
    page = client.get(f"/history/{team.slug}/?person={agent.profile.pk}").content.decode()
    assert "Linked a sign-in identity" in page and "Unlinked a sign-in identity" in page


def test_refused_link_records_nothing(client, team, agent, lead, supervisor):
    SocialAccount.objects.create(user=lead, provider="wecom", uid="wx-lead")
    client.force_login(supervisor)
    client.post(f"/accounts/identities/{team.slug}/{agent.profile.pk}/link/", {"provider": "wecom", "uid": "wx-lead"})
    assert not AuditEvent.objects.filter(action__startswith="sso.").exists()


def test_first_sign_in_link_is_recorded_as_the_person_who_signed_in(client, agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    scan(client, "/accounts/sso/wecom/login/", "zhangwei")
    [linked] = events("sso.link")
    assert (linked.actor_id, linked.after) == (
        agent.profile.pk,
        {"provider": "wecom", "uid": "zhangwei", "how": "im_id"},
    )


def test_provider_settings_recorded_without_the_secret(client, manager):
    client.force_login(manager)
    form = {"enabled": "on", "corp_id": "ww1", "agent_id": "1000002", "messages_per_minute": "600"}
    client.post("/accounts/providers/wecom/", {**form, "secret": "top-secret-1"})
    client.post("/accounts/providers/wecom/", {**form, "corp_id": "ww2"})
    client.post("/accounts/providers/wecom/", {**form, "corp_id": "ww2", "secret": "top-secret-2"})
    created, changed, replaced = events("sso.provider_settings")
    assert created.actor_name == "刘强" and created.before is None
    assert created.after["corp_id"] == "ww1" and created.after["secret_stored"] is True
    assert (changed.before, changed.after) == ({"corp_id": "ww1"}, {"corp_id": "ww2"})
    assert replaced.after == {"secret_replaced": True}
    stored = ProviderSettings.objects.get().secret_encrypted
    trail = str(list(AuditEvent.objects.values_list("before", "after", "target_label")))
    assert "top-secret" not in trail and stored not in trail and stored[:20] not in trail


def test_password_rule_recorded(client, manager, wecom):
    client.force_login(manager)
    client.post("/accounts/providers/", {})  # the box unticked: passwords off
    [event] = events("sso.password_policy")
    assert (event.actor_name, event.before, event.after) == (
        "刘强",
        {"passwords_allowed": True},
        {"passwords_allowed": False},
    )
