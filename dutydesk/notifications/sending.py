"""Sending the outbox: PostgreSQL rows are the queue, Celery messages only say "there is work".

How a row goes out:
1. claim_due(): SELECT ... FOR UPDATE SKIP LOCKED a batch of due rows (pending, or 'sending' whose lease ran out),
   mark them 'sending' with a lease and this worker's token, in a durable commit. Two workers never claim the
   same row, and no crash undoes a claim.
2. A send starts only while the lease has time left for it (timeouts included); rows the worker cannot reach in
   time are released at once. So no other worker takes a row over while it may still be in flight.
3. Send, then at once mark 'sent' WHERE still ours, in a commit of its own that does not wait for the disk (a
   durable commit costs a disk flush, about 4 ms here and far more on a busy disk, for every message).
4. At the end of the batch, one durable commit confirms every row of it that went out (_confirm_sent). If the
   database cannot be reached at any point after a send (PostgreSQL crashed or restarted, the connection dropped),
   the worker sends nothing more, waits for the database on a fresh connection for up to NOTIFY_MARK_RETRY_SECONDS
   (120 s), and confirms what it sent: marks a crash took back are written again from what the worker remembers.
A failed send goes back to 'pending' with exponential backoff, and after the last attempt to 'failed', reported in
the app to the team's supervisors, who may resend. A personal message over its chat app's rate limit (counted per
minute in Redis across workers, platforms.take_send_slots, or the platform's own "too often" answer) goes back to
'pending' until the next minute without counting as an attempt.

The guarantee, honestly. The in-app notice is exactly once (a database row under a unique key, written in the
transaction of the change). For email and the team chat, rows are unique per (recipient or team, key, channel,
lead), so beat firing twice, two workers, a lost Celery message (the sweep re-queues from the database) or a Redis
restart send nothing twice and lose nothing. A worker killed mid-batch loses nothing: its lease runs out and another
worker sends what it had claimed. A PostgreSQL crash or restart while the workers live on repeats nothing.

What can still be sent twice (at-least-once, because a second reminder is better than none), and nothing else:
- The message in flight when its worker dies (killed, out of memory) after the platform accepted it and before its
  mark committed: at most one message per worker process, sent again when its lease (60 s) runs out.
- A PostgreSQL crash the worker cannot wait out: the database is back only after 120 s, or after the batch's
  lease (60 s) ran out and another worker claimed its rows before this one's next try (it tries at least every
  2 s). Then the messages of the worker's current batch whose fast marks the crash took back go again (at most
  one batch, 50), as does the one in flight if its mark had not committed.
- PostgreSQL and the worker lost together (the machine dies): the sent marks of the worker's current batch that
  PostgreSQL had not yet written to disk, which it does within about 0.6 s of each commit (3 x wal_writer_delay).
- A message the platform took whose answer never reached us (the connection dropped or timed out after the
  platform had it): counted as a failed attempt and retried, so sent again.
Emails carry a stable Message-ID (<outbox-ID@dutydesk>) that mail clients use to fold such a repeat; the chat
robots offer no idempotency key. Personal messages carry the row's key where the platform takes one: Feishu sends
one message per uuid within an hour, WeCom folds the same message to the same person within 30 minutes
(enable_duplicate_check); DingTalk's work notices have none.
"""

import logging
import socket
import time
import urllib.request
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dutydesk import leases
from dutydesk.notifications import reminders, rules, texts, webhooks
from dutydesk.notifications.enqueue import BATCH, enqueue_senders
from dutydesk.notifications.models import Channel, NoticeKind, Outbox, OutboxStatus, TeamNotificationSettings
from dutydesk.notifications.services import notify
from dutydesk.queries import supervisors_of
from dutydesk.sso import platforms
from dutydesk.sso import queries as sso_queries
from dutydesk.texts import Text

log = logging.getLogger(__name__)

HTTP_TIMEOUT = 10  # seconds; well inside the lease, so a slow platform cannot outlive it


def lease_seconds() -> float:
    return getattr(settings, "NOTIFY_LEASE_SECONDS", 60)


def backoff_base_seconds() -> float:
    return getattr(settings, "NOTIFY_BACKOFF_SECONDS", 30)


def max_attempts() -> int:
    return getattr(settings, "NOTIFY_MAX_ATTEMPTS", 5)


def mark_retry_seconds() -> float:
    return getattr(settings, "NOTIFY_MARK_RETRY_SECONDS", 120)


class DeliveryError(Exception):
    pass


class Postponed(Exception):
    """Not sent, and not a failure: the chat app's rate limit says wait `seconds` (the row is due again then)."""

    def __init__(self, seconds: float):
        super().__init__(f"rate limit: due again in {seconds:.0f} s")
        self.seconds = seconds


def _due(now):
    return Outbox.objects.filter(
        Q(status=OutboxStatus.PENDING) | Q(status=OutboxStatus.SENDING, lease_until__lte=now),
        status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING],
        next_attempt_at__lte=now,
    )


def due_count(*, now=None) -> int:
    return _due(now or timezone.now()).count()


def _fast_commits() -> None:
    """From now on this connection commits without waiting for the disk flush (module docstring, step 3).
    Claims and confirmations ask for a durable commit themselves (_durable_commit)."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")


def _durable_commit() -> None:
    """Inside a transaction: its commit waits until it is on disk, and so is every commit before it (the WAL is
    written in order), the fast ones included."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO ON")


def claim_due(*, worker: str, limit: int = BATCH, now=None) -> list[Outbox]:
    """Claim up to `limit` due rows for `worker` (see the module docstring, step 1)."""
    now = now or timezone.now()
    with transaction.atomic():
        _durable_commit()
        ids = leases.claim(
            _due(now), worker=worker, limit=limit, now=now, lease_seconds=lease_seconds(), sending=OutboxStatus.SENDING
        )
    if not ids:
        return []
    return list(Outbox.objects.filter(id__in=ids).select_related("recipient__user").order_by("id"))


def _release(rows: list[Outbox], worker: str) -> None:
    """Give back claimed rows this worker will not send in time (its lease is ending): due again at once."""
    Outbox.objects.filter(id__in=[r.id for r in rows], status=OutboxStatus.SENDING, claimed_by=worker).update(
        status=OutboxStatus.PENDING,
        lease_until=None,
        attempts=F("attempts") - 1,
    )


def _cancel_stale_reminders(rows: list[Outbox], now) -> list[Outbox]:
    """Reminders follow the data as it is now: what their source no longer wants (reminders.stale_ids: the person
    left the shift, the shift has started) is cancelled rather than sent."""
    stale = reminders.stale_ids(rows, now)
    if stale:
        Outbox.objects.filter(id__in=stale, status=OutboxStatus.SENDING).update(
            status=OutboxStatus.CANCELLED,
            last_error=_("Cancelled before sending: it no longer applies."),
        )
    return [r for r in rows if r.id not in stale]


class Deliverer:
    """Keeps one SMTP connection and the teams' robot settings for a batch."""

    def __init__(self):
        self.mail = None
        self.robots: dict[int, TeamNotificationSettings | None] = {}
        # Our own opener: honours the environment's proxy settings, adds nothing else.
        self.opener = urllib.request.build_opener()
        # Personal messages: the chat apps' clients (their tokens cached in Redis) and the batch's user ids.
        self.credentials: dict | None = None
        self.clients: dict[str, platforms.Client] = {}
        self.addresses: dict[int, dict[str, str]] = {}
        self.limited_until: dict[str, float] = {}
        self.slots: dict[str, int] = {}  # messages this batch may still send per app (its share of the minute)
        self.wanted: dict[str, int] = {}  # personal rows of this batch per app, not yet sent

    def prepare(self, rows: list[Outbox]) -> None:
        """Read once per batch what its personal messages need: the apps' credentials and the user ids."""
        personal = [r for r in rows if r.channel == Channel.PERSONAL]
        if not personal:
            return
        if self.credentials is None:
            self.credentials = sso_queries.messaging_credentials()
        self.addresses = sso_queries.personal_addresses({r.recipient_id for r in personal}, list(self.credentials))
        self.slots, self.wanted = {}, {}
        for row in personal:
            self.wanted[row.platform] = self.wanted.get(row.platform, 0) + 1

    def close(self):
        for client in self.clients.values():
            client.close()
        self.clients = {}
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
        elif row.channel == Channel.PERSONAL:
            self._personal(row, subject, body)
        else:
            raise DeliveryError(f"unknown channel {row.channel}")

    def _email(self, row, subject, body):
        address = row.recipient.user.email if row.recipient else ""
        if not address:
            raise DeliveryError("no email address")
        link = settings.SITE_URL.rstrip("/") + row.url if row.url else ""
        message = EmailMessage(
            subject=subject,
            body=f"{body}\n\n{link}".strip(),
            to=[address],
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
        url, payload = webhooks.build_request(
            robot.webhook_platform,
            robot.webhook_url,
            robot.webhook_secret,
            title=subject,
            text=body,
            now_ms=int(time.time() * 1000),
        )
        request = urllib.request.Request(
            url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "X-Dutydesk-Outbox": str(row.id),
            },
        )
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

    def _personal(self, row, subject, body):
        platform = row.platform
        waited = self.limited_until.get(platform, 0) - time.time()
        if waited > 0:
            raise Postponed(waited)  # this batch already hit the app's limit: do not ask again this minute
        credentials = (self.credentials or {}).get(platform)
        if credentials is None:
            raise DeliveryError(f"{platform}: personal messages through this app are turned off")
        userid = self.addresses.get(row.recipient_id, {}).get(platform)
        if not userid:
            raise DeliveryError(f"{platform}: the person has no linked account there any more")
        if not self.slots.get(platform):
            # The batch's share of this minute, reserved at once (one Redis call, not one per message).
            granted, wait = platforms.take_send_slots(
                platform, credentials.messages_per_minute, max(self.wanted.get(platform, 1), 1)
            )
            if not granted:
                self.limited_until[platform] = time.time() + wait
                raise Postponed(wait)
            self.slots[platform] = granted
        self.slots[platform] -= 1
        self.wanted[platform] = self.wanted.get(platform, 1) - 1
        if platform not in self.clients:
            self.clients[platform] = platforms.Client(credentials)
        # The link signs the person in through the same app (免登), then opens the notice's page.
        query = urlencode({"next": row.url or "/"})
        link = f"{settings.SITE_URL.rstrip('/')}{reverse('sso:open', kwargs={'provider': platform})}?{query}"
        try:
            self.clients[platform].send(userid, title=subject, text=body, url=link, key=f"outbox-{row.id}")
        except platforms.RateLimited as error:
            self.limited_until[platform] = time.time() + error.retry_after
            raise Postponed(error.retry_after) from error
        except platforms.PlatformError as error:
            raise DeliveryError(str(error)) from error


def _postpone(row: Outbox, worker: str, seconds: float) -> None:
    """Back to the queue until the rate limit allows it; the attempt does not count (nothing failed)."""
    Outbox.objects.filter(id=row.id, status=OutboxStatus.SENDING, claimed_by=worker).update(
        status=OutboxStatus.PENDING,
        lease_until=None,
        attempts=F("attempts") - 1,
        next_attempt_at=timezone.now() + timedelta(seconds=seconds),
    )


def _mark_sent(row: Outbox, worker: str) -> None:
    """The platform took `row`: a fast mark (module docstring, step 3); _confirm_sent makes it durable."""
    Outbox.objects.filter(id=row.id, status=OutboxStatus.SENDING, claimed_by=worker).update(
        status=OutboxStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
    )


def _confirm_sent(ids: list[int], worker: str) -> None:
    """Make sure the rows this worker sent are recorded 'sent', on disk (module docstring, step 4).

    One durable commit that writes them all again: their fast marks are normally there already (and keep their
    time), but a PostgreSQL crash may have taken some back, to 'sending' under this worker's claim. A database that
    cannot be reached is waited for on a fresh connection: these messages went out, and this record is what keeps
    them from going out again.
    """
    if not ids:
        return
    now = timezone.now()
    give_up_at = time.monotonic() + mark_retry_seconds()
    pause = 0.1
    while True:
        try:
            with transaction.atomic():
                _durable_commit()
                Outbox.objects.filter(
                    id__in=ids,
                    claimed_by=worker,
                    status__in=[OutboxStatus.SENDING, OutboxStatus.SENT],
                ).update(status=OutboxStatus.SENT, sent_at=Coalesce("sent_at", Value(now)), last_error="")
            return
        except (OperationalError, InterfaceError) as error:
            if connection.in_atomic_block or time.monotonic() + pause > give_up_at:
                raise
            reason = (str(error).strip() or type(error).__name__).splitlines()[0]
            log.warning(
                "outbox: %d sent messages are not recorded yet and the database is unreachable (%s): "
                "retrying to record them",
                len(ids),
                reason,
            )
            connection.close()  # a broken connection is not reused; the next query opens a fresh one
            time.sleep(pause)
            pause = min(pause * 2, 2.0)


def _mark_failed_attempt(row: Outbox, worker: str, error: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        row = (
            Outbox.objects.select_for_update().filter(id=row.id, status=OutboxStatus.SENDING, claimed_by=worker).first()
        )
        if row is None:
            return
        row.last_error = error[:500]
        if row.attempts >= max_attempts():
            row.status = OutboxStatus.FAILED
            if row.team_id:
                with translation.override(settings.LANGUAGE_CODE):
                    notify(
                        supervisors_of(row.team_id),
                        kind=NoticeKind.SEND_FAILED,
                        subject=texts.NOT_DELIVERED(subject=row.subject),
                        body=texts.NOT_DELIVERED_BODY(
                            channel=Text(f"notifications.channel.{row.channel}"),
                            attempts=row.attempts,
                            error=row.last_error,
                        ),
                        url=reverse("notifications:failed", kwargs={"team": row.team.slug}),
                        dedupe_key=f"send-failed:{row.id}:{row.resent_at.timestamp() if row.resent_at else 0}",
                    )
        else:
            row.status = OutboxStatus.PENDING
            row.next_attempt_at = now + rules.backoff(row.attempts, base_seconds=backoff_base_seconds())
        row.save(update_fields=["status", "last_error", "next_attempt_at"])


def send_due(*, time_budget: float = 50.0) -> dict[str, int]:
    """Claim and send due rows until none is left or the time budget is spent; return counts by outcome."""
    worker = f"{socket.gethostname()}:{uuid.uuid4().hex[:12]}"
    deadline = time.monotonic() + time_budget
    counts = {"sent": 0, "failed": 0, "released": 0, "cancelled": 0, "postponed": 0}
    deliverer = Deliverer()
    try:
        _send_loop(worker, deadline, counts, deliverer)
    finally:
        deliverer.close()
        _durable_commits_again()
    return counts


def _durable_commits_again() -> None:
    """The worker's connection serves other tasks next, whose writes must be durable."""
    if connection.connection is None or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
    except DatabaseError:
        connection.close()  # broken: the next task opens a fresh one (durable by default)


def _send_loop(worker: str, deadline: float, counts: dict[str, int], deliverer: Deliverer) -> None:
    while time.monotonic() < deadline:
        # Our lease, by our own clock: a send only starts if it can end (timeouts included) before the lease
        # does, so no other worker can take a row over while we may still be sending it.
        lease_ends = time.monotonic() + lease_seconds() - min(HTTP_TIMEOUT + 5, lease_seconds() / 2)
        claimed = claim_due(worker=worker)
        if not claimed:
            break
        _fast_commits()  # again each batch: a connection opened since (after a database restart) starts durable
        rows = _cancel_stale_reminders(claimed, timezone.now())
        counts["cancelled"] += len(claimed) - len(rows)
        deliverer.prepare(rows)
        sent: list[int] = []  # rows of this batch the platform took: from then on they must end up recorded
        tried = 0  # rows of this batch sent, or tried and failed
        try:
            for row in rows:
                if time.monotonic() > min(lease_ends, deadline):
                    break
                try:
                    deliverer.deliver(row)
                except Postponed as wait:
                    tried += 1
                    _postpone(row, worker, wait.seconds)
                    counts["postponed"] += 1
                    continue
                except DeliveryError as error:
                    log.warning("outbox %s: %s", row.id, error)
                    tried += 1
                    _mark_failed_attempt(row, worker, str(error))
                    counts["failed"] += 1
                    continue
                sent.append(row.id)
                tried += 1
                counts["sent"] += 1
                _mark_sent(row, worker)
        except (OperationalError, InterfaceError) as error:
            if not sent:
                raise  # nothing went out, so nothing to record: the leases hand these rows on
            log.warning("outbox: the database went away while sending (%s); recording what went out", error)
        _confirm_sent(sent, worker)
        if tried < len(rows):
            # Out of lease or time, or the database went away: the rest is due again at once, for anyone.
            _release(rows[tried:], worker)
            counts["released"] += len(rows) - tried
    else:
        # Out of time with work left: hand over to a fresh task rather than hold this one for long.
        enqueue_senders(count=1)


def sweep() -> int:
    """Re-queue senders for whatever is due in the database (a lost Celery message, a Redis restart, a backoff
    that ended, a lease that ran out). Returns the number of due rows."""
    due = due_count()
    if due:
        enqueue_senders(count=due)
    return due
