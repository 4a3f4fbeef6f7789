"""`make run`'s servers, as real processes on the test database and the test Redis database.

- The development web server (manage.py runserver) keeps no database connection after its requests: it answers
  each request in a thread of its own, and persistent connections per thread exhausted PostgreSQL.
- A worker or beat killed under `make run` is started again, the log says so, and the rest keeps running; Ctrl-C
  stops everything.
"""

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from dutydesk.testing import free_port, wait_until

BASE_DIR = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _dev_env() -> dict:
    """The development settings, on this test run's database and Redis database."""
    db = settings.DATABASES["default"]
    env = {k: v for k, v in os.environ.items() if k not in {"CONN_MAX_AGE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "dutydesk.settings",
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "DATABASE_URL": f"postgres://{db['USER']}@{quote(db['HOST'], safe='')}/{db['NAME']}",
    }


def _connections_of(application: str) -> int:
    """Connections a process opened under PGAPPNAME=`application`: not those another test's leftover worker or
    server thread may still hold."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [application],
        )
        return cursor.fetchone()[0]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except OSError:
        return 0


def test_development_server_keeps_no_connection_per_request_thread():
    port = free_port()
    application = f"devserver-test-{port}"
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env={**_dev_env(), "PGAPPNAME": application},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        wait_until(lambda: _get(url) == 200, timeout=60, what="runserver")
        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(_get, [url] * 50))
        assert statuses == [200] * 50
        # Each request's thread closes its connection when the request ends (CONN_MAX_AGE=0 under runserver);
        # with 60 they stayed open for a minute, 50 of PostgreSQL's 100.
        wait_until(
            lambda: _connections_of(application) == 0, timeout=20, what="the request threads' connections to close"
        )
    finally:
        server.terminate()
        server.wait(30)


class DevServer:
    """dutydesk.devserver.serve() in its own process (the part of `make run` after migrate and the demo)."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        script = (
            "import sys; from pathlib import Path; from dutydesk import devserver; "
            f"sys.exit(devserver.serve(dict(__import__('os').environ), '{self.port}', "
            f"schedule_file=Path({str(tmp_path / 'celerybeat-schedule')!r})))"
        )
        self.process = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=BASE_DIR,
            env=_dev_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, pattern: str, timeout: float = 90) -> re.Match:
        """The next log line matching `pattern` (earlier lines are kept in self.log)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.log.append(line)
            if found := re.search(pattern, line):
                return found
        raise AssertionError(f"no line matching {pattern!r} in:\n" + "\n".join(self.log))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (ended, not yet reaped by the devserver) counts as dead.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[1][0] != "Z"


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def test_killed_worker_and_beat_are_restarted_and_only_ctrl_c_stops_the_stack(tmp_path):
    from dutydesk.celery import app

    server = DevServer(tmp_path)
    try:
        started = {}
        for _ in range(3):
            name, pid = server.expect(r"(web|worker|beat) started \(pid (\d+)\)").groups()
            started[name] = int(pid)
        server.expect(r"dutydesk is running at")
        wait_until(lambda: app.control.ping(timeout=1), timeout=60, what="the worker to answer")

        os.kill(started["worker"], signal.SIGKILL)
        server.expect(rf"worker \(pid {started['worker']}\) exited with code -9; restarting it")
        worker = int(server.expect(r"worker started \(pid (\d+)\)").group(1))
        os.kill(started["beat"], signal.SIGKILL)
        server.expect(rf"beat \(pid {started['beat']}\) exited with code -9; restarting it")
        beat = int(server.expect(r"beat started \(pid (\d+)\)").group(1))

        # The new worker takes work from the broker; nothing else was stopped, and the killed worker's pool
        # processes went with it.
        wait_until(lambda: app.control.ping(timeout=1), timeout=60, what="the restarted worker to answer")
        assert (server.process.poll(), _alive(started["web"]), _alive(worker), _alive(beat)) == (None, True, True, True)
        assert _get(f"http://127.0.0.1:{server.port}/healthz") == 200
        wait_until(lambda: _group_gone(started["worker"]), timeout=10, what="the dead worker's pool to go")

        server.process.send_signal(signal.SIGINT)  # Ctrl-C
        assert server.process.wait(60) == 0
        assert [pid for pid in (started["web"], worker, beat) if not _group_gone(pid)] == []
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(30)
