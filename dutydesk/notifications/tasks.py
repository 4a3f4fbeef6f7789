"""Celery tasks: thin wrappers over reminders.py and sending.py. They take no model instances; the database
holds the work, so a lost or repeated message loses or repeats nothing. Other modules queue them by name
(enqueue.py), never by importing this one."""

import logging

from celery import shared_task

from dutydesk.notifications import reminders, sending
from dutydesk.notifications.enqueue import SEND_OUTBOX

log = logging.getLogger(__name__)


@shared_task(name="notifications.schedule_reminders")
def task_schedule_reminders() -> int:
    return reminders.schedule_reminders()


@shared_task(name=SEND_OUTBOX)
def task_send_outbox() -> dict:
    counts = sending.send_due()
    if any(counts.values()):
        log.info("outbox: %s", counts)
    return counts


@shared_task(name="notifications.sweep_outbox")
def task_sweep_outbox() -> int:
    return sending.sweep()
