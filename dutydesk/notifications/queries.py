"""Reads of the notifications pages."""

from dutydesk.notifications.models import Notification, Outbox, OutboxStatus


def unread_count(profile) -> int:
    return Notification.objects.filter(recipient=profile, read_at__isnull=True).count()


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
