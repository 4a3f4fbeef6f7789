"""Reads of the API's own rows: tokens (the other apps' data is read through their own queries)."""

from django.db.models import QuerySet

from api import rules
from api.models import ApiToken, TokenKind


def token_for(secret: str) -> ApiToken | None:
    """The active token whose secret this is (None for an unknown, revoked or malformed one), with what the
    permission check reads: its person's account and oversight, its team."""
    if not rules.well_formed(secret):
        return None
    return (
        ApiToken.objects.select_related("profile__user", "profile__team", "team")
        .filter(digest=rules.digest(secret), revoked_at__isnull=True)
        .first()
    )


def personal_tokens(profile) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(kind=TokenKind.PERSONAL, profile=profile).select_related("revoked_by")


def service_tokens() -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(kind=TokenKind.SERVICE).select_related("team", "created_by", "revoked_by")


def token_by_id(pk: int) -> ApiToken | None:
    return ApiToken.objects.select_related("profile", "team").filter(pk=pk).first()


def person_in(teams, pk: int):
    """A person of one of `teams` (a service token's), with what leave's services read; None otherwise."""
    from dutydesk.models import Profile

    return Profile.objects.select_related("team", "user").filter(pk=pk, team__in=teams).first()
