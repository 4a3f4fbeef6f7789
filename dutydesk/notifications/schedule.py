"""Beat jobs of the notifications app (collected by dutydesk.celery). Both are safe to run twice."""

BEAT_SCHEDULE = {
    # Reminders due this minute, from the published roster as it is now.
    "notifications-schedule-reminders": {"task": "notifications.schedule_reminders", "schedule": 60.0},
    # Re-queue senders for due rows: recovers a lost Celery message, a Redis restart, ended backoffs, dead workers.
    "notifications-sweep-outbox": {"task": "notifications.sweep_outbox", "schedule": 60.0},
}
