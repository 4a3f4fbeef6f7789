"""Demo sign-in: the company's providers filled in as an example but turned off (the demo reaches no outside
network), and the WeCom identities of team-east linked as first sign-ins would have linked them (by the WeCom user
id HR's file gave), so the supervisor's page shows who is linked and who is not."""

from typing import Any

from allauth.socialaccount.models import SocialAccount
from django.db import transaction

from dutydesk.models import Profile, Role
from dutydesk.sso import services
from dutydesk.sso.models import LinkHow, Provider, ProviderSettings

PROVIDERS: dict[str, dict[str, Any]] = {
    Provider.WECOM: {"corp_id": "ww5a1e0c4d2b3f6a71", "agent_id": "1000002", "secret_env": "DUTYDESK_WECOM_SECRET"},
    Provider.DINGTALK: {
        "corp_id": "ding8e2f1c0a9b7d6e54",
        "agent_id": "2861234567",
        "app_key": "dingxkq3vz2m8w1p0r5t",
        "secret_env": "DUTYDESK_DINGTALK_SECRET",
        "messages_per_minute": 1500,
    },
    Provider.FEISHU: {
        "app_key": "cli_a5f3e2d1c0b9a876",
        "secret_env": "DUTYDESK_FEISHU_SECRET",
        "messages_per_minute": 1000,
    },
    Provider.OIDC: {"server_url": "https://id.example.com/realms/staff", "app_key": "dutydesk"},
    Provider.LDAP: {"server_url": "ldaps://ldap.example.com", "search_base": "ou=people,dc=example,dc=com"},
}
LINKED = [f"agent{n:02d}" for n in range(1, 15)]  # team-east's agents, but its last three new hires


@transaction.atomic
def load(*, today) -> None:
    """Through the services, so the audit history shows the manager setting the providers up and each first
    sign-in's link (times are those of the load: the trail is append-only and never backdated)."""
    manager = Profile.objects.filter(role=Role.MANAGER).order_by("pk").first()
    assert manager is not None, "people's demo (a manager) loads first"
    for provider, values in PROVIDERS.items():
        if ProviderSettings.objects.filter(provider=provider).exists():
            continue
        messaging = provider not in (Provider.OIDC, Provider.LDAP)
        services.save_provider_settings(
            provider=provider, editor=manager, values={**values, "enabled": False, "messaging": messaging}, secret=None
        )
    agents = Profile.objects.filter(user__username__in=LINKED, role=Role.AGENT).select_related("user")
    for profile in sorted(agents, key=lambda p: p.user.username):
        uid = profile.wecom_id or f"east-{profile.user.username}"
        if not profile.wecom_id:
            profile.wecom_id = uid
            profile.save(update_fields=["wecom_id"])
        if SocialAccount.objects.filter(provider=Provider.WECOM, uid=uid).exists():
            continue
        # As the person's first WeCom sign-in would link them: by the user id HR's file gave (actor: themselves).
        services.link_identity(
            profile, provider=Provider.WECOM, uid=uid, how=LinkHow.IM_ID, actor=None, extra_data={"name": profile.name}
        )
