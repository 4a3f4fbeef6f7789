"""Duty shifts (published with testdata.publish), and robots pointed at the local sink."""

from datetime import time, timedelta

from django.utils import timezone

from dutydesk.notifications.models import Platform, TeamNotificationSettings
from roster.models import DutyShift, ShiftType


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
