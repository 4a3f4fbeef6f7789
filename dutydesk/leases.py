"""Rows that workers send (the notifications outbox, webhook deliveries) are claimed the same way: due rows are
locked with SKIP LOCKED, so two workers never take the same one, and marked as this worker's until a lease ends (a
worker that dies leaves them due again when it does). The row model has `status`, `claimed_by`, `attempts`,
`lease_until` and `next_attempt_at`."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, QuerySet


def claim(due: QuerySet, *, worker: str, limit: int, now: datetime, lease_seconds: float, sending: str) -> list[int]:
    """The ids of up to `limit` rows of `due` (oldest due first), now `sending` and `worker`'s, their attempt
    counted, until `now` + `lease_seconds`."""
    with transaction.atomic():
        ids = list(
            due.select_for_update(skip_locked=True)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        if ids:
            due.model.objects.filter(id__in=ids).update(
                status=sending,
                claimed_by=worker,
                attempts=F("attempts") + 1,
                lease_until=now + timedelta(seconds=lease_seconds),
            )
    return ids
