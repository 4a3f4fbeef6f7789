"""Thin Celery wrappers over logbook.services."""

import logging

from celery import shared_task

from logbook import services

log = logging.getLogger(__name__)


@shared_task(name="logbook.tasks.task_mark_absences")
def task_mark_absences() -> int:
    """R-ATT-3, every minute (logbook.schedule): absence from post marked and alerted once."""
    marked = services.mark_absences()
    if marked:
        log.info("marked %d absences from post", marked)
    return marked
