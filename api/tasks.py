"""Celery tasks of the outgoing webhooks: thin wrappers over api.delivery. They take no model instances; the rows
are the work, so a lost or repeated message loses or repeats nothing."""

import logging

from celery import shared_task

from api import delivery
from api.webhooks import SEND_WEBHOOKS

log = logging.getLogger(__name__)


@shared_task(name=SEND_WEBHOOKS)
def task_send_webhooks() -> dict:
    counts = delivery.send_due()
    if any(counts.values()):
        log.info("webhooks: %s", counts)
    return counts


@shared_task(name="api.sweep_webhooks")
def task_sweep_webhooks() -> int:
    return delivery.sweep()
