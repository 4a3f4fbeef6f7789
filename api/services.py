"""Every write of the API's own rows: creating, revoking and using tokens (issue 25 item 2). Each create and revoke
is recorded in the audit trail with its actor; the token itself is returned once and stored only as a hash."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api import rules
from api.models import ApiToken, TokenKind
from api.permissions import may_make_service_tokens, may_manage
from dutydesk.audit import rules as refs
from dutydesk.audit.services import record

# The last use is written at most once a minute per token: an API client polling every second costs no write each.
LAST_USE_PRECISION = timedelta(minutes=1)


class TokenError(Exception):
    pass


@dataclass(frozen=True)
class Created:
    token: ApiToken
    secret: str  # shown once, on the page that answers the creation; kept nowhere


def _new_secret() -> str:
    return rules.TOKEN_PREFIX + secrets.token_urlsafe(32)


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise TokenError(_("Give the token a name that says what it is for."))
    return name[:80]


@transaction.atomic
def create_personal_token(*, actor, name: str) -> Created:
    """A token that acts as `actor`, with their role's permissions, until they revoke it."""
    secret = _new_secret()
    token = ApiToken.objects.create(
        kind=TokenKind.PERSONAL,
        name=_clean_name(name),
        prefix=rules.shown_prefix(secret),
        digest=rules.digest(secret),
        profile=actor,
        created_by=actor,
    )
    record(
        "api.token_create",
        actor=actor,
        target=token,
        team=actor.team_id,
        label=token.name,
        after={"kind": token.kind, "name": token.name},
        refs=[refs.person(actor)],
    )
    return Created(token, secret)


@transaction.atomic
def create_service_token(*, actor, name: str, scopes, team=None) -> Created:
    """A company token (a manager's to make) with `scopes` and, when given, one team it may read."""
    if not may_make_service_tokens(actor):
        raise TokenError(_("Only a manager may create a service token."))
    chosen = sorted(set(scopes))
    if not chosen or any(scope not in rules.SCOPES for scope in chosen):
        raise TokenError(_("Choose at least one of the listed scopes."))
    secret = _new_secret()
    token = ApiToken.objects.create(
        kind=TokenKind.SERVICE,
        name=_clean_name(name),
        prefix=rules.shown_prefix(secret),
        digest=rules.digest(secret),
        scopes=chosen,
        team=team,
        created_by=actor,
    )
    record(
        "api.token_create",
        actor=actor,
        target=token,
        team=team,
        label=token.name,
        after={"kind": token.kind, "name": token.name, "scopes": chosen},
        refs=[refs.person(actor)],
    )
    return Created(token, secret)


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> bool:
    """Revoke `token` from now on. False when it was already revoked (a second click, another tab): nothing
    changes then, and nothing is recorded twice."""
    if not may_manage(actor, token):
        raise TokenError(_("You may not revoke this token."))
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor)
    if not changed:
        return False
    token.revoked_at, token.revoked_by = now, actor
    record(
        "api.token_revoke",
        actor=actor,
        target=token,
        label=token.name,
        team=token.team_id if token.kind == TokenKind.SERVICE else getattr(token.profile, "team_id", None),
        before={"revoked": False},
        after={"revoked": True},
        refs=[refs.person(actor)] + ([refs.person(token.profile)] if token.profile_id else []),
    )
    return True


def note_use(token: ApiToken, *, now=None) -> None:
    """Record that `token` was used (to the minute; one UPDATE at most per minute and token)."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USE_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
