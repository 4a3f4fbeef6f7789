"""10,000 personal messages due at once (issue 23): one notice to 10,000 people, each with a WeCom account, sent
as WeCom 应用消息 through the local WeCom server (dutydesk/sso/tests/fake_providers.py, 127.0.0.1 only) by one
Celery worker (prefork, 2 processes = 2 cores), killed (SIGKILL) once when 30 % have arrived; a fresh worker takes
over and beat's sweep is emulated every 2 s (the killed worker's leases last 5 s; production: 60 s and a 60 s beat).

The recount shares nothing with the sender: the local server records every message request as it arrived, by the
WeCom user id it was addressed to; each of the 10,000 people must have exactly one. "duplicated" counts messages a
person received more than once, after WeCom's own duplicate check (enable_duplicate_check: the same message to the
same person within 30 minutes is shown once; the local server applies it as WeCom does); "resent_requests" counts
send requests beyond the first per person as they arrived, before that check (sending.py's documented window: the
one message in flight when its worker is killed, taken by the platform but not yet recorded, goes again).
The app's limit and the local server's are both 20,000 a minute (the real WeCom caps an app far lower: the figure
is the pipeline's, not WeCom's); "rate answers" counts the server's "too often" answers.
"""

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from django.contrib.auth.models import User
from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
TEAMS, PER_TEAM = 100, 100
TIMEOUT = 240
RATE = 20_000


def _setup(fake):
    from dutydesk.models import Profile, Role, Team
    from dutydesk.sso import crypto
    from dutydesk.sso.models import ProviderSettings

    teams = Team.objects.bulk_create([Team(name=f"消息压测{n}组", slug=f"pm-bench-{n}") for n in range(TEAMS)])
    users = User.objects.bulk_create([User(username=f"pm{n}", password="!") for n in range(TEAMS * PER_TEAM)])
    profiles = Profile.objects.bulk_create(
        [
            Profile(user=user, name=f"客服{n}", role=Role.AGENT, team=teams[n // PER_TEAM], wecom_id=f"wx{n:05d}")
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    for n in range(TEAMS * PER_TEAM):
        fake.add_person(f"wx{n:05d}", f"客服{n}")
    fake.faults.per_minute = RATE
    ProviderSettings.objects.create(
        provider="wecom",
        enabled=True,
        corp_id=fake.corp_id,
        agent_id=fake.agent_id,
        secret_encrypted=crypto.encrypt(fake.secret),
        messaging=True,
        messages_per_minute=RATE,
    )
    return profiles


def _worker(fake_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "WORKER_DB_NAME": connection.settings_dict["NAME"],
        "WORKER_LEASE_SECONDS": "5",
        "WORKER_POOL": "prefork",
        "WORKER_CONCURRENCY": "2",
        "WORKER_LOG_LEVEL": "error",
        "WORKER_SSO_BASE_URLS": json.dumps({"wecom": fake_url}),
        "WORKER_SITE_URL": "https://duty.example.com",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "dutydesk.notifications.tests.worker_process"],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )


def _kill(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def main() -> None:
    from django.core.cache import cache
    from django.db import transaction

    from dutydesk.celery import app
    from dutydesk.notifications.models import Channel, NoticeKind, Outbox, OutboxStatus
    from dutydesk.notifications.services import notify
    from dutydesk.notifications.tasks import task_sweep_outbox
    from dutydesk.sso.tests.fake_providers import FakeWeCom

    with FakeWeCom() as fake:
        profiles = _setup(fake)
        app.control.purge()
        minute = int(time.time() // 60)
        cache.delete_many([f"sso:rate:wecom:{m}" for m in range(minute - 1, minute + 6)])
        expected = {f"wx{n:05d}" for n in range(TEAMS * PER_TEAM)}
        process = _worker(fake.url)
        killed = False
        try:
            time.sleep(4)  # let the worker connect before the clock starts
            started = time.monotonic()
            with transaction.atomic():  # the senders are queued when this commits
                notify(
                    profiles,
                    kind=NoticeKind.REQUEST_DECIDED,
                    subject="您的请假申请已批准",
                    body="12月6日 白班 请假已批准",
                    url="/roster/requests/mine/",
                    dedupe_key="bench:personal10k",
                )
            queued = time.monotonic() - started
            last_sweep = time.monotonic()
            while time.monotonic() - started < TIMEOUT:
                with fake.lock:
                    arrived = len({m.userid for m in fake.arrivals})
                if not killed and arrived >= 0.3 * len(expected):
                    _kill(process)
                    killed = True
                    process = _worker(fake.url)
                if killed and time.monotonic() - last_sweep > 2:
                    task_sweep_outbox.delay()
                    last_sweep = time.monotonic()
                if arrived >= len(expected) and not Outbox.objects.exclude(status=OutboxStatus.SENT).exists():
                    break
                time.sleep(0.1)
            elapsed = time.monotonic() - started
        finally:
            _kill(process)
        with fake.lock:
            arrivals = Counter(m.userid for m in fake.arrivals)
            delivered = Counter(m.userid for m in fake.inbox)
            rate_answers = fake.rate_limited
        rows = Outbox.objects.filter(channel=Channel.PERSONAL).count()
    print(f"BENCH notifications.personal10k.seconds {elapsed:.1f} s")
    print(f"BENCH notifications.personal10k.queue_seconds {queued:.1f} s")
    print(f"BENCH notifications.personal10k.outbox_rows {rows} rows")
    print(f"BENCH notifications.personal10k.sent {len(expected & set(arrivals))} messages")
    print(f"BENCH notifications.personal10k.duplicated {sum(n - 1 for n in delivered.values())} messages")
    print(f"BENCH notifications.personal10k.resent_requests {sum(n - 1 for n in arrivals.values())} requests")
    print(f"BENCH notifications.personal10k.lost {len(expected - set(arrivals))} messages")
    print(f"BENCH notifications.personal10k.worker_killed {int(killed)} times")
    print(f"BENCH notifications.personal10k.rate_answers {rate_answers} answers")
