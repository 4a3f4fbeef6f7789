"""1,000 webhook events, each written in the transaction of its own change, delivered by a real Celery worker
(prefork, 2 processes) to a receiver on 127.0.0.1 (api/tests/receiver.py: it checks each signature with its own
code and counts by delivery id and event id; it shares nothing with the sender).

Figures: seconds from the sweep that wakes the senders until the receiver has every event; deliveries received
more than once (duplicated) and deliveries in the database the receiver never saw (lost), both counted by the
receiver; signatures it refused.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection, transaction

BASE_DIR = Path(__file__).resolve().parent.parent
EVENTS = 1000
TIMEOUT = 180


def _worker() -> subprocess.Popen:
    env = {
        **os.environ,
        "WORKER_DB_NAME": connection.settings_dict["NAME"],
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


def main() -> None:
    from api import webhooks
    from api.models import DeliveryStatus, WebhookDelivery
    from api.tasks import task_sweep_webhooks
    from api.tests.receiver import Receiver
    from dutydesk import events
    from dutydesk.celery import app
    from dutydesk.models import Role
    from testdata import make_person, make_team

    team = make_team("压测组", "bench-hooks")
    manager = make_person(Role.MANAGER, None, username="bench-manager", name="经理")
    with Receiver() as receiver:
        made = webhooks.register_endpoint(
            actor=manager.profile, name="压测接收方", url=receiver.url(), chosen_events=list(events.EVENTS)
        )
        receiver.secret = made.secret
        for n in range(EVENTS):  # one change, one transaction, one event each (as the services emit them)
            with transaction.atomic():
                events.emit(events.EVENTS[n % len(events.EVENTS)], team_id=team.pk, data={"n": n})
        app.control.purge()  # the commits' wake-up messages: the sweep below starts the senders all at once
        worker = _worker()
        try:
            deadline = time.monotonic() + 60
            while not app.control.ping(timeout=0.5):
                if time.monotonic() > deadline:
                    raise RuntimeError("the worker did not start")
            started = time.monotonic()
            task_sweep_webhooks.delay()
            while len(receiver.by_delivery()) < EVENTS and time.monotonic() - started < TIMEOUT:
                time.sleep(0.02)
            seconds = time.monotonic() - started
            while (
                WebhookDelivery.objects.exclude(status=DeliveryStatus.DELIVERED).exists()
                and time.monotonic() - started < TIMEOUT
            ):
                time.sleep(0.05)  # every row recorded, so no late repeat is missed below
        finally:
            worker.terminate()
            worker.wait(60)
        received = receiver.by_delivery()
        expected = {str(uid) for uid in WebhookDelivery.objects.values_list("uid", flat=True)}
        events_seen = receiver.by_event()
        print(f"BENCH webhooks.events1000.seconds {seconds:.2f} s")
        print(f"BENCH webhooks.events1000.received {len(received)} count")
        print(f"BENCH webhooks.events1000.duplicated {sum(received.values()) - len(received)} count")
        print(f"BENCH webhooks.events1000.lost {len(expected - set(received)) + EVENTS - len(events_seen)} count")
        print(f"BENCH webhooks.events1000.bad_signatures {receiver.bad_signatures} count")
