"""Celery tasks: thin wrappers over market.services."""

import logging

from celery import shared_task

from market import services

log = logging.getLogger(__name__)


@shared_task
def task_tell_leads_of_unclaimed() -> int:
    told = services.tell_leads_of_unclaimed()
    if told:
        log.info("marketplace: %s given-away shifts nobody took told to the leads", told)
    return told
