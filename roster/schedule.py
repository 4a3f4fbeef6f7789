from celery.schedules import crontab

BEAT_SCHEDULE = {
    # R-ROSTER-2: on the publish deadline of next month, publish what breaks no hard rule. Twice is harmless.
    "roster-publish-due": {"task": "roster.tasks.task_publish_due_rosters", "schedule": crontab(hour=8, minute=0)},
    # No generation run stays queued or running for ever (a lost task, a dead worker): re-queue or fail it.
    "roster-sweep-generation-runs": {"task": "roster.tasks.task_sweep_generation_runs", "schedule": 60.0},
}
