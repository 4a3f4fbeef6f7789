"""Fixtures of the notification tests: local sinks, a real Celery worker in a thread, polling with a deadline."""

import time

import pytest

from dutydesk.notifications.tests.sinks import RobotSink, SmtpSink


@pytest.fixture
def sink():
    with RobotSink() as robot_sink:
        yield robot_sink


@pytest.fixture
def smtp_sink():
    with SmtpSink() as smtp:
        yield smtp


@pytest.fixture
def worker(transactional_db):
    """A real Celery worker (solo pool) in a thread, on the test Redis database and the test PostgreSQL."""
    from celery.contrib.testing.worker import start_worker

    from dutydesk.celery import app

    app.control.purge()  # nothing left over from earlier tests: what runs here was queued here
    with app.connection_for_write() as conn:
        # Messages a killed worker held (acks_late) wait an hour for redelivery; this Redis db is ours alone.
        conn.default_channel.client.delete("unacked", "unacked_index")
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=30):
        yield app


def wait_until(predicate, *, timeout: float = 30, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def queue_drained(app) -> bool:
    """Every queued task has run: nothing waiting, nothing taken but unacknowledged (acks_late acks at the end)."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return client.llen("celery") == 0 and client.hlen("unacked") == 0
