"""PostgreSQL crashes while the outbox is being sent: nothing is sent twice, nothing is lost.

The sender runs in a process of its own on a PostgreSQL of its own (the same embedded server, pgserver, in a
temporary directory, its schema copied from the test database), so that crashing it disturbs no other test. The
robot sink lets ten messages through, then holds the eleventh after accepting it; while it is held, PostgreSQL is
stopped in immediate mode (a crash as far as the data goes: no checkpoint, the server's memory is lost), then the
platform answers. The sender must now record a message the platform has, with no database: it waits for the
database, which is then started again (crash recovery), and records it. Every message reaches the platform once.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

from dutydesk import embedded
from dutydesk.notifications.tests.sinks import RobotSink
from dutydesk.testing import wait_until

BASE_DIR = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)


class ScratchPostgres:
    """An embedded PostgreSQL in a directory of its own, with a database holding the test database's schema."""

    def __init__(self, pgdata: Path):
        pgserver = embedded.import_pgserver()
        self.pgdata, self.bin = pgdata, pgserver._commands.POSTGRES_BIN_PATH
        self.user = "pgserver" if os.geteuid() == 0 else None
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        self.socket_dir = str(server.get_postmaster_info().socket_dir)
        server.psql("CREATE DATABASE faulty;")
        source = settings.DATABASES["default"]
        schema = subprocess.run(
            [
                self.bin / "pg_dump",
                "--schema-only",
                "--no-owner",
                "--no-privileges",
                "-h",
                source["HOST"],
                "-U",
                source["USER"],
                source["NAME"],
            ],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(
            [self.bin / "psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.socket_dir, "-U", "postgres", "faulty"],
            input=schema,
            check=True,
            capture_output=True,
        )
        self.url = f"postgres://postgres@{quote(self.socket_dir, safe='')}/faulty"

    def _pg_ctl(self, *args: str) -> None:
        embedded.import_pgserver().pg_ctl(["-w", *args], pgdata=self.pgdata, user=self.user)

    def crash(self) -> None:
        self._pg_ctl("-m", "immediate", "stop")

    def start(self) -> None:
        self._pg_ctl("-o", '-h ""', "-o", f"-k {self.socket_dir}", "-l", str(self.pgdata / "log"), "start")

    def stop(self) -> None:
        if (self.pgdata / "postmaster.pid").exists():
            self._pg_ctl("-m", "immediate", "stop")


@pytest.fixture
def scratch_postgres():
    # Not under pytest's tmp_path: the server runs as another user (pgserver, when tests run as root), who must
    # reach the directory through every parent.
    parent = Path(tempfile.mkdtemp(prefix="dutydesk-fault-"))
    parent.chmod(0o755)
    try:
        scratch = ScratchPostgres(parent / "pg")
        yield scratch
        scratch.stop()
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def _sender_env(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "FAULT_LEASE_SECONDS": "3",
    }


def _run(env: dict, *args: str):
    result = subprocess.run(
        [sys.executable, "-m", "dutydesk.notifications.tests.fault_sender", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_postgres_crash_while_sending_sends_each_message_once(scratch_postgres):
    env = _sender_env(scratch_postgres.url)
    with RobotSink() as sink:
        ids = _run(env, "setup", "20", sink.url("wecom"))
        sink.hold, sink.accept_held, sink.hold_after = True, True, 10
        sender = subprocess.Popen(
            [sys.executable, "-m", "dutydesk.notifications.tests.fault_sender", "send"],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        log: list[str] = []
        reader = threading.Thread(target=lambda: log.extend(sender.stderr), daemon=True)
        reader.start()
        try:
            assert sink.holding.wait(60), "the sender never reached the eleventh message"
            scratch_postgres.crash()
            sink.release()  # the platform has taken the eleventh message, and answers
            # The sender cannot record it: it says it will retry (or, without that, gives up and dies).
            wait_until(
                lambda: any("retrying to record" in line for line in log) or sender.poll() is not None,
                timeout=30,
                what="the sender to meet the missing database",
            )
            scratch_postgres.start()
            first_run, _ = sender.communicate(timeout=120)
        finally:
            if sender.poll() is None:
                sender.kill()
        # Whatever the first run left (claims or marks the crash undid) goes out when the leases (3 s) run out.
        wait_until(
            lambda: _run(env, "send") is not None and set(_run(env, "statuses").values()) == {"sent"},
            timeout=90,
            what="every message to be sent",
        )
        delivered = dict(sink.counts())
    reader.join(5)
    assert delivered == {str(i): 1 for i in ids}
    # And the sender rode out the crash: it sent all twenty in its one run.
    assert (sender.returncode, json.loads(first_run or "{}").get("sent")) == (0, 20), "".join(log)
