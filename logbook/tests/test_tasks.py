"""R-ATT-3 through the real queue: a Celery worker thread on the test Redis database, beat's task by name."""

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from dutydesk.celery import app
from dutydesk.notifications.models import NoticeKind, Notification
from dutydesk.testing import wait_until
from logbook.models import DisciplineRecord
from logbook.schedule import BEAT_SCHEDULE
from testdata import publish, running_shift


@pytest.fixture
def worker(transactional_db):
    """A worker thread in this process; yields the ids of the tasks it has finished (task_postrun)."""
    finished: list[str] = []

    def record(task_id=None, **kwargs):
        finished.append(task_id)

    task_postrun.connect(record, weak=False)
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
            yield finished
    finally:
        task_postrun.disconnect(record)


@pytest.mark.django_db(transaction=True)
def test_absence_job_marks_and_alerts_once_through_real_worker(team, agent, lead, supervisor, worker):
    shift = running_shift(team, started_minutes_ago=20)
    publish(team, [(agent, shift)], keep=True)
    task_name = BEAT_SCHEDULE["logbook-mark-absences"]["task"]

    first = app.send_task(task_name)
    wait_until(lambda: first.id in worker, what="the first run")
    second = app.send_task(task_name)  # beat runs it every minute: the second run must add nothing
    wait_until(lambda: second.id in worker, what="the second run")
    assert DisciplineRecord.objects.filter(kind="absence").count() == 1
    assert sorted(
        Notification.objects.filter(kind=NoticeKind.ABSENCE_ALERT).values_list(
            "recipient__user__username", "dedupe_key"
        )
    ) == [
        ("lead", f"absence:{shift.pk}:{agent.profile.pk}"),
        ("supervisor", f"absence:{shift.pk}:{agent.profile.pk}"),
    ]
