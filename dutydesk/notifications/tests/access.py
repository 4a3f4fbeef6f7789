"""Sample URL values for the access matrix (dutydesk/tests/test_access.py)."""

from dutydesk.notifications.models import Channel, NoticeKind, Notification, Outbox, OutboxStatus


def url_samples(team, people) -> dict:
    agent = people["agent"].profile
    notice = Notification.objects.create(
        recipient=agent, kind=NoticeKind.ROSTER_PUBLISHED, subject="排班表已发布", dedupe_key="access-sample"
    )
    row = Outbox.objects.create(
        team=team,
        key="access-sample",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject="排班表已发布",
        status=OutboxStatus.FAILED,
        last_error="HTTP 500",
    )
    return {"notice": notice.pk, "outbox": row.pk}
