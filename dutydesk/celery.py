"""The Celery app: worker and beat load it with `celery -A dutydesk worker|beat`."""

import importlib
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")

app = Celery("dutydesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each app keeps its scheduled jobs beside its tasks, in <app>/schedule.py: BEAT_SCHEDULE = {...}.
SCHEDULED_APPS = ["roster", "dutydesk.notifications", "logbook", "appraisal", "people", "compensation", "api"]


@app.on_after_configure.connect
def collect_beat_schedule(sender, **kwargs):
    for name in SCHEDULED_APPS:
        try:
            module = importlib.import_module(f"{name}.schedule")
        except ModuleNotFoundError as error:
            if error.name != f"{name}.schedule":
                raise
            continue
        sender.conf.beat_schedule.update(module.BEAT_SCHEDULE)
