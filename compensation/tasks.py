"""Thin Celery tasks over compensation.services."""

import logging
from datetime import date

from celery import shared_task
from django.utils import timezone

from compensation import services
from dutydesk.models import Team
from dutydesk.months import previous_month

log = logging.getLogger(__name__)


@shared_task
def task_compute_open_months() -> None:
    """Nightly: this month and last month of every team computed again (earned comp time reaches the ledger the
    night after the shift; a finalised month is left as it is)."""
    this_month = timezone.localdate().replace(day=1)
    teams = list(Team.objects.order_by("pk"))
    for month in (previous_month(this_month), this_month):
        done = services.compute_open_statements(month=month, teams=teams)
        log.info("compensation: %s computed for %d teams", f"{month:%Y-%m}", len(done))


@shared_task
def task_compute_statement(*, team_id: int, month: str) -> None:
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        log.info("compensation: team %s is gone", team_id)
        return
    try:
        services.compute_statement(team=team, month=date.fromisoformat(month))
    except services.CompensationError as error:  # finalised meanwhile: nothing to do
        log.info("compensation: %s %s not computed: %s", team.slug, month, error)


@shared_task
def task_expire_comp_time() -> None:
    written = services.expire_comp_time()
    log.info("compensation: %d comp-time lots expired", written)
