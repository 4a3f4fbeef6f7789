"""Celery beat jobs of people (collected by dutydesk.celery). Each is safe to run twice."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # R-ROSTER-6: ask the lead for the check once a new hire's shadow shifts are done (signed in, over).
    "people-ask-for-checks": {"task": "people.tasks.task_ask_for_checks", "schedule": crontab(minute=5)},
    # R-TRAIN-1: the day-before reminder of each training session.
    "people-training-reminders": {"task": "people.tasks.task_send_training_reminders", "schedule": 300.0},
    # Leavers: the account closes on the leaving date.
    "people-close-left-accounts": {
        "task": "people.tasks.task_close_left_accounts",
        "schedule": crontab(minute=1, hour=0),
    },
}
