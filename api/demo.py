"""Demo webhooks: the payroll system's endpoint with a few logged deliveries of the demo's real rosters, so that the
page is not empty after `make run`. Nothing is sent (no outside network): the log rows are stored as they would
have been recorded, delivered or failed, never waiting (a waiting one would be tried by the worker)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from api import webhooks
from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from dutydesk import events
from dutydesk.models import Profile, Role
from roster.models import Roster

NAME = "薪资系统"


@transaction.atomic
def load(*, today) -> None:
    manager = Profile.objects.filter(role=Role.MANAGER, user__username="manager").first()
    if manager is None or WebhookEndpoint.objects.filter(name=NAME).exists():
        return
    endpoint = webhooks.register_endpoint(
        actor=manager,
        name=NAME,
        url="https://payroll.example.com/dutydesk/hooks",
        chosen_events=[
            events.ROSTER_PUBLISHED,
            events.ROSTER_REVISED,
            events.LEAVE_DECIDED,
            events.STATEMENT_FINALISED,
        ],
    ).endpoint
    now = timezone.now()
    published = Roster.objects.filter(published_version__isnull=False).select_related("published_version", "team")
    for index, roster in enumerate(published.order_by("month", "team__slug")[:6]):
        version = roster.published_version
        if version is None or version.number is None:
            continue
        number = version.number
        at = (version.published_at or now) - timedelta(minutes=1)
        event = WebhookEvent.objects.create(
            name=events.ROSTER_PUBLISHED if number == 1 else events.ROSTER_REVISED,
            team=roster.team,
            occurred_at=at,
            data={
                "roster": roster.pk,
                "month": f"{roster.month:%Y-%m}",
                "version": number,
                "previous_version": number - 1 or None,
                "kind": version.kind,
                "published_at": at.isoformat(),
            },
        )
        failed = index == 1  # one the receiver refused eight times: the manager may send it again
        WebhookDelivery.objects.create(
            event=event,
            endpoint=endpoint,
            status=DeliveryStatus.FAILED if failed else DeliveryStatus.DELIVERED,
            attempts=8 if failed else 1,
            last_status_code=503 if failed else 200,
            last_error="HTTP 503" if failed else "",
            last_attempt_at=at + (timedelta(hours=4) if failed else timedelta(seconds=1)),
            delivered_at=None if failed else at + timedelta(seconds=1),
            created_at=at,
        )
