"""Reads of the notifications pages."""

from django.db import connection

from dutydesk.notifications.models import Notification, Outbox, OutboxStatus, PersonalPlatform
from dutydesk.notifications.rules import PLATFORM_ORDER
from dutydesk.sso import queries as sso_queries


def personal_platforms() -> list[str]:
    """The chat apps that carry personal messages now, in the order a person's default follows."""
    on = set(sso_queries.messaging_providers())
    return [p for p in PLATFORM_ORDER if p in on]


def personal_platform_of(profile) -> str:
    return PersonalPlatform.objects.filter(profile=profile).values_list("platform", flat=True).first() or ""


def unread_count(profile) -> int:
    """The bell's number, on every page. Written out: the ORM's COUNT cost more to compile than to run (issue 22
    item 8); the partial index notification_unread answers it."""
    with connection.cursor() as cursor:
        cursor.execute(_UNREAD_SQL, [profile.pk])
        (count,) = cursor.fetchone()
    return count


_UNREAD_SQL = f"SELECT count(*) FROM {Notification._meta.db_table} WHERE recipient_id = %s AND read_at IS NULL"


def notices_of(profile):
    return Notification.objects.filter(recipient=profile).order_by("-created_at", "-id")


def troubled_sends(team):
    """The team's messages that failed, or are waiting to be retried after a failure, newest first."""
    return (
        Outbox.objects.filter(team=team)
        .filter(status__in=[OutboxStatus.FAILED, OutboxStatus.PENDING, OutboxStatus.SENDING])
        .exclude(last_error="")
        .select_related("recipient", "resent_by__profile")
        .order_by("-created_at", "-id")
    )


def already_notified(profile_ids, dedupe_keys) -> set[tuple[int, str]]:
    """(recipient id, dedupe key) pairs among these that have a notice: lets a job that runs every minute skip
    what an earlier run queued, in one query."""
    return set(
        Notification.objects.filter(recipient_id__in=set(profile_ids), dedupe_key__in=set(dedupe_keys)).values_list(
            "recipient_id", "dedupe_key"
        )
    )
