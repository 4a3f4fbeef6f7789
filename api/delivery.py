"""Delivering the outgoing webhooks (issue 25 item 4): PostgreSQL rows are the queue, Celery messages only say
"there is work" (the same shape as dutydesk/notifications/sending.py).

How a delivery goes out:
1. claim_due(): SELECT ... FOR UPDATE SKIP LOCKED a batch of due rows (pending and due, or 'sending' whose lease ran
   out), mark them 'sending' with a lease and this worker's name, count the attempt, commit. Two workers never
   claim the same row; a worker that dies holds its rows only until its lease (NOTIFY_LEASE_SECONDS, 60 s) ends.
2. A send starts only while the lease has time left for it (the receiver's timeout included); rows the worker cannot
   reach in time are released at once, so no other worker takes a row over while it may still be in flight.
3. POST the event's JSON, signed (api.rules.delivery_headers), to the address, connecting only to a public IP
   address (the name is looked up here and each address it gives is checked before connecting: a name that points
   into the company's network is refused, whenever it started to). Redirects are not followed.
4. A 2xx answer marks the row 'delivered' WHERE still claimed by this worker. Anything else is a failed attempt:
   due again after api.rules.retry_delay (30 s, 1, 2, 4 ... minutes, at most 6 hours), 'failed' after
   API_WEBHOOK_MAX_ATTEMPTS (8); a manager may resend it from the delivery log.

The guarantee, honestly: at-least-once delivery with a stable delivery id, which makes it once per event and
endpoint for a receiver that drops a repeated X-Dutydesk-Delivery. One row per event and endpoint (a unique
constraint), written in the transaction of the change, so nothing is lost and nothing is queued twice: beat firing
twice, two workers, a lost Celery message (the sweep re-queues from the database) or a Redis restart send nothing
twice. What can still arrive twice, and nothing else:
- the delivery in flight when its worker dies (killed, out of memory) after the receiver took it and before the mark
  committed: at most one delivery per worker process, sent again when its lease runs out;
- a delivery the receiver took whose answer never reached us (it answered after the timeout, the connection
  dropped): a failed attempt, retried;
- a resend a manager asked for (the same delivery id again).
"""

import http.client
import logging
import socket
import time
import uuid
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from api import rules
from api.models import DeliveryStatus, WebhookDelivery
from api.webhooks import SEND_WEBHOOKS, allow_loopback, payload, secret_of
from dutydesk import leases
from dutydesk.sso.crypto import SecretUnreadable

log = logging.getLogger(__name__)

BATCH = 50
SENDERS = 4  # sender tasks woken at most at once by the sweep (they split the rows by their locks)


def lease_seconds() -> float:
    # One lease for both outboxes' workers (dutydesk/notifications/sending.py reads the same setting).
    return float(getattr(settings, "NOTIFY_LEASE_SECONDS", 60))


def timeout_seconds() -> float:
    return float(settings.API_WEBHOOK_TIMEOUT_SECONDS)


class AttemptFailed(Exception):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def _due(now):
    return WebhookDelivery.objects.filter(
        Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        | Q(status=DeliveryStatus.SENDING, lease_until__lte=now),
    )


def due_count(*, now=None) -> int:
    return _due(now or timezone.now()).count()


def claim_due(*, worker: str, limit: int = BATCH, now=None) -> list[WebhookDelivery]:
    """Claim up to `limit` due deliveries for `worker` (module docstring, step 1)."""
    now = now or timezone.now()
    ids = leases.claim(
        _due(now), worker=worker, limit=limit, now=now, lease_seconds=lease_seconds(), sending=DeliveryStatus.SENDING
    )
    if not ids:
        return []
    return list(WebhookDelivery.objects.filter(id__in=ids).select_related("event__team", "endpoint").order_by("id"))


def _connect_public(address: tuple[str, int], timeout: float | None = None, source_address=None) -> socket.socket:
    """socket.create_connection that connects only to an address api.rules.ip_allowed allows (step 3)."""
    host, port = address
    refused: list[str] = []
    last_error: OSError | None = None
    for family, kind, proto, _name, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        ip = str(sockaddr[0])
        if not rules.ip_allowed(ip, allow_loopback=allow_loopback()):
            refused.append(ip)
            continue
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    if last_error is not None:
        raise last_error
    raise AttemptFailed(f"{host} is a private or local address ({', '.join(refused)}): not posted")


def post(url: str, headers: dict[str, str], body: bytes, *, timeout: float) -> int:
    """POST `body` to `url`; the answer's status. Only to an address api.rules.address_problem allows and a
    public IP address; no redirect is followed (http.client follows none)."""
    problem = rules.address_problem(url, allow_loopback=allow_loopback())
    if problem:
        raise AttemptFailed(f"the address is not allowed ({problem})")
    parts = urlsplit(url)
    https = parts.scheme == "https"
    connection_class = http.client.HTTPSConnection if https else http.client.HTTPConnection
    connection = connection_class(parts.hostname or "", parts.port, timeout=timeout)
    connection._create_connection = _connect_public  # type: ignore[attr-defined]
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(4096)
        return response.status
    except (OSError, http.client.HTTPException) as error:
        raise AttemptFailed(f"{type(error).__name__}: {error}"[:300]) from error
    finally:
        connection.close()


def attempt(row: WebhookDelivery) -> int:
    """Send one attempt of `row`; its 2xx status, or AttemptFailed."""
    try:
        secret = secret_of(row.endpoint)
    except SecretUnreadable as error:
        raise AttemptFailed("the endpoint's secret cannot be read (the encryption key changed?)") from error
    body = rules.payload_body(payload(row.event, row.event.team.slug if row.event.team else None))
    headers = rules.delivery_headers(
        event=row.event.name, delivery=str(row.uid), secret=secret, timestamp=int(time.time()), body=body
    )
    status = post(row.endpoint.url, headers, body, timeout=timeout_seconds())
    if not rules.delivered(status):
        raise AttemptFailed(f"HTTP {status}", status)
    return status


def _mark_delivered(row: WebhookDelivery, worker: str, status: int) -> None:
    now = timezone.now()
    WebhookDelivery.objects.filter(id=row.id, status=DeliveryStatus.SENDING, claimed_by=worker).update(
        status=DeliveryStatus.DELIVERED,
        delivered_at=now,
        last_attempt_at=now,
        last_status_code=status,
        last_error="",
        lease_until=None,
    )


def _mark_failed_attempt(row: WebhookDelivery, worker: str, failure: AttemptFailed) -> None:
    now = timezone.now()
    final = row.attempts >= settings.API_WEBHOOK_MAX_ATTEMPTS
    delay = rules.retry_delay(row.attempts, base_seconds=settings.API_WEBHOOK_BACKOFF_SECONDS)
    WebhookDelivery.objects.filter(id=row.id, status=DeliveryStatus.SENDING, claimed_by=worker).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
        next_attempt_at=now if final else now + delay,
        last_attempt_at=now,
        last_status_code=failure.status,
        last_error=str(failure)[:500],
        lease_until=None,
    )


def _release(rows: list[WebhookDelivery], worker: str) -> None:
    """Give back claimed rows this worker will not send in time: due again at once, the attempt not counted."""
    WebhookDelivery.objects.filter(
        id__in=[r.id for r in rows], status=DeliveryStatus.SENDING, claimed_by=worker
    ).update(status=DeliveryStatus.PENDING, lease_until=None, attempts=F("attempts") - 1)


def send_due(*, time_budget: float = 50.0) -> dict[str, int]:
    """Claim and send due deliveries until none is left or the time budget is spent; counts by outcome."""
    worker = f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"[:64]
    deadline = time.monotonic() + time_budget
    counts = {"delivered": 0, "failed": 0, "released": 0}
    while time.monotonic() < deadline:
        # A send starts only if it can end (the timeout included) before our lease does (step 2).
        lease_ends = time.monotonic() + lease_seconds() - min(timeout_seconds() + 5, lease_seconds() / 2)
        rows = claim_due(worker=worker)
        if not rows:
            return counts
        for index, row in enumerate(rows):
            if time.monotonic() > min(lease_ends, deadline):
                _release(rows[index:], worker)
                counts["released"] += len(rows) - index
                break
            try:
                status = attempt(row)
            except AttemptFailed as failure:
                log.warning("webhook delivery %s to %s: %s", row.uid, row.endpoint.url, failure)
                _mark_failed_attempt(row, worker, failure)
                counts["failed"] += 1
                continue
            _mark_delivered(row, worker, status)
            counts["delivered"] += 1
    # Out of time with work left: a fresh task carries on rather than this one holding the worker.
    current_app.send_task(SEND_WEBHOOKS)
    return counts


def sweep() -> int:
    """Wake senders for whatever is due in the database (a lost message, a retry whose wait ended, a lease that ran
    out). Returns the number of due deliveries."""
    due = due_count()
    for _index in range(min(SENDERS, -(-due // BATCH))):
        current_app.send_task(SEND_WEBHOOKS)
    return due
