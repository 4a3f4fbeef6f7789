"""Beat jobs of the API (collected by dutydesk.celery). Safe to run twice."""

BEAT_SCHEDULE = {
    # Wake webhook senders for due deliveries: a retry whose wait ended, a lost message, a dead worker's lease.
    "api-sweep-webhooks": {"task": "api.sweep_webhooks", "schedule": 30.0},
}
