"""Thin Celery wrappers over logbook.services."""

import logging

from celery import shared_task

from logbook import privacy, services

log = logging.getLogger(__name__)


@shared_task(name="logbook.tasks.task_mark_absences")
def task_mark_absences() -> int:
    """R-ATT-3, every minute (logbook.schedule): absence from post marked and alerted once."""
    marked = services.mark_absences()
    if marked:
        log.info("marked %d absences from post", marked)
    return marked


@shared_task(name="logbook.tasks.task_purge_personal_data")
def task_purge_personal_data() -> int:
    """R-PIPL-3, nightly (logbook.schedule): customers' personal data past the retention period removed."""
    run = privacy.purge_personal_data()
    log.info("retention run %d: personal data removed from %d entries", run.pk, run.entries)
    return run.entries
