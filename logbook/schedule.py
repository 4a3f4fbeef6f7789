"""Logbook's scheduled jobs, collected by dutydesk.celery."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # R-ATT-3: 15 minutes after a start, the lead and supervisor must hear at once: check every minute.
    "logbook-mark-absences": {"task": "logbook.tasks.task_mark_absences", "schedule": 60.0},
    # R-PIPL-3: nightly, when nobody is on the day shift's pages.
    "logbook-purge-personal-data": {
        "task": "logbook.tasks.task_purge_personal_data",
        "schedule": crontab(minute=30, hour=3),
    },
}
