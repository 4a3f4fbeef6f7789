"""Telling Celery there is outbox work, by task name.

The bottom layer of the notifications app: services (a notice was queued), sending (more work than one task's time)
and the sweep all wake senders through here, and this module imports none of them, so no import circle forms
between services, sending and tasks. The rows in PostgreSQL are the work; a message only says "there is work".
"""

from celery import current_app
from django.conf import settings

SEND_OUTBOX = "notifications.send_outbox"
# Rows one sender claims at a time (sending.claim_due).
BATCH = 50


def enqueue_senders(*, count: int = 1) -> None:
    """Queue sender tasks: one per batch of work, at most NOTIFY_SENDERS at once (they split rows by row locks)."""
    fanout = getattr(settings, "NOTIFY_SENDERS", 4)
    for _index in range(max(1, min(fanout, -(-count // BATCH)))):
        current_app.send_task(SEND_OUTBOX)
