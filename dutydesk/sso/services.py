"""Every write of sign-in: linking and unlinking identities, the providers' settings, the password policy."""

from allauth.socialaccount.models import SocialAccount
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.audit import rules as audit_rules
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile
from dutydesk.sso import connection, crypto, platforms, queries, rules
from dutydesk.sso.models import (
    MESSAGING,
    LinkAction,
    LinkEvent,
    LinkHow,
    Provider,
    ProviderSettings,
    SignInPolicy,
)


class SsoError(Exception):
    """A user action that cannot be done; the message is translated and shown as is."""


def link_identity(
    profile: Profile, *, provider: str, uid: str, how: str, actor: Profile | None, extra_data: dict | None = None
) -> SocialAccount:
    """Link the identity (provider, uid) to `profile`. Side effects: one SocialAccount, one LinkEvent.

    Refused (SsoError, nothing written) when the identity belongs to someone else, the person already has another
    identity of this provider, or the person has left. Two sign-ins at once: the database's unique (provider, uid)
    and the lock on the person keep one link.
    """
    uid = uid.strip()
    if not uid:
        raise SsoError(_("Enter the user id on the provider."))
    with transaction.atomic():
        person = Profile.objects.select_for_update().select_related("user").get(pk=profile.pk)
        if not rules.identity_usable(person.left_on, timezone.localdate()):
            raise SsoError(_("%(name)s has left; their identities are not linked any more.") % {"name": person.name})
        existing = SocialAccount.objects.filter(provider=provider, uid=uid).select_related("user__profile").first()
        if existing is not None:
            if existing.user_id == person.user_id:
                return existing
            raise SsoError(_("This identity is already linked to %(name)s.") % {"name": existing.user.profile.name})
        if SocialAccount.objects.filter(provider=provider, user=person.user).exists():
            raise SsoError(
                _("%(name)s already has a linked %(provider)s identity; unlink it first.")
                % {"name": person.name, "provider": Provider(provider).label}
            )
        try:
            with transaction.atomic():
                account = SocialAccount.objects.create(
                    user=person.user, provider=provider, uid=uid, extra_data=extra_data or {}
                )
        except IntegrityError:
            raise SsoError(_("Somebody linked this identity a moment ago; reload the page.")) from None
        event = LinkEvent.objects.create(
            profile=person, provider=provider, uid=uid, action=LinkAction.LINKED, how=how, actor=actor
        )
        # The audit trail: a supervisor's link names the supervisor; a first sign-in names the person who signed in.
        _record_link("sso.link", event, actor=actor or person, after=snapshot(event, _LINK_FIELDS))
    return account


_LINK_FIELDS = ("provider", "uid", "how")


def _record_link(action: str, event: LinkEvent, *, actor: Profile, before=None, after=None) -> None:
    person = event.profile
    record(
        action,
        actor=actor,
        target=event,
        team=person.team_id,
        before=before,
        after=after,
        label=person.name,
        refs=[audit_rules.person(person)],
    )


def link_signed_in(provider: str, facts: rules.Facts, extra_data: dict) -> tuple[SocialAccount | None, rules.Decision]:
    """The first sign-in of an identity: find its person by the rules and link it (no actor: the person signed in
    themselves). Returns (account, decision); account is None, and nothing is written, when the rules refuse."""
    decision = rules.match(provider, facts, queries.candidates(provider), today=timezone.localdate())
    if decision.profile_id is None:
        return None, decision
    person = Profile.objects.get(pk=decision.profile_id)
    try:
        account = link_identity(
            person, provider=provider, uid=facts.uid, how=decision.how, actor=None, extra_data=extra_data
        )
    except SsoError:
        return None, rules.Decision(None, refusal=rules.TAKEN, step=decision.how)
    return account, decision


def unlink_identity(account: SocialAccount, *, actor: Profile) -> None:
    """A supervisor unlinks an identity: it signs nobody in until linked again. Twice at once: the second finds
    nothing and changes nothing."""
    with transaction.atomic():
        row = (
            SocialAccount.objects.select_for_update(of=("self",))
            .filter(pk=account.pk)
            .select_related("user__profile")
            .first()
        )
        if row is None:
            raise SsoError(_("This identity was unlinked already."))
        event = LinkEvent.objects.create(
            profile=row.user.profile, provider=row.provider, uid=row.uid, action=LinkAction.UNLINKED, actor=actor
        )
        _record_link("sso.unlink", event, actor=actor, before=snapshot(event, ("provider", "uid")))
        row.delete()


def link_by_supervisor(profile: Profile, *, provider: str, uid: str, actor: Profile) -> SocialAccount:
    return link_identity(profile, provider=provider, uid=uid, how=LinkHow.SUPERVISOR, actor=actor)


# --- Provider settings --------------------------------------------------------------------------------------------


@transaction.atomic
def save_provider_settings(*, provider: str, editor: Profile, values: dict, secret: str | None) -> ProviderSettings:
    """Save one provider's settings. `secret` None keeps the stored secret; a value replaces it (encrypted) and
    clears the environment variable name unless one is given in `values`. Turning on a provider this server
    cannot use (the company directory without python-ldap) is refused (SsoError, nothing saved)."""
    if values.get("enabled") and not queries.provider_installed(provider):
        raise SsoError(str(connection.LDAP_NOT_INSTALLED))
    row = ProviderSettings.objects.select_for_update().filter(provider=provider).first() or ProviderSettings(
        provider=provider
    )
    before = _settings_shown(row) if row.pk else None
    for field in (
        "enabled",
        "corp_id",
        "agent_id",
        "app_key",
        "secret_env",
        "server_url",
        "search_base",
        "login_attribute",
        "messaging",
        "messages_per_minute",
    ):
        if field in values:
            setattr(row, field, values[field])
    if provider not in MESSAGING:
        row.messaging = False
    if secret:
        row.secret_encrypted = crypto.encrypt(secret)
    if row.secret_env:
        row.secret_encrypted = ""  # one source of the secret: the environment, when it is named
    row.updated_at, row.updated_by = timezone.now(), editor
    row.save()
    after = _settings_shown(row)
    if secret:
        after["secret_replaced"] = True  # a new secret typed in: recorded that it changed, never what it is
    record("sso.provider_settings", actor=editor, target=row, before=before, after=after)
    return row


def _settings_shown(row: ProviderSettings) -> dict:
    """What the audit trail keeps of a provider's settings: every field but the secret, of which only whether one
    is stored (and the name of its environment variable)."""
    shown = snapshot(row, [f.name for f in ProviderSettings._meta.concrete_fields])
    for field in ("secret_encrypted", "updated_at", "updated_by"):
        shown.pop(field, None)
    shown["secret_stored"] = bool(row.secret_encrypted)
    return shown


@transaction.atomic
def set_passwords_allowed(*, allowed: bool, editor: Profile) -> None:
    if not allowed and not queries.enabled_providers():
        raise SsoError(_("Turn on a sign-in provider first: without one and without passwords nobody could sign in."))
    policy = SignInPolicy.objects.select_for_update().get_or_create(pk=1)[0]
    before = snapshot(policy, ("passwords_allowed",))
    policy.passwords_allowed, policy.updated_at, policy.updated_by = allowed, timezone.now(), editor
    policy.save()
    record(
        "sso.password_policy",
        actor=editor,
        target=policy,
        before=before,
        after=snapshot(policy, ("passwords_allowed",)),
        label=str(_("Sign-in with dutydesk passwords")),
    )


def test_connection(row: ProviderSettings) -> None:
    """Ask the provider whether these settings work (nothing is saved). Raises SsoError saying what is wrong."""
    try:
        secret = queries.secret_of(row)
    except crypto.SecretUnreadable:
        raise SsoError(_("The stored secret cannot be read with this server's key; enter it again.")) from None
    if row.provider in MESSAGING:
        if not secret:
            raise SsoError(_("No secret: enter it, or name the environment variable that holds it."))
        client = platforms.Client(queries.credentials(row))
        try:
            client.check()
        except platforms.PlatformError as error:
            raise SsoError(_("The provider refused: %(error)s") % {"error": error}) from None
        finally:
            client.close()
        return
    try:
        if row.provider == Provider.OIDC:
            connection.check_oidc(row.server_url)
        else:
            connection.check_ldap(row, secret)
    except connection.ConnectionProblem as problem:
        raise SsoError(str(problem)) from None
