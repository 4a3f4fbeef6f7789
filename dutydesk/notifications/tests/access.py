"""Sample URL values for the access matrix (dutydesk/tests/test_access.py)."""

from dutydesk.notifications.models import Channel, NoticeKind, Notification, Outbox, OutboxStatus
from dutydesk.texts import stored
from roster import texts as roster_texts


def url_samples(team, people) -> dict:
    agent = people["agent"].profile
    # As notify() writes it: the sentence in the site's language beside its message key (dutydesk.texts).
    subject, key = stored(roster_texts.PUBLISHED(team=team.name, month="2027-01"))
    notice = Notification.objects.create(
        recipient=agent,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject=subject,
        text={"subject": key},
        dedupe_key="access-sample",
    )
    row = Outbox.objects.create(
        team=team,
        key="access-sample",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject=subject,
        status=OutboxStatus.FAILED,
        last_error="HTTP 500",
    )
    return {"notice": notice.pk, "outbox": row.pk}
