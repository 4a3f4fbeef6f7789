"""Issue #11 item 3: a generation run never stays queued or running for ever. The broker outage is real: the test
stops a Redis and starts it again. It is a Redis of the test's own (dutydesk.testing.own_broker), made the
application's broker: the suite's Redis serves the other tests running beside this one."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dutydesk.audit.models import AuditEvent
from dutydesk.testing import own_broker, run_together
from roster import queries, rules, services
from roster.models import GenerationRun, GenerationStatus
from roster.tests.test_services import worker  # noqa: F401 (a real Celery worker in a thread)
from testdata import MONTH, laid_out_month, make_agents

M = f"{MONTH:%Y-%m}"


def url(name, team):
    return reverse(f"roster:{name}", kwargs={"team": team.slug, "month": M})


@pytest.fixture
def month(team, agent, lead):
    make_agents(team, 3)
    return laid_out_month(team)


@pytest.fixture
def broker(tmp_path):
    """A real Redis as the application's broker, that this test alone may stop."""
    from dutydesk.celery import app

    with own_broker(tmp_path / "redis") as broker:
        # The fault must hit the broker the application uses, not some other Redis.
        with app.connection_for_write() as conn:
            assert (conn.hostname, conn.port) == ("127.0.0.1", broker.port), conn.as_uri()
        yield broker


@pytest.fixture
def broker_down(broker):
    """The broker stopped for the test (and started again after it, whatever the test did)."""
    broker.stop()
    try:
        yield
    finally:
        broker.start()


def _statuses(roster):
    return list(roster.generation_runs.order_by("id").values_list("status", flat=True))


# transaction=True: as in a real request, the task is sent when the run's row is committed, inside the request.
@pytest.mark.django_db(transaction=True)
def test_generate_with_the_broker_down_says_so_and_leaves_no_run_active(client, supervisor, team, month, broker_down):
    client.force_login(supervisor)
    response = client.post(url("generate", team), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "生成排班的后台服务暂时不可用" in page
    assert _statuses(month) == [GenerationStatus.FAILED]
    # A second click is not answered with the dead run: it tries again (and is refused again, clearly).
    client.post(url("generate", team), follow=True)
    assert _statuses(month) == [GenerationStatus.FAILED, GenerationStatus.FAILED]


@pytest.mark.django_db(transaction=True)
def test_after_the_broker_is_back_generate_queues_a_run(client, supervisor, team, month, broker):
    from dutydesk.celery import app

    broker.stop()
    try:
        client.force_login(supervisor)
        client.post(url("generate", team))
    finally:
        broker.start()
    response = client.post(url("generate", team), follow=True)
    assert "正在生成排班" in response.content.decode()
    assert _statuses(month) == [GenerationStatus.FAILED, GenerationStatus.QUEUED]
    with app.connection_for_write() as conn:
        assert conn.default_channel.client.llen("celery") == 1  # the task is really in the broker


@pytest.mark.django_db(transaction=True)
def test_sweep_requeues_a_run_whose_task_was_lost_and_a_real_worker_finishes_it(worker, supervisor, team, month):  # noqa: F811
    # The run row exists but its message never reached a worker (lost with a broker restart).
    run = GenerationRun.objects.create(roster=month, requested_by=supervisor)
    assert services.sweep_generation_runs() == {"requeued": [], "failed": []}  # not stale yet
    outcome = services.sweep_generation_runs(now=timezone.now() + services.QUEUE_PATIENCE + timedelta(seconds=1))
    assert outcome == {"requeued": [run.pk], "failed": []}
    deadline = time.monotonic() + 60
    while GenerationRun.objects.get(pk=run.pk).status != GenerationStatus.DONE and time.monotonic() < deadline:
        time.sleep(0.1)
    run.refresh_from_db()
    assert (run.status, run.attempts, queries.draft_of(month) is not None) == (GenerationStatus.DONE, 2, True)


@pytest.mark.django_db
def test_sweep_fails_a_run_queued_too_often_and_one_running_past_its_limit(supervisor, team, month, other_team):
    now = timezone.now()
    never_started = GenerationRun.objects.create(
        roster=month, requested_by=supervisor, attempts=services.QUEUE_ATTEMPTS, queued_at=now - timedelta(hours=1)
    )
    other = laid_out_month(other_team)
    limit = timedelta(seconds=queries.settings_for(other_team).solver_time_limit_s) + services.RUN_GRACE
    worker_died = GenerationRun.objects.create(
        roster=other,
        requested_by=supervisor,
        status=GenerationStatus.RUNNING,
        started_at=now - limit - timedelta(seconds=1),
    )
    assert services.sweep_generation_runs(now=now) == {"requeued": [], "failed": [never_started.pk, worker_died.pk]}
    texts = dict(GenerationRun.objects.values_list("pk", "status"))
    assert texts == {never_started.pk: GenerationStatus.FAILED, worker_died.pk: GenerationStatus.FAILED}
    # The roster is free again: a new click queues a new run.
    assert services.start_generation(month, actor=supervisor.profile).status == GenerationStatus.QUEUED


@pytest.mark.django_db
def test_supervisor_cancels_a_queued_run_and_its_late_task_changes_nothing(client, supervisor, team, month):
    run = GenerationRun.objects.create(roster=month, requested_by=supervisor)
    client.force_login(supervisor)
    page = client.get(url("draft", team)).content.decode()
    assert 'data-testid="generation-cancel"' in page
    response = client.post(url("generation-cancel", team), {"run": run.pk}, follow=True)
    assert "已取消生成；草稿未作更改。" in response.content.decode()
    services.run_generation(run)  # the task arrives after the cancel
    run.refresh_from_db()
    assert (run.status, run.cancelled_by, queries.draft_of(month)) == (GenerationStatus.CANCELLED, supervisor, None)
    second = client.post(url("generation-cancel", team), {"run": run.pk}, follow=True)
    assert "这次生成已经结束，没有可取消的" in second.content.decode()


@pytest.mark.django_db
def test_cancel_refuses_another_teams_run(client, supervisor, team, month, other_team, outsider):
    other = laid_out_month(other_team)
    run = GenerationRun.objects.create(roster=other, requested_by=outsider)
    client.force_login(supervisor)
    client.post(url("generation-cancel", team), {"run": run.pk})
    assert GenerationRun.objects.get(pk=run.pk).status == GenerationStatus.QUEUED


# --- issue #28 item 4: every status change of a run goes through one table of allowed moves ----------------------


def test_a_run_moves_only_along_the_table_and_its_final_states_go_nowhere():
    moves = rules.GENERATION_MOVES
    assert moves == {
        GenerationStatus.QUEUED: {GenerationStatus.RUNNING, GenerationStatus.FAILED, GenerationStatus.CANCELLED},
        GenerationStatus.RUNNING: {GenerationStatus.DONE, GenerationStatus.FAILED, GenerationStatus.CANCELLED},
    }
    for final in (GenerationStatus.DONE, GenerationStatus.FAILED, GenerationStatus.CANCELLED):
        assert not any(rules.run_may_move(final, to) for to in GenerationStatus.values)
    assert not rules.run_may_move(GenerationStatus.RUNNING, GenerationStatus.QUEUED)
    assert not rules.run_may_move(GenerationStatus.QUEUED, GenerationStatus.DONE)  # done only after running


@pytest.mark.django_db
def test_a_move_the_table_forbids_is_refused_and_changes_nothing(supervisor, team, month):
    run = GenerationRun.objects.create(roster=month, requested_by=supervisor, status=GenerationStatus.DONE)
    with pytest.raises(ValueError, match="never moves"):
        services.move_run(run.pk, GenerationStatus.RUNNING, from_=[GenerationStatus.DONE])
    with pytest.raises(ValueError, match="never moves"):
        services.move_run(run.pk, GenerationStatus.DONE, from_=[GenerationStatus.QUEUED])
    # Allowed moves from states the run is no longer in: nothing happens, whoever asks.
    assert not services.move_run(run.pk, GenerationStatus.FAILED, from_=[GenerationStatus.RUNNING], error="late")
    with pytest.raises(services.RosterError, match="已经结束"):
        services.cancel_generation(run, actor=supervisor.profile)
    services.run_generation(run)  # a late task of a finished run
    run.refresh_from_db()
    assert (run.status, run.error, run.cancelled_by, run.started_at) == (GenerationStatus.DONE, "", None, None)


@pytest.mark.django_db(transaction=True)
def test_two_supervisors_cancelling_at_once_cancel_once(supervisor, overseer, team, month):
    run = GenerationRun.objects.create(roster=month, requested_by=supervisor)
    outcomes = run_together(
        lambda: services.cancel_generation(run, actor=supervisor.profile),
        lambda: services.cancel_generation(run, actor=overseer.profile),
    )
    won = [o for o in outcomes if isinstance(o, GenerationRun)]
    lost = [o for o in outcomes if isinstance(o, services.RosterError)]
    assert (len(won), len(lost)) == (1, 1), outcomes
    run.refresh_from_db()
    assert (run.status, run.cancelled_by) == (GenerationStatus.CANCELLED, won[0].cancelled_by)
    assert AuditEvent.objects.filter(action="roster.generate_cancel").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_cancel_and_the_sweep_racing_for_a_queued_run_make_one_move(supervisor, team, month):
    # The sweep gives up on a run queued too often while the supervisor cancels it: one of them wins, the other
    # changes nothing (never failed after cancelled, nor cancelled after failed). Several rounds, either may win.
    later = timezone.now() + services.QUEUE_PATIENCE + timedelta(seconds=1)
    for _round in range(5):
        run = GenerationRun.objects.create(roster=month, requested_by=supervisor, attempts=services.QUEUE_ATTEMPTS)
        cancel, sweep = run_together(
            lambda run=run: services.cancel_generation(run, actor=supervisor.profile),
            lambda: services.sweep_generation_runs(now=later),
        )
        run.refresh_from_db()
        if isinstance(cancel, GenerationRun):
            assert (run.status, sweep["failed"]) == (GenerationStatus.CANCELLED, [])
        else:
            assert isinstance(cancel, services.RosterError), cancel
            assert (run.status, sweep["failed"], run.cancelled_by) == (GenerationStatus.FAILED, [run.pk], None)
        assert run.finished_at is not None
