"""Logbook's scheduled jobs, collected by dutydesk.celery."""

BEAT_SCHEDULE = {
    # R-ATT-3: 15 minutes after a start, the lead and supervisor must hear at once: check every minute.
    "logbook-mark-absences": {"task": "logbook.tasks.task_mark_absences", "schedule": 60.0},
}
