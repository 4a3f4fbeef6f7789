"""Celery tasks: thin wrappers over roster.services."""

import logging

from celery import shared_task
from django.utils import timezone

from roster import services
from roster.models import GenerationRun

log = logging.getLogger(__name__)


@shared_task
def task_generate_roster(*, run_id: int) -> None:
    run = GenerationRun.objects.select_related("roster__team", "requested_by").filter(pk=run_id).first()
    if run is None:
        log.info("generation run %s is gone", run_id)
        return
    services.run_generation(run)


@shared_task
def task_publish_due_rosters() -> dict:
    outcomes = services.publish_due_rosters(timezone.localdate())
    log.info("scheduled roster publication: %s", outcomes)
    return outcomes


@shared_task
def task_sweep_generation_runs() -> dict:
    outcome = services.sweep_generation_runs()
    if outcome["requeued"] or outcome["failed"]:
        log.warning("generation runs swept: %s", outcome)
    return outcome
