"""The Celery app: worker and beat load it with `celery -A dutydesk worker|beat`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutydesk.settings")

app = Celery("dutydesk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
