"""`make run`: embedded services, migrations, the demo organisation, then web + Celery worker + beat.

Ctrl-C stops every process this started, including the embedded PostgreSQL and Redis.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
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


def _wait_until_up(url: str, processes: list[subprocess.Popen], timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in processes):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.3)
    return False


def main() -> int:
    port = os.environ.get("PORT", "8000")
    env = dict(os.environ)
    started: list[str] = []
    if not (env.get("DATABASE_URL") and env.get("REDIS_URL")):
        state = embedded.start()
        started = list(state["started"])
        env.setdefault("DATABASE_URL", str(state["DATABASE_URL"]))
        env.setdefault("REDIS_URL", str(state["REDIS_URL"]))
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    celery = [sys.executable, "-m", "celery", "-A", "dutydesk"]
    processes: list[subprocess.Popen] = []
    try:
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([*manage, "load_demo"], env=env, check=True)
        processes = [
            subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}"], env=env),
            subprocess.Popen([*celery, "worker", "-l", "warning", "--concurrency", "2"], env=env),
            subprocess.Popen([*celery, "beat", "-l", "warning", "-s", str(BASE_DIR / "var" / "celerybeat-schedule")],
                             env=env),
        ]
        url = f"http://127.0.0.1:{port}/"
        if not _wait_until_up(url + "healthz", processes):
            print("dutydesk did not come up; see the messages above.", file=sys.stderr)
            return 1
        print(f"\n  dutydesk is running at {url}   (Ctrl-C stops it)\n")
        print("  Demo logins (password for all: dutydesk-demo):")
        for username, who in DEMO_LOGINS:
            print(f"    {username:<12} {who}")
        print()
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
        return 1
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as error:
        return error.returncode
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        if started:
            embedded.stop(tuple(started))
            print("stopped the embedded " + " and ".join(started))


if __name__ == "__main__":
    sys.exit(main())
