BEAT_SCHEDULE = {
    # Issue 24 item 2: a given-away shift nobody took by its deadline is told to the team leads. Twice is harmless.
    "market-tell-leads-of-unclaimed": {"task": "market.tasks.task_tell_leads_of_unclaimed", "schedule": 600.0},
}
