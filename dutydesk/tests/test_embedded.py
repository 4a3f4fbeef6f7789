"""The embedded servers, checked on real copies of the checkout with real servers.

- Importing settings, or `manage.py check`, starts no server (an IDE, a linter may import settings).
- Two checkouts on one machine each get their own Redis: a key set in one is not in the other, stopping one leaves
  the other running, and a checkout never uses (or stops) a Redis of another checkout on its port.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from dutydesk import embedded
from dutydesk.testing import free_port, redis_answers

BASE_DIR = Path(__file__).resolve().parents[2]


def _copy_checkout(target: Path) -> Path:
    shutil.copytree(
        BASE_DIR,
        target,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "staticfiles", "__pycache__", ".ruff_cache", "node_modules"
        ),
    )
    return target


def _clean_env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "EMBEDDED_REDIS_PORT", "DJANGO_SETTINGS_MODULE"}
    }
    return {**env, **extra}


@pytest.fixture
def checkout_copy(tmp_path):
    copy = _copy_checkout(tmp_path / "dutydesk-copy")
    port = free_port()
    yield copy, port
    # Whatever a failing run started in the copy is stopped here, never left behind (and nothing else is).
    if redis_answers(port) and str(copy) in redis.Redis(host="127.0.0.1", port=port).config_get("dir")["dir"]:
        redis.Redis(host="127.0.0.1", port=port).shutdown(nosave=True)
    if (copy / "var" / "pg" / "postmaster.pid").exists():
        embedded.import_pgserver().pg_ctl(
            ["-w", "-m", "immediate", "stop"],
            pgdata=copy / "var" / "pg",
            user="pgserver" if os.geteuid() == 0 else None,
        )


def test_importing_settings_and_manage_py_check_start_no_server(checkout_copy):
    copy, port = checkout_copy
    env = _clean_env(EMBEDDED_REDIS_PORT=str(port))
    imported = subprocess.run(
        [sys.executable, "-c", "import dutydesk.settings as s; print(s.DATABASES['default']['HOST'], s.REDIS_URL)"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    checked = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=copy, env=env, capture_output=True, text=True, timeout=120
    )
    assert (imported.returncode, checked.returncode) == (0, 0), imported.stderr + checked.stderr
    # The settings point where the servers would be, and nothing is there: no database made, no Redis answering.
    assert imported.stdout.split() == [str(copy / "var" / "pg"), f"redis://127.0.0.1:{port}/0"]
    assert (copy / "var" / "pg").exists() is False
    assert redis_answers(port) is False


def _embedded_of(checkout: Path, name: str, monkeypatch, port: int | None = None):
    """This checkout's dutydesk.embedded module as another checkout (a copy elsewhere on disk) has it."""
    (checkout / "dutydesk").mkdir(parents=True)
    shutil.copy(BASE_DIR / "dutydesk" / "embedded.py", checkout / "dutydesk" / "embedded.py")
    if port is None:
        monkeypatch.delenv("EMBEDDED_REDIS_PORT", raising=False)
    else:
        monkeypatch.setenv("EMBEDDED_REDIS_PORT", str(port))
    spec = importlib.util.spec_from_file_location(name, checkout / "dutydesk" / "embedded.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_checkouts_never_share_a_broker(tmp_path, monkeypatch):
    first = _embedded_of(tmp_path / "one", "embedded_one", monkeypatch)
    second = _embedded_of(tmp_path / "two", "embedded_two", monkeypatch)
    try:
        (first_url, first_started), (second_url, second_started) = first.start_redis(), second.start_redis()
        assert first_url != second_url
        assert (first_started, second_started) == (True, True)
        first_client, second_client = redis.Redis.from_url(first_url), redis.Redis.from_url(second_url)
        first_client.set("celery-task", "for checkout one")
        assert (first_client.get("celery-task"), second_client.get("celery-task")) == (b"for checkout one", None)
        first.stop_redis()
        assert (redis_answers(first.REDIS_PORT), second_client.ping()) == (False, True)
    finally:
        first.stop_redis()
        second.stop_redis()
    assert redis_answers(second.REDIS_PORT) is False


def test_a_checkout_neither_uses_nor_stops_another_checkouts_redis_on_its_port(tmp_path, monkeypatch):
    owner = _embedded_of(tmp_path / "one", "embedded_owner", monkeypatch)
    try:
        owner.start_redis()
        # A second checkout told (EMBEDDED_REDIS_PORT) to use the port the first one's Redis holds.
        intruder = _embedded_of(tmp_path / "two", "embedded_intruder", monkeypatch, port=owner.REDIS_PORT)
        with pytest.raises(intruder.ForeignServer, match="not this checkout's"):
            intruder.start_redis()
        intruder.stop_redis()
        assert redis_answers(owner.REDIS_PORT) is True
    finally:
        owner.stop_redis()
