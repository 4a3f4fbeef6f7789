"""Reads of sign-in: the providers and their credentials, who may be linked, who is linked."""

import os

from allauth.socialaccount.models import SocialAccount
from django.db.models import Prefetch, Q
from django.utils import timezone

from dutydesk.models import Profile
from dutydesk.sso import connection, crypto, platforms, rules
from dutydesk.sso.models import MESSAGING, LinkEvent, Provider, ProviderSettings, SignInPolicy


def provider_settings(provider: str) -> ProviderSettings | None:
    return ProviderSettings.objects.filter(provider=provider).first()


def all_provider_settings() -> dict[str, ProviderSettings | None]:
    """Every provider, saved or not, in the order of Provider."""
    saved = {row.provider: row for row in ProviderSettings.objects.all()}
    return {p.value: saved.get(p.value) for p in Provider}


def provider_installed(provider: str) -> bool:
    """rules.provider_installed on this server: whether python-ldap can be imported here."""
    return rules.provider_installed(provider, ldap_importable=connection.ldap_installed())


def enabled_providers() -> list[ProviderSettings]:
    return list(ProviderSettings.objects.filter(enabled=True).order_by("provider"))


def passwords_allowed() -> bool:
    policy = SignInPolicy.objects.filter(pk=1).first()
    return policy is None or policy.passwords_allowed


def secret_of(row: ProviderSettings) -> str:
    """The provider's secret: the environment variable named on the settings wins over the stored one."""
    if row.secret_env:
        return os.environ.get(row.secret_env, "")
    if row.secret_encrypted:
        return crypto.decrypt(row.secret_encrypted)
    return ""


def credentials(row: ProviderSettings) -> platforms.Credentials:
    return platforms.Credentials(
        provider=row.provider,
        corp_id=row.corp_id,
        agent_id=row.agent_id,
        app_key=row.app_key,
        secret=secret_of(row),
        messages_per_minute=row.messages_per_minute,
    )


def messaging_providers() -> list[str]:
    """The chat apps that carry personal messages now (enabled, with messages on)."""
    return list(
        ProviderSettings.objects.filter(
            enabled=True, messaging=True, provider__in=[p.value for p in MESSAGING]
        ).values_list("provider", flat=True)
    )


def messaging_credentials() -> dict[str, platforms.Credentials]:
    """The chat apps that carry personal messages now (enabled, with messages on): {provider: credentials}."""
    rows = ProviderSettings.objects.filter(enabled=True, messaging=True, provider__in=[p.value for p in MESSAGING])
    return {row.provider: credentials(row) for row in rows}


def candidates(provider: str) -> list[rules.Candidate]:
    """Everyone who could own an identity of `provider`: active accounts, with their stored ids and the identity
    of this provider already linked to them."""
    field = rules.IM_ID_FIELD.get(provider)
    linked = dict(SocialAccount.objects.filter(provider=provider).values_list("user_id", "uid"))
    rows = Profile.objects.filter(user__is_active=True).values_list(
        "id", "user_id", field or "employee_number", "employee_number", "phone", "user__email", "left_on"
    )
    return [
        rules.Candidate(
            profile_id=pid,
            im_id=im_id if field else "",
            employee_number=number,
            mobile=phone,
            email=email,
            left_on=left_on,
            linked_uid=linked.get(user_id, ""),
        )
        for pid, user_id, im_id, number, phone, email, left_on in rows
    ]


def account_of(provider: str, uid: str) -> SocialAccount | None:
    return SocialAccount.objects.filter(provider=provider, uid=uid).select_related("user__profile").first()


def personal_addresses(profile_ids, providers) -> dict[int, dict[str, str]]:
    """{profile id: {provider: the person's user id there}} for the chat apps given, from linked identities and,
    for people not linked yet, the user id HR stored on their profile. Leavers from their leaving date have none
    (rules.identity_usable): their messages stop with their sign-in."""
    profile_ids, providers = list(profile_ids), list(providers)
    found: dict[int, dict[str, str]] = {}
    if not profile_ids or not providers:
        return found
    staying = Profile.objects.filter(pk__in=profile_ids).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate())
    )
    profile_ids = list(staying.values_list("pk", flat=True))
    if not profile_ids:
        return found
    for pid, provider, uid in SocialAccount.objects.filter(
        user__profile__in=profile_ids, provider__in=providers
    ).values_list("user__profile__id", "provider", "uid"):
        found.setdefault(pid, {})[provider] = uid
    fields = {p: rules.IM_ID_FIELD[p] for p in providers if p in rules.IM_ID_FIELD}
    for row in Profile.objects.filter(pk__in=profile_ids).values("id", *fields.values()):
        for provider, field in fields.items():
            if row[field]:
                found.setdefault(row["id"], {}).setdefault(provider, row[field])
    return found


def team_identities(team):
    """The team's people with their linked identities and the last link events, for the supervisor's page."""
    return (
        Profile.objects.filter(team=team)
        .select_related("user")
        .prefetch_related(
            Prefetch("user__socialaccount_set", queryset=SocialAccount.objects.order_by("provider")),
        )
        .order_by("left_on", "name")
    )


def recent_link_events(team, limit: int = 20):
    return LinkEvent.objects.filter(profile__team=team).select_related("profile", "actor")[:limit]


def linked_account_of_team(team, account_id: int) -> SocialAccount | None:
    return SocialAccount.objects.filter(pk=account_id, user__profile__team=team).select_related("user__profile").first()
