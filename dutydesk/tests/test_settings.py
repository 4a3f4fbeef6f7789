"""Production mode, checked in real subprocesses: check --deploy, whitenoise, gunicorn."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET = "k" * 20 + "-production-secret-for-the-deploy-check-0123456789"


def _production_env(**extra) -> dict:
    env = dict(os.environ)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only (conftest.py)
    env.update(
        DJANGO_SETTINGS_MODULE="dutydesk.settings",
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="dutydesk.example.com,127.0.0.1",
        REDIS_URL=settings.CELERY_BROKER_URL,
        DATABASE_URL=_database_url(),
        **extra,
    )
    return env


def _database_url() -> str:
    from urllib.parse import quote

    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{quote(db['HOST'], safe='')}/{db['NAME']}"


def test_check_deploy_passes_with_no_warnings_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_real_secret():
    env = _production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_gunicorn_serves_healthz_and_static_files_through_whitenoise(tmp_path):
    env = _production_env(SECURE_SSL_REDIRECT="false", STATIC_ROOT=str(tmp_path))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=BASE_DIR, env=env, check=True
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dutydesk.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        cwd=BASE_DIR,
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        health = _get_when_up(f"http://127.0.0.1:{port}/healthz", server)
        assert (health.status, health.read()) == (200, b'{"ok": true, "database": "up", "broker": "up"}')
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/css/dutydesk.css", timeout=5)
        assert css.status == 200 and b"dutydesk" in css.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get_when_up(url: str, server: subprocess.Popen, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    server.stderr.read().decode() if server.poll() is not None else "timeout"
                ) from None
            time.sleep(0.2)
