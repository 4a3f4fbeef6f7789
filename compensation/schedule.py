"""Celery beat jobs of compensation (collected by dutydesk.celery)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Comp time not taken by its expiry date expires just after midnight, before anyone spends that day.
    "compensation-expire-comp-time": {
        "task": "compensation.tasks.task_expire_comp_time",
        "schedule": crontab(minute=10, hour=0),
    },
    # After the last night shift (ends 24:00) is signed out: yesterday's hours and comp time reach the statements.
    "compensation-compute-open-months": {
        "task": "compensation.tasks.task_compute_open_months",
        "schedule": crontab(minute=30, hour=2),
    },
}
