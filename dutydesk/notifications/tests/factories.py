"""Duty shifts held in a published roster version, and robots pointed at the local sink."""

from datetime import time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from dutydesk.months import month_start
from dutydesk.notifications.models import Platform, TeamNotificationSettings
from roster.models import Assignment, AssignmentRole, DutyShift, Roster, RosterVersion, ShiftType


def make_shift(team, *, starts_at, hours: int = 9, key: str | None = None) -> DutyShift:
    local = timezone.localtime(starts_at)
    shift_type, _ = ShiftType.objects.get_or_create(
        team=team,
        key=key or f"s{local:%H%M}",
        defaults={
            "name": "夜班" if local.hour >= 18 else "白班",
            "start": local.time(),
            "end": (local + timedelta(hours=hours)).time() if local.hour + hours < 24 else time(0),
            "is_night": local.hour >= 18,
        },
    )
    return DutyShift.objects.create(
        team=team,
        date=local.date(),
        shift_type=shift_type,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        headcount=3,
    )


def publish(team, holders: dict[DutyShift, list], *, by: User) -> RosterVersion:
    """A new published version of the roster of the first shift's month holding exactly `holders`:
    {duty shift: [profile or (profile, role), ...]}. Earlier versions stay; the new one is in force."""
    first = next(iter(holders))
    roster, _ = Roster.objects.get_or_create(team=team, month=month_start(first.date))
    number = (
        roster.versions.exclude(number=None).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = RosterVersion.objects.create(roster=roster, number=number, created_by=by, published_at=timezone.now())
    Assignment.objects.bulk_create(
        [
            Assignment(
                version=version,
                duty_shift=shift,
                profile=entry[0] if isinstance(entry, tuple) else entry,
                date=shift.date,
                role=entry[1] if isinstance(entry, tuple) else AssignmentRole.MEMBER,
            )
            for shift, people in holders.items()
            for entry in people
        ]
    )
    roster.published_version = version
    roster.save(update_fields=["published_version"])
    return version


def robot(team, sink, platform: str = Platform.WECOM, secret: str = "") -> TeamNotificationSettings:
    settings, _ = TeamNotificationSettings.objects.update_or_create(
        team=team,
        defaults={
            "webhook_platform": platform,
            "webhook_url": sink.url(platform),
            "webhook_secret": secret,
        },
    )
    return settings
