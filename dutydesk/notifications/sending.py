"""Sending the outbox: PostgreSQL rows are the queue, Celery messages only say "there is work".

How a row goes out (each step its own short transaction):
1. claim_due(): SELECT ... FOR UPDATE SKIP LOCKED a batch of due rows (pending, or 'sending' whose lease ran out),
   mark them 'sending' with a lease and this worker's token. Two workers never claim the same row.
2. A send starts only while the lease has time left for it (timeouts included); rows the worker cannot reach in
   time are released at once. So no other worker takes a row over while it may still be in flight.
3. Send, then mark 'sent' WHERE still ours. A failure goes back to 'pending' with exponential backoff, and after
   the last attempt to 'failed', reported in the app to the team's supervisors, who may resend.

The guarantee, honestly: the in-app notice is exactly once (a database row under a unique key, written in the
transaction of the change). For email and the team chat, rows are unique per (recipient or team, key, channel,
lead), so beat firing twice, two workers, a lost Celery message (the sweep re-queues from the database) or a Redis
restart send nothing twice and lose nothing. A worker killed mid-batch loses nothing: its lease runs out and another
worker sends what it had claimed. The one window no outbox can close is a crash after the platform accepted a
message and before step 3 committed (at most one message per crashed worker thread): that message is sent again
(at-least-once), because a second reminder is better than none. Emails carry a stable Message-ID
(<outbox-ID@dutydesk>) that mail clients use to fold such a repeat; the chat robots offer no idempotency key.
"""

import logging
import socket
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dutydesk.notifications import rules, webhooks
from dutydesk.notifications.models import Channel, NoticeKind, Outbox, OutboxStatus, TeamNotificationSettings

log = logging.getLogger(__name__)

BATCH = 50
HTTP_TIMEOUT = 10  # seconds; well inside the lease, so a slow platform cannot outlive it


def lease_seconds() -> float:
    return getattr(settings, "NOTIFY_LEASE_SECONDS", 60)


def backoff_base_seconds() -> float:
    return getattr(settings, "NOTIFY_BACKOFF_SECONDS", 30)


def max_attempts() -> int:
    return getattr(settings, "NOTIFY_MAX_ATTEMPTS", 5)


class DeliveryError(Exception):
    pass


def _due(now):
    return Outbox.objects.filter(
        Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, lease_until__lte=now),
        status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING], next_attempt_at__lte=now,
    )


def due_count(*, now=None) -> int:
    return _due(now or timezone.now()).count()


@contextmanager
def _fast_commits():
    """While sending, this connection commits the outbox's bookkeeping without waiting for the disk flush.

    A durable commit costs a WAL flush (about 4 ms here) and sending makes one or two per message; this makes
    sending several times faster. The price is only paid if PostgreSQL itself crashes: the last fraction of a
    second of claims and "sent" marks may be forgotten, and those messages are sent again (at-least-once, as for
    a worker crash). Nothing can be lost this way: the rows are inserted by the durable transaction of the change
    they report, and a forgotten claim only makes a row due again.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if connection.connection is not None and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def claim_due(*, worker: str, limit: int = BATCH, now=None) -> list[Outbox]:
    """Claim up to `limit` due rows for `worker` (see the module docstring, step 1)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            _due(now).select_for_update(skip_locked=True).order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        Outbox.objects.filter(id__in=ids).update(
            status=OutboxStatus.SENDING, claimed_by=worker, attempts=F("attempts") + 1,
            lease_until=now + timedelta(seconds=lease_seconds()),
        )
    return list(Outbox.objects.filter(id__in=ids).select_related("recipient__user").order_by("id"))


def _release(rows: list[Outbox], worker: str) -> None:
    """Give back claimed rows this worker will not send in time (its lease is ending): due again at once."""
    Outbox.objects.filter(id__in=[r.id for r in rows], status=OutboxStatus.SENDING, claimed_by=worker).update(
        status=OutboxStatus.PENDING, lease_until=None, attempts=F("attempts") - 1,
    )


def _cancel_stale_reminders(rows: list[Outbox], now) -> list[Outbox]:
    """Reminders follow the roster as it is now: a person no longer on the shift (leave, swap, revision) or a
    shift that has started gets no reminder."""
    from roster.models import DutyShift
    from roster.queries import published_assignments

    reminders = [r for r in rows if r.kind == NoticeKind.SHIFT_REMINDER and r.duty_shift_id]
    if not reminders:
        return rows
    shift_ids = {r.duty_shift_id for r in reminders}
    started = set(DutyShift.objects.filter(id__in=shift_ids, starts_at__lte=now).values_list("id", flat=True))
    held = set(published_assignments().filter(duty_shift_id__in=shift_ids).values_list("duty_shift_id", "profile_id"))
    stale = {
        r.id for r in reminders
        if r.duty_shift_id in started or (r.recipient_id and (r.duty_shift_id, r.recipient_id) not in held)
    }
    if stale:
        Outbox.objects.filter(id__in=stale, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.CANCELLED, last_error=_("Cancelled: no longer on this shift, or it has started."),
        )
    return [r for r in rows if r.id not in stale]


class Deliverer:
    """Keeps one SMTP connection and the teams' robot settings for a batch."""

    def __init__(self):
        self.mail = None
        self.robots: dict[int, TeamNotificationSettings | None] = {}
        # Our own opener: honours the environment's proxy settings, adds nothing else.
        self.opener = urllib.request.build_opener()

    def close(self):
        if self.mail is not None:
            try:
                self.mail.close()
            except Exception:  # closing a broken connection must not hide the real error
                pass
            self.mail = None

    def deliver(self, row: Outbox) -> None:
        subject, body = rules.mask_sensitive(row.subject), rules.mask_sensitive(row.body)
        if row.channel == Channel.EMAIL:
            self._email(row, subject, body)
        elif row.channel == Channel.WEBHOOK:
            self._webhook(row, subject, body)
        else:
            raise DeliveryError(f"unknown channel {row.channel}")

    def _email(self, row, subject, body):
        address = row.recipient.user.email if row.recipient else ""
        if not address:
            raise DeliveryError("no email address")
        link = getattr(settings, "SITE_URL", "").rstrip("/") + row.url if row.url else ""
        message = EmailMessage(
            subject=subject, body=f"{body}\n\n{link}".strip(), to=[address],
            headers={"Message-ID": f"<outbox-{row.id}@dutydesk>", "X-Dutydesk-Outbox": str(row.id)},
        )
        try:
            if self.mail is None:
                self.mail = get_connection(fail_silently=False, timeout=HTTP_TIMEOUT)
                self.mail.open()
            if self.mail.send_messages([message]) != 1:
                raise DeliveryError("the mail server did not take the message")
        except Exception as error:  # smtplib, socket and our own errors alike: this message failed
            self.close()  # the next message opens a fresh connection
            raise DeliveryError(f"email: {error}") from error

    def _webhook(self, row, subject, body):
        if row.team_id not in self.robots:
            self.robots[row.team_id] = TeamNotificationSettings.objects.filter(team_id=row.team_id).first()
        robot = self.robots[row.team_id]
        if robot is None or not robot.has_webhook:
            raise DeliveryError("the team has no chat robot")
        if not webhooks.robot_address_allowed(robot.webhook_platform, robot.webhook_url):
            # Saved before the rule, or past the form: never posted anywhere but the platform's robot host.
            raise DeliveryError(f"{robot.webhook_platform}: the robot address is not an allowed https address")
        url, payload = webhooks.build_request(robot.webhook_platform, robot.webhook_url, robot.webhook_secret,
                                              title=subject, text=body, now_ms=int(time.time() * 1000))
        request = urllib.request.Request(url, data=payload, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "X-Dutydesk-Outbox": str(row.id),
        })
        try:
            with self.opener.open(request, timeout=HTTP_TIMEOUT) as response:
                status, answer = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, answer = error.code, b""
        except (OSError, socket.timeout) as error:
            raise DeliveryError(f"{robot.webhook_platform}: {error}") from error
        ok, why = webhooks.accepted(robot.webhook_platform, status, answer)
        if not ok:
            raise DeliveryError(f"{robot.webhook_platform}: {why}")


def _mark_sent(row: Outbox, worker: str) -> None:
    Outbox.objects.filter(id=row.id, status=OutboxStatus.SENDING, claimed_by=worker).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), last_error="",
    )


def _mark_failed_attempt(row: Outbox, worker: str, error: str) -> None:
    from dutydesk.notifications.services import notify
    from dutydesk.queries import supervisors_of

    now = timezone.now()
    with transaction.atomic():
        row = Outbox.objects.select_for_update().filter(id=row.id, status=OutboxStatus.SENDING,
                                                        claimed_by=worker).first()
        if row is None:
            return
        row.last_error = error[:500]
        if row.attempts >= max_attempts():
            row.status = OutboxStatus.FAILED
            if row.team_id:
                with translation.override(settings.LANGUAGE_CODE):
                    notify(supervisors_of(row.team_id), kind=NoticeKind.SEND_FAILED,
                           subject=_("A notice could not be delivered: %(subject)s") % {"subject": row.subject},
                           body=_("%(channel)s, after %(attempts)d attempts: %(error)s") % {
                               "channel": row.get_channel_display(), "attempts": row.attempts, "error": row.last_error},
                           url=reverse("notifications:failed", kwargs={"team": row.team.slug}),
                           dedupe_key=f"send-failed:{row.id}:{row.resent_at.timestamp() if row.resent_at else 0}")
        else:
            row.status = OutboxStatus.PENDING
            row.next_attempt_at = now + rules.backoff(row.attempts, base_seconds=backoff_base_seconds())
        row.save(update_fields=["status", "last_error", "next_attempt_at"])


def send_due(*, time_budget: float = 50.0) -> dict[str, int]:
    """Claim and send due rows until none is left or the time budget is spent; return counts by outcome."""
    worker = f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"
    deadline = time.monotonic() + time_budget
    counts = {"sent": 0, "failed": 0, "released": 0, "cancelled": 0}
    deliverer = Deliverer()
    with _fast_commits():
        try:
            _send_loop(worker, deadline, counts, deliverer)
        finally:
            deliverer.close()
    return counts


def _send_loop(worker: str, deadline: float, counts: dict[str, int], deliverer: Deliverer) -> None:
    while time.monotonic() < deadline:
        # Our lease, by our own clock: a send only starts if it can end (timeouts included) before the lease
        # does, so no other worker can take a row over while we may still be sending it.
        lease_ends = time.monotonic() + lease_seconds() - min(HTTP_TIMEOUT + 5, lease_seconds() / 2)
        claimed = claim_due(worker=worker)
        if not claimed:
            break
        rows = _cancel_stale_reminders(claimed, timezone.now())
        counts["cancelled"] += len(claimed) - len(rows)
        for index, row in enumerate(rows):
            if time.monotonic() > min(lease_ends, deadline):
                _release(rows[index:], worker)
                counts["released"] += len(rows) - index
                break
            try:
                deliverer.deliver(row)
            except DeliveryError as error:
                log.warning("outbox %s: %s", row.id, error)
                _mark_failed_attempt(row, worker, str(error))
                counts["failed"] += 1
                continue
            _mark_sent(row, worker)
            counts["sent"] += 1
    else:
        # Out of time with work left: hand over to a fresh task rather than hold this one for long.
        enqueue_senders(count=1)


def enqueue_senders(*, count: int = 1) -> None:
    """Queue sender tasks: one per batch of work, at most NOTIFY_SENDERS at once (they split rows by row locks)."""
    from dutydesk.notifications.tasks import task_send_outbox

    fanout = getattr(settings, "NOTIFY_SENDERS", 4)
    for _index in range(max(1, min(fanout, -(-count // BATCH)))):
        task_send_outbox.delay()


def sweep() -> int:
    """Re-queue senders for whatever is due in the database (a lost Celery message, a Redis restart, a backoff
    that ended, a lease that ran out). Returns the number of due rows."""
    due = due_count()
    if due:
        enqueue_senders(count=due)
    return due
