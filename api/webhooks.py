"""Every write of the outgoing webhooks' rows (issue 25 item 4): endpoints (register, rotate the secret, delete),
events and their deliveries (recorded inside the emitting transaction), resends. Each change a person makes is
recorded in the audit trail with its actor; a secret is never recorded, only that it was made or replaced."""

import secrets
from dataclasses import dataclass
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from api import rules
from api.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from api.permissions import may_manage_webhooks
from dutydesk import events
from dutydesk.audit import rules as refs
from dutydesk.audit.services import record
from dutydesk.sso import crypto

SEND_WEBHOOKS = "api.send_webhooks"
SECRET_PREFIX = "whsec_"


class WebhookError(Exception):
    pass


@dataclass(frozen=True)
class WithSecret:
    endpoint: WebhookEndpoint
    secret: str  # shown once, on the page that answers the creation or rotation


def allow_loopback() -> bool:
    return bool(getattr(settings, "API_WEBHOOK_ALLOW_LOOPBACK", False))


ADDRESS_PROBLEMS = {
    "scheme": gettext_lazy("The address must begin with https://."),
    "host": gettext_lazy("The address must name a server on the internet."),
    "credentials": gettext_lazy("Leave the user name and password out of the address."),
    "port": gettext_lazy("The port of the address is not a number between 1 and 65535."),
    "private": gettext_lazy("Webhooks go only to public internet addresses, never to a private or local one."),
    "length": gettext_lazy("The address is longer than 500 characters."),
}


def address_refusal(url: str) -> str | None:
    """The message for an address that may not be registered (api.rules.address_problem), or None."""
    problem = rules.address_problem(url, allow_loopback=allow_loopback())
    return str(ADDRESS_PROBLEMS[problem]) if problem else None


def secret_of(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(endpoint.secret_encrypted)


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _check(*, actor, name: str, url: str, chosen: list[str]) -> tuple[str, str, list[str]]:
    if not may_manage_webhooks(actor):
        raise WebhookError(_("Only a manager may manage webhooks."))
    name, url = (name or "").strip()[:80], (url or "").strip()
    if not name:
        raise WebhookError(_("Give the endpoint a name that says what receives the events."))
    refusal = address_refusal(url)
    if refusal:
        raise WebhookError(refusal)
    chosen = [event for event in events.EVENTS if event in set(chosen)]
    if not chosen:
        raise WebhookError(_("Choose at least one event."))
    return name, url, chosen


@transaction.atomic
def register_endpoint(*, actor, name: str, url: str, chosen_events: list[str], team=None) -> WithSecret:
    """A manager registers `url` for `chosen_events` (of `team` only, when given). Returns it with its new
    secret, which is shown once. Recorded as api.webhook_create."""
    name, url, chosen = _check(actor=actor, name=name, url=url, chosen=chosen_events)
    secret = _new_secret()
    endpoint = WebhookEndpoint.objects.create(
        name=name,
        url=url,
        events=chosen,
        team=team,
        secret_encrypted=crypto.encrypt(secret),
        secret_prefix=secret[: len(SECRET_PREFIX) + 4],
        created_by=actor,
    )
    record(
        "api.webhook_create",
        actor=actor,
        target=endpoint,
        team=team,
        label=endpoint.name,
        # The events' number, not their codes: the history page shows values as they are, in the reader's language.
        after={"url": url, "events": len(chosen), "secret_stored": True},
        refs=[refs.person(actor)],
    )
    return WithSecret(endpoint, secret)


@transaction.atomic
def rotate_secret(endpoint: WebhookEndpoint, *, actor) -> WithSecret:
    """A new secret for `endpoint` from the next attempt on (a delivery waiting for its retry is signed with it).
    Recorded as api.webhook_rotate."""
    if not may_manage_webhooks(actor):
        raise WebhookError(_("Only a manager may manage webhooks."))
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret = _new_secret()
    endpoint.secret_encrypted = crypto.encrypt(secret)
    endpoint.secret_prefix = secret[: len(SECRET_PREFIX) + 4]
    endpoint.secret_rotated_at = timezone.now()
    endpoint.save(update_fields=["secret_encrypted", "secret_prefix", "secret_rotated_at"])
    record(
        "api.webhook_rotate",
        actor=actor,
        target=endpoint,
        label=endpoint.name,
        after={"secret_replaced": True},
        refs=[refs.person(actor)],
    )
    return WithSecret(endpoint, secret)


@transaction.atomic
def delete_endpoint(endpoint: WebhookEndpoint, *, actor) -> bool:
    """Delete `endpoint` and its delivery log; nothing more is sent to it. False when it was already gone (a second
    click, another tab). Recorded as api.webhook_delete."""
    if not may_manage_webhooks(actor):
        raise WebhookError(_("Only a manager may manage webhooks."))
    row = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint.pk).first()
    if row is None:
        return False
    record(
        "api.webhook_delete",
        actor=actor,
        target=row,
        label=row.name,
        before={"url": row.url, "events": len(row.events)},
        refs=[refs.person(actor)],
    )
    row.delete()
    return True


@transaction.atomic
def resend_delivery(delivery: WebhookDelivery, *, actor) -> bool:
    """Send a delivered or failed delivery again, as the same delivery (its X-Dutydesk-Delivery id is kept, so a
    receiver that processed it already can tell), with a fresh count of attempts. False when it is waiting or being
    sent already (a double click): nothing changes then. Recorded as api.webhook_resend."""
    if not may_manage_webhooks(actor):
        raise WebhookError(_("Only a manager may manage webhooks."))
    now = timezone.now()
    changed = WebhookDelivery.objects.filter(
        pk=delivery.pk, status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, resent_at=now, lease_until=None)
    if not changed:
        return False
    record(
        "api.webhook_resend",
        actor=actor,
        target=delivery.endpoint,
        label=f"{delivery.endpoint.name}: {delivery.event.name}",
        after={"delivery": str(delivery.uid)},
        refs=[refs.person(actor)],
    )
    wake_senders()
    return True


def wake_senders() -> None:
    """Tell a worker there is work, once the rows are committed (the rows are the work; a lost message is found by
    the sweep, api.schedule)."""
    transaction.on_commit(lambda: current_app.send_task(SEND_WEBHOOKS))


def subscribers(name: str, team_id: int | None):
    """The endpoints that want event `name` of `team_id`: those of that team and those of every team (a
    company-wide event, team None, goes only to the latter)."""
    teams = Q(team__isnull=True) | Q(team_id=team_id) if team_id is not None else Q(team__isnull=True)
    return WebhookEndpoint.objects.filter(teams, events__contains=[name])


def record_event(name: str, team_id: int | None, data: dict[str, Any]) -> WebhookEvent | None:
    """The listener of dutydesk.events (registered in ApiConfig.ready()), inside the emitting transaction: the
    event and one pending delivery per subscribed endpoint commit with the change, or not at all. Nothing is
    written when no endpoint wants the event."""
    endpoints = list(subscribers(name, team_id).values_list("id", flat=True))
    if not endpoints:
        return None
    event = WebhookEvent.objects.create(name=name, team_id=team_id, data=data)
    WebhookDelivery.objects.bulk_create(WebhookDelivery(event=event, endpoint_id=pk) for pk in endpoints)
    wake_senders()
    return event


def payload(event: WebhookEvent, team_slug: str | None) -> dict[str, Any]:
    """What a delivery's body says (README, Outgoing webhooks): the event's id, name, time, team and data."""
    return {
        "id": str(event.uid),
        "event": event.name,
        "occurred_at": event.occurred_at.isoformat(),
        "team": team_slug,
        "data": event.data,
    }
