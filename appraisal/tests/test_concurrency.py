"""Two people (or the beat job and a click) at once, on real threads and a real Celery worker."""

from datetime import date

import pytest

from appraisal import services
from appraisal.models import AgentScore, MonthlyAppraisal
from appraisal.tasks import task_compute_appraisal
from dutydesk.testing import celery_worker, errors_of, queue_drained, run_together, wait_until
from testdata import evaluate, on_duty, weekends

OCT = date(2026, 10, 1)


@pytest.mark.django_db(transaction=True)
def test_two_first_computations_at_once_make_one_version(team, agent, supervisor):
    shifts = on_duty(team, [agent.profile], weekends(OCT, 1))
    evaluate(shifts[0], agent.profile, supervisor.profile)
    errors = errors_of(run_together(*[lambda: services.compute_appraisal(team=team, month=OCT)] * 3))
    assert errors == []
    assert (MonthlyAppraisal.objects.count(), AgentScore.objects.filter(status="rated").count()) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_finalise_and_dispute_at_once_never_leave_an_open_dispute_in_a_final_month(team, agent, supervisor, manager):
    shifts = on_duty(team, [agent.profile], weekends(OCT, 1))
    evaluate(shifts[0], agent.profile, supervisor.profile)
    appraisal = services.compute_appraisal(team=team, month=OCT)
    score = appraisal.scores.get(profile=agent.profile)
    run_together(
        lambda: services.finalise_appraisal(appraisal, manager=manager.profile),
        lambda: services.respond_to_score(score, agent=agent.profile, kind="disputed", comment="有误"),
    )
    appraisal.refresh_from_db()
    disputed = AgentScore.objects.filter(pk=score.pk, response__kind="disputed").exists()
    # Either the dispute came first (the month stays open) or the finalising did (the dispute was refused).
    assert (appraisal.status, disputed) in {("open", True), ("finalised", False)}


@pytest.mark.django_db(transaction=True)
def test_celery_worker_computes_the_month(team, agent, supervisor):
    shifts = on_duty(team, [agent.profile], weekends(OCT, 1))
    evaluate(shifts[0], agent.profile, supervisor.profile)
    with celery_worker() as app:
        task_compute_appraisal.delay(team_id=team.pk, month=OCT.isoformat())
        # The computation, then the notices it queued: wait until the queue is empty and nothing is in flight,
        # so that no task touches the database while the test's tables are emptied.
        wait_until(
            lambda: MonthlyAppraisal.objects.filter(team=team, month=OCT).exists() and queue_drained(app),
            what="the month computed and the queue drained",
        )
    assert list(AgentScore.objects.values_list("profile__name", "composite", "band")) == [("张伟", 100, "excellent")]
