"""Thin Celery tasks over appraisal.services."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from appraisal import services
from dutydesk.models import Team
from dutydesk.months import previous_month

log = logging.getLogger(__name__)


@shared_task
def task_compute_appraisal(*, team_id: int, month: str) -> None:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        log.info("appraisal: team %s is gone", team_id)
        return
    try:
        services.compute_appraisal(team=team, month=date.fromisoformat(month))
    except services.AppraisalError as error:  # finalised meanwhile: nothing to do
        log.info("appraisal: %s %s not computed: %s", team.slug, month, error)


@shared_task
def task_compute_last_month() -> None:
    """Month end (R-APP-2): compute last month for every team, one task per team."""
    month = previous_month(timezone.localdate())
    for team_id in Team.objects.values_list("id", flat=True):
        task_compute_appraisal.delay(team_id=team_id, month=month.isoformat())
