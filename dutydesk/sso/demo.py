"""Demo sign-in: the company's providers filled in as an example but turned off (the demo reaches no outside
network), and the WeCom identities of team-east linked as first sign-ins would have linked them (by the WeCom user
id HR's file gave), so the supervisor's page shows who is linked and who is not."""

from datetime import datetime, time, timedelta

from allauth.socialaccount.models import SocialAccount
from django.db import transaction
from django.utils import timezone

from dutydesk.models import Profile, Role
from dutydesk.sso.models import LinkAction, LinkEvent, LinkHow, Provider, ProviderSettings

PROVIDERS = {
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
    for provider, values in PROVIDERS.items():
        ProviderSettings.objects.get_or_create(
            provider=provider,
            defaults={**values, "enabled": False, "messaging": provider != Provider.OIDC and provider != Provider.LDAP},
        )
    agents = Profile.objects.filter(user__username__in=LINKED, role=Role.AGENT).select_related("user")
    when = datetime.combine(today - timedelta(days=20), time(9), tzinfo=timezone.get_current_timezone())
    for n, profile in enumerate(sorted(agents, key=lambda p: p.user.username)):
        uid = profile.wecom_id or f"east-{profile.user.username}"
        if not profile.wecom_id:
            profile.wecom_id = uid
            profile.save(update_fields=["wecom_id"])
        _, created = SocialAccount.objects.get_or_create(
            provider=Provider.WECOM, uid=uid, defaults={"user": profile.user, "extra_data": {"name": profile.name}}
        )
        if created:
            LinkEvent.objects.create(
                profile=profile,
                provider=Provider.WECOM,
                uid=uid,
                action=LinkAction.LINKED,
                how=LinkHow.IM_ID,
                at=when + timedelta(hours=n * 5),
            )
