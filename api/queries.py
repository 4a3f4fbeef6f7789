"""Reads of the API's own rows: tokens, webhook endpoints and deliveries (the other apps' data is read through their
own queries)."""

from django.db.models import Count, Max, Q, QuerySet

from api import rules
from api.models import ApiToken, DeliveryStatus, TokenKind, WebhookDelivery, WebhookEndpoint


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


# --- outgoing webhooks (issue 25 item 4) ------------------------------------------------------------------------


def webhook_endpoints():
    """The company's endpoints with their deliveries counted by status (one query)."""
    return (
        WebhookEndpoint.objects.select_related("team", "created_by")
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            waiting=Count(
                "deliveries", filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING])
            ),
            last_attempt=Max("deliveries__last_attempt_at"),
        )
        .order_by("name", "id")
    )


def webhook_endpoint(pk: int):
    return WebhookEndpoint.objects.select_related("team").filter(pk=pk).first()


def deliveries_of(endpoint):
    """An endpoint's delivery log, newest first, with each delivery's event (one query a page)."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event").order_by("-created_at", "-id")


def delivery_of(endpoint, pk: int):
    return WebhookDelivery.objects.select_related("event", "endpoint").filter(endpoint=endpoint, pk=pk).first()
