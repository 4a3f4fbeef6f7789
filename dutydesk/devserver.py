"""`make run`: embedded services, migrations, the demo organisation, then web + Celery worker + beat.

A web server, worker or beat that dies (a crash, an out-of-memory kill, `kill -9` while testing) is started again,
and the log says so; one that keeps dying right after its start is restarted less and less often (at most every
30 s). So is the embedded PostgreSQL or Redis that stops under a running stack (checked every 2 s).

Only Ctrl-C (or SIGTERM / SIGHUP to this process) stops the whole stack, at any moment (during the start, the
migrations, or while it is already stopping: further signals are ignored then, so a second Ctrl-C cannot cut the
stop short): web, worker and beat get SIGTERM, and whatever of their groups is left after GRACE_SECONDS gets
SIGKILL; then the embedded servers, if this run started them and no other process of the checkout (`make test`)
still uses them (dutydesk.embedded's leases). All of it within 20 s.

Each process runs in a process group of its own, so a dead worker's pool processes are cleaned up with it and a
restart never leaves orphans; Ctrl-C reaches them through this process, which stops every group it started.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from dutydesk import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
DEMO_LOGINS = [
    ("manager", "经理 / manager"),
    ("supervisor1", "客服主管 / supervisor, 华东客服组"),
    ("lead1", "值班组长 / team lead, 华东客服组"),
    ("agent01", "客服 / agent, 华东客服组"),
    ("supervisor2", "客服主管 / supervisor, 华南客服组"),
]
# A process that ran this long before dying is restarted at once; one that dies sooner waits 1, 2, 4 ... 30 s.
STEADY_SECONDS = 30
MAX_BACKOFF_SECONDS = 30
# Web, worker and beat get this long to end after SIGTERM; PostgreSQL's stop takes at most 10 s more.
GRACE_SECONDS = 8
SERVERS_CHECK_SECONDS = 2


def say(message: str) -> None:
    print(f"[devserver {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)  # process_group=0: the group id is the leader's pid
    except ProcessLookupError:
        pass


@dataclass
class Service:
    name: str
    command: list[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    failures: int = 0  # deaths in a row, each soon after its start
    restart_at: float | None = None
    history: list[int] = field(default_factory=list)  # pids, oldest first

    def start(self, env: dict) -> None:
        # A group of its own, not the terminal's: Ctrl-C comes through stop(). No terminal input either (for a
        # breakpoint() in a view, run `python manage.py runserver` by itself).
        self.process = subprocess.Popen(self.command, env=env, process_group=0, stdin=subprocess.DEVNULL)
        self.started_at, self.restart_at = time.monotonic(), None
        self.history.append(self.process.pid)
        say(f"{self.name} started (pid {self.process.pid})")

    def died(self) -> int | None:
        """The exit code if the process has ended since it was started (and not yet handled), else None."""
        if self.process is None or self.restart_at is not None:
            return None
        return self.process.poll()


class Stack:
    """The web server, the Celery worker and Celery beat, kept running until stop()."""

    def __init__(self, services: list[Service], env: dict):
        self.services, self.env = services, env

    def start(self) -> None:
        for service in self.services:
            service.start(self.env)

    def check(self) -> None:
        """Restart what died (after its backoff); call this every fraction of a second."""
        now = time.monotonic()
        for service in self.services:
            code = service.died()
            if code is not None:
                # Its pool or reloader children may outlive it: end the whole group before starting afresh.
                _signal_group(service.process, signal.SIGKILL)
                service.failures = service.failures + 1 if now - service.started_at < STEADY_SECONDS else 0
                delay = min(2 ** (service.failures - 1), MAX_BACKOFF_SECONDS) if service.failures else 0
                service.restart_at = now + delay
                say(
                    f"{service.name} (pid {service.process.pid}) exited with code {code}; restarting it"
                    + (f" in {delay} s" if delay else "")
                )
            if service.restart_at is not None and now >= service.restart_at:
                service.start(self.env)

    def running(self) -> list[subprocess.Popen]:
        return [s.process for s in self.services if s.process is not None and s.process.poll() is None]

    def stop(self) -> None:
        say(f"stopping web, worker and beat (at most {GRACE_SECONDS} s)")
        for process in self.running():
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for service in self.services:
            if service.process is None:
                continue
            try:
                service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            # Whatever is left of the group (a worker's pool, a reloader's child) goes too.
            _signal_group(service.process, signal.SIGKILL)
            service.process.wait()


def services(port: str, *, schedule_file: Path) -> list[Service]:
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    celery = [sys.executable, "-m", "celery", "-A", "dutydesk"]
    return [
        Service("web", [*manage, "runserver", f"127.0.0.1:{port}"]),
        Service("worker", [*celery, "worker", "-l", "warning", "--concurrency", "2"]),
        Service("beat", [*celery, "beat", "-l", "warning", "-s", str(schedule_file)]),
    ]


def _up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _stop_on_signals() -> None:
    # SIGTERM (kill) and SIGHUP (the terminal closed) stop the stack as Ctrl-C does.
    def interrupt(signum, frame):
        _ignore_signals()  # the first one stops everything; another must not interrupt the stop
        raise KeyboardInterrupt

    for signum in STOP_SIGNALS:
        signal.signal(signum, interrupt)


def _ignore_signals() -> None:
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def _restart_servers() -> None:
    """Start again the embedded PostgreSQL or Redis if it stopped; a failed start is tried at the next check."""
    try:
        restarted = embedded.restart_if_stopped()
    except Exception as error:  # noqa: BLE001 - reported, tried again in a moment
        say(f"could not start the embedded servers again ({error}); trying again")
        return
    for name in restarted:
        say(f"the embedded {'PostgreSQL' if name == 'postgres' else 'Redis'} had stopped; started it again")


def serve(env: dict, port: str, *, schedule_file: Path, watch_servers: bool = False) -> int:
    """Run web, worker and beat until Ctrl-C, restarting any that dies (and the embedded servers, if
    `watch_servers`). Returns the exit code."""
    _stop_on_signals()
    stack = Stack(services(port, schedule_file=schedule_file), env)
    url = f"http://127.0.0.1:{port}/"
    try:
        stack.start()
        announced = False
        deadline = time.monotonic() + 120
        servers_checked = time.monotonic()
        while True:
            if watch_servers and time.monotonic() - servers_checked >= SERVERS_CHECK_SECONDS:
                _restart_servers()
                servers_checked = time.monotonic()
            stack.check()
            if not announced and _up(url + "healthz"):
                announced = True
                print(f"\n  dutydesk is running at {url}   (Ctrl-C stops it)\n")
                print("  Demo logins (password for all: dutydesk-demo):")
                for username, who in DEMO_LOGINS:
                    print(f"    {username:<12} {who}")
                print(flush=True)
            elif not announced and time.monotonic() > deadline:
                say("dutydesk did not answer on /healthz within 2 minutes; still trying (see the messages above)")
                deadline = float("inf")
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    finally:
        _ignore_signals()
        stack.stop()
        say("stopped web, worker and beat")


def run(port: str, *, prepare: bool = True) -> int:
    """`make run`: the embedded servers (unless DATABASE_URL and REDIS_URL are given), migrations and the demo
    (`prepare`), then the stack until a signal; the servers are stopped afterwards if this run started them and no
    other process of the checkout still uses them."""
    _stop_on_signals()
    env = dict(os.environ)
    env.setdefault("SITE_URL", f"http://127.0.0.1:{port}")  # e-mailed notices link back to this server
    embedded_servers = not (env.get("DATABASE_URL") and env.get("REDIS_URL"))
    started: list[str] = []
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    # A signal in the middle of starting them leaves ensure_started no time to say what it started.
    running_before = embedded.running() if embedded_servers else set()
    try:
        started = embedded.ensure_started(env)
        if prepare:
            subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
            subprocess.run([*manage, "load_demo"], env=env, check=True)
        return serve(env, port, schedule_file=BASE_DIR / "var" / "celerybeat-schedule", watch_servers=embedded_servers)
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as error:
        return error.returncode
    finally:
        _ignore_signals()
        if embedded_servers:
            started = started or sorted(embedded.running() - running_before)
            stopped = embedded.release(started)
            if stopped:
                say("stopped the embedded " + " and ".join(stopped))
            elif started:
                say("left the embedded servers running: another process of this checkout still uses them")


def main() -> int:
    return run(os.environ.get("PORT", "8000"))


if __name__ == "__main__":
    sys.exit(main())
