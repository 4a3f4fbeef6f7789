"""Helpers every app's tests share, written once: people acting at the same moment, waiting for background work
with a deadline (never a fixed sleep), a real Celery worker, and the language messages are asserted in.

Imported by tests (and the root conftest.py, which registers the `english` fixture); never by the site itself.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import translation


def run_together(*calls) -> list:
    """Start every call at the same moment, each in its own thread with its own database connection; return, in
    order, what each call returned or the exception it raised. The threads speak the caller's language."""
    language = translation.get_language()
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            with translation.override(language):
                outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test asserts
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a call did not finish within 60 s"
    return outcomes


def errors_of(outcomes: list) -> list[Exception]:
    return [outcome for outcome in outcomes if isinstance(outcome, Exception)]


def wait_until(predicate, *, timeout: float = 30, what: str = "condition") -> bool:
    """Poll `predicate` until it holds; fail the test after `timeout` seconds, saying what was awaited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")


def queue_drained(app) -> bool:
    """Every queued task has run: nothing waiting, nothing taken but unacknowledged (acks_late acks at the end)."""
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return client.llen("celery") == 0 and client.hlen("unacked") == 0


@contextmanager
def celery_worker():
    """A real Celery worker (solo pool) in a thread, on the test Redis database and the test PostgreSQL; what runs
    is what this test queued. Use with a `transactional_db` test: the worker has its own connection."""
    from celery.contrib.testing.worker import start_worker

    from dutydesk.celery import app

    app.control.purge()
    with app.connection_for_write() as conn:
        # Messages a killed worker held (acks_late) wait an hour for redelivery; this Redis db is the tests' alone.
        conn.default_channel.client.delete("unacked", "unacked_index")
    with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=30):
        yield app


def in_english():
    """Messages asserted in English, the source text (dutydesk/tests/test_translations.py checks the Chinese)."""
    return translation.override("en")


@pytest.fixture
def english():
    """The test's messages in English: `pytestmark = pytest.mark.usefixtures("english")`."""
    with in_english():
        yield
