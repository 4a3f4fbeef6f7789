"""notify(): the one way any part of dutydesk tells people something."""

from collections.abc import Iterable

from dutydesk.notifications.models import NoticeKind, Notification


def notify(recipients: Iterable, *, kind: NoticeKind, subject: str, body: str = "", url: str = "",
           dedupe_key: str) -> int:
    """Record a notice for each recipient (Profile) once per `dedupe_key`; return how many were new.

    Call it inside the transaction of the change it reports: the notice exists if and only if the change does.
    No full customer data in subject or body (R-LOG-4).
    """
    rows = [
        Notification(recipient=profile, kind=kind, subject=subject[:200], body=body, url=url, dedupe_key=dedupe_key)
        for profile in {p.pk: p for p in recipients}.values()
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)
