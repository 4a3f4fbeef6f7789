"""Celery beat jobs of the appraisal (collected by dutydesk.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # R-APP-2: at month end; 02:00 on the 1st, after the last weekend night shift (ends 24:00) is logged.
    "appraisal-compute-last-month": {
        "task": "appraisal.tasks.task_compute_last_month",
        "schedule": crontab(minute=0, hour=2, day_of_month=1),
    },
}
