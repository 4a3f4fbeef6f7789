"""Celery tasks: thin wrappers over reminders.py and sending.py. They take no model instances; the database
holds the work, so a lost or repeated message loses or repeats nothing."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="notifications.schedule_reminders")
def task_schedule_reminders() -> int:
    from dutydesk.notifications.reminders import schedule_reminders

    return schedule_reminders()


@shared_task(name="notifications.send_outbox")
def task_send_outbox() -> dict:
    from dutydesk.notifications.sending import send_due

    counts = send_due()
    if any(counts.values()):
        log.info("outbox: %s", counts)
    return counts


@shared_task(name="notifications.sweep_outbox")
def task_sweep_outbox() -> int:
    from dutydesk.notifications.sending import sweep

    return sweep()
