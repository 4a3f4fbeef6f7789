"""`make run` looks after the embedded servers (issue #22 item 7), on a copy of the checkout with servers of its
own, as real processes sent real signals:

- the embedded PostgreSQL or Redis killed under a running stack is started again, and the log says so;
- Ctrl-C, then SIGTERM while the stack is already stopping, stops web, worker, beat and the servers within 20 s;
- the servers stay up while another process of the checkout (`make test`) uses them, and the last one stops them,
  even when a process in between died without a word (SIGKILL).
"""

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from dutydesk.testing import free_port, wait_until
from dutydesk.tests.test_embedded import _clean_env, checkout_copy  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("checkout_copy")
STOP_SECONDS = 20


class Run:
    """`make run` (without the migrations and the demo) in the copy, its log read line by line."""

    def __init__(self, copy: Path, env: dict):
        self.port = free_port()
        script = f"import sys; from dutydesk import devserver; sys.exit(devserver.run('{self.port}', prepare=False))"
        self.process = subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=copy,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, pattern: str, timeout: float = 120) -> re.Match:
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

    def ended(self, timeout: float) -> int:
        """Wait for the end and return the exit code; one that is not 0 fails with the whole log."""
        code = self.process.wait(timeout)
        if code != 0:
            self.reader.join(10)  # the last lines arrive when the pipe closes
            while not self.lines.empty():
                self.log.append(self.lines.get())
            raise AssertionError(f"exit code {code}:\n" + "\n".join(self.log))
        return code

    def started(self) -> dict[str, int]:
        pids = {}
        for _ in range(3):
            name, pid = self.expect(r"(web|worker|beat) started \(pid (\d+)\)").groups()
            pids[name] = int(pid)
        self.expect(r"dutydesk is running at")
        return pids

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=5) as response:
                return response.status == 200
        except OSError:
            return False

    def end(self):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)


def _running(copy: Path, env: dict) -> list[str]:
    """The copy's servers that run, as the copy's own dutydesk.embedded sees them."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from dutydesk import embedded; print(json.dumps(sorted(embedded.running())))",
        ],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def _user(copy: Path, env: dict) -> subprocess.Popen:
    """Another process of the checkout using the servers as `make test` does (through `embedded exec`), until its
    standard input is closed."""
    return subprocess.Popen(
        [sys.executable, "-m", "dutydesk.embedded", "exec", "--", sys.executable, "-c", "import sys; sys.stdin.read()"],
        cwd=copy,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _leases(copy: Path) -> int:
    return len(list((copy / "var" / "leases").glob("*.lease")))


def test_dead_servers_are_started_again_and_ctrl_c_then_sigterm_stops_everything(checkout_copy):  # noqa: F811
    copy, port = checkout_copy
    env = _clean_env(EMBEDDED_REDIS_PORT=str(port))
    run = Run(copy, env)
    try:
        pids = run.started()
        postmaster = int((copy / "var" / "pg" / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, signal.SIGKILL)
        run.expect(r"the embedded PostgreSQL had stopped; started it again", timeout=60)
        os.kill(int((copy / "var" / "redis" / "redis.pid").read_text()), signal.SIGKILL)
        run.expect(r"the embedded Redis had stopped; started it again", timeout=60)
        wait_until(run.healthy, timeout=60, what="/healthz to answer on the restarted servers")
        assert _running(copy, env) == ["postgres", "redis"]

        run.process.send_signal(signal.SIGINT)  # Ctrl-C
        stopping = time.monotonic()
        run.expect(r"stopping web, worker and beat", timeout=STOP_SECONDS)
        run.process.send_signal(signal.SIGTERM)  # impatient: again, during the grace period
        assert run.ended(STOP_SECONDS - (time.monotonic() - stopping)) == 0
        assert [name for name, pid in pids.items() if not _group_gone(pid)] == []
        assert _running(copy, env) == []
    finally:
        run.end()


def test_servers_stay_up_while_another_process_of_the_checkout_uses_them(checkout_copy):  # noqa: F811
    copy, port = checkout_copy
    env = _clean_env(EMBEDDED_REDIS_PORT=str(port))
    run = Run(copy, env)
    tests, crashed = None, None
    try:
        run.started()
        tests = _user(copy, env)  # `make test` beside `make run`
        crashed = _user(copy, env)  # and one that will die without a word
        wait_until(lambda: _leases(copy) == 3, timeout=60, what="both users to hold their leases")
        os.killpg(crashed.pid, signal.SIGKILL)
        crashed.wait(30)

        run.process.send_signal(signal.SIGTERM)
        assert run.ended(STOP_SECONDS) == 0
        run.expect(r"left the embedded servers running: another process of this checkout still uses them")
        # Before: stopping `make run` stopped the servers under the test run (570 errors half-way).
        assert _running(copy, env) == ["postgres", "redis"]

        tests.stdin.close()  # the test run ends: the last user stops what `make run` left to stop
        assert tests.wait(STOP_SECONDS) == 0
        assert _running(copy, env) == []
    finally:
        run.end()
        for process in (tests, crashed):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
