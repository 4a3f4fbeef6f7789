"""10,000 shift reminders due in the same minute, sent by one Celery worker (prefork, 2 processes = 2 cores):
email to a local aiosmtpd sink, team-chat robots to a local HTTP sink (127.0.0.1 only, never the network).

The worker runs the beat job itself (notifications.schedule_reminders): it reads the published rosters, inserts
10,000 in-app notices, 10,000 email rows and 100 team-chat rows (100 teams of 100), and the senders go.
Figures: seconds until the last message reached its sink, messages sent (distinct), duplicated, lost. Then the
same with the worker killed (SIGKILL) once mid-run and a fresh worker started; after the kill beat's two
one-minute jobs are emulated every 2 s, and the killed worker's leases last 5 s (production: 60 s leases and a
60 s beat, so recovery there takes up to two minutes).
"""

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

BASE_DIR = Path(__file__).resolve().parent.parent
TEAMS, PER_TEAM = 100, 100
TIMEOUT = 100


def _setup():
    from dutydesk.models import Profile, Role, Team
    from dutydesk.notifications.models import Platform, TeamNotificationSettings
    from roster.models import DutyShift, ShiftType
    from testdata import publish

    now = timezone.now()
    starts = now + timedelta(minutes=70)  # sign-in in 55 minutes: the 1-hour reminder is due now
    local = timezone.localtime(starts)
    teams = Team.objects.bulk_create([Team(name=f"压测{n}组", slug=f"bench-{n}") for n in range(TEAMS)])
    users = User.objects.bulk_create(
        [User(username=f"bench{n}", email=f"bench{n}@example.test", password="!") for n in range(TEAMS * PER_TEAM)]
    )
    profiles = Profile.objects.bulk_create(
        [
            Profile(user=user, name=f"客服{n}", role=Role.AGENT, team=teams[n // PER_TEAM])
            for n, user in enumerate(users)
        ]
    )
    author = users[0]
    for index, team in enumerate(teams):
        shift_type = ShiftType.objects.create(
            team=team,
            key="night",
            name="夜班",
            start=local.time(),
            end=(local + timedelta(hours=5)).time(),
            headcount=PER_TEAM,
        )
        shift = DutyShift.objects.create(
            team=team,
            date=local.date(),
            shift_type=shift_type,
            starts_at=starts,
            ends_at=starts + timedelta(hours=5),
            headcount=PER_TEAM,
        )
        publish(team, [(p, shift) for p in profiles[index * PER_TEAM : (index + 1) * PER_TEAM]], by=author)
    return teams, Platform, TeamNotificationSettings


def _worker(smtp_port: int, lease: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "WORKER_DB_NAME": connection.settings_dict["NAME"],
        "WORKER_SMTP_PORT": str(smtp_port),
        "WORKER_LEASE_SECONDS": str(lease),
        "WORKER_POOL": "prefork",
        "WORKER_CONCURRENCY": "2",
        "WORKER_LOG_LEVEL": "error",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "dutydesk.notifications.tests.worker_process"],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,
    )


def _kill(process: subprocess.Popen) -> None:
    # The worker and its pool children: its own process group (started with start_new_session).
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)


def _run(smtp, robot_sink, *, kill_at: float | None) -> dict:
    from dutydesk.celery import app
    from dutydesk.notifications.models import Notification, Outbox, OutboxStatus
    from dutydesk.notifications.tasks import task_schedule_reminders, task_sweep_outbox

    Outbox.objects.all().delete()
    Notification.objects.all().delete()
    smtp.received.clear()
    robot_sink.accepted.clear()
    app.control.purge()
    expected_total = TEAMS * PER_TEAM + TEAMS
    process = _worker(smtp.port, lease=5)
    killed = False
    try:
        time.sleep(4)  # let the worker connect before the clock starts (start-up is not sending time)
        started = time.monotonic()
        task_schedule_reminders.delay()
        last_sweep = time.monotonic()
        first_delivery = None
        while time.monotonic() - started < TIMEOUT:
            delivered = len(smtp.received) + len(robot_sink.counts())
            if delivered and first_delivery is None:
                first_delivery = time.monotonic() - started
            if kill_at is not None and not killed and delivered >= kill_at * expected_total:
                _kill(process)
                killed = True
                process = _worker(smtp.port, lease=5)
            if killed and time.monotonic() - last_sweep > 2:
                # Beat, sped up: its two jobs (the killed worker may have died inside either).
                task_schedule_reminders.delay()
                task_sweep_outbox.delay()
                last_sweep = time.monotonic()
            if (
                delivered >= expected_total
                and not Outbox.objects.exclude(status__in=[OutboxStatus.SENT, OutboxStatus.CANCELLED]).exists()
            ):
                break
            time.sleep(0.1)
        elapsed = time.monotonic() - started
    finally:
        _kill(process)
    expected = {str(i) for i in Outbox.objects.values_list("id", flat=True)}
    received = {**smtp.received, **robot_sink.counts()}
    return {
        "seconds": elapsed,
        "first": first_delivery or elapsed,
        "sent": len(expected & set(received)),
        "duplicated": sum(n - 1 for n in received.values() if n > 1),
        "lost": len(expected - set(received)) + (expected_total - len(expected)),
        "in_app": Notification.objects.count(),
    }


def main() -> None:
    from dutydesk.notifications.tests.sinks import RobotSink, SmtpSink

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO

    teams, Platform, TeamNotificationSettings = _setup()
    with SmtpSink() as smtp, RobotSink() as robot_sink:
        TeamNotificationSettings.objects.bulk_create(
            [
                TeamNotificationSettings(
                    team=team, webhook_platform=Platform.WECOM, webhook_url=robot_sink.url("wecom")
                )
                for team in teams
            ]
        )
        for label, kill_at in (("reminders10k", None), ("reminders10k.killed", 0.3)):
            result = _run(smtp, robot_sink, kill_at=kill_at)
            print(f"BENCH notifications.{label}.seconds {result['seconds']:.1f} s")
            print(f"BENCH notifications.{label}.first_sent_after {result['first']:.1f} s")
            print(f"BENCH notifications.{label}.sent {result['sent']} messages")
            print(f"BENCH notifications.{label}.duplicated {result['duplicated']} messages")
            print(f"BENCH notifications.{label}.lost {result['lost']} messages")
            print(f"BENCH notifications.{label}.in_app {result['in_app']} notices")
