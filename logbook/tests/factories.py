"""Shifts built directly with the ORM, rosters published through testdata.publish, and logbook objects through
the real services."""

import uuid
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from dutydesk.models import Profile
from logbook import services
from logbook.models import DisciplineAcknowledgement, EntryKind, EntryStatus
from roster.models import DutyShift, ShiftType
from testdata import publish


def profile_of(person) -> Profile:
    return person.profile if isinstance(person, User) else person


def shift_types(team) -> tuple[ShiftType, ShiftType]:
    day, _ = ShiftType.objects.get_or_create(
        team=team, key="day", defaults={"name": "白班", "start": time(9), "end": time(18), "headcount": 2, "order": 1}
    )
    night, _ = ShiftType.objects.get_or_create(
        team=team,
        key="night",
        defaults={"name": "夜班", "start": time(18), "end": time(0), "is_night": True, "headcount": 2, "order": 2},
    )
    return day, night


def duty_shift(team, shift_type: ShiftType, day: date) -> DutyShift:
    starts, ends = DutyShift.bounds(day, shift_type)
    return DutyShift.objects.get_or_create(
        team=team,
        date=day,
        shift_type=shift_type,
        defaults={
            "starts_at": starts,
            "ends_at": ends,
            "is_night": shift_type.is_night,
            "headcount": shift_type.headcount,
        },
    )[0]


def running_shift(
    team,
    *,
    started_minutes_ago: int = 0,
    hours: int = 8,
    is_night: bool = False,
    key: str | None = None,
    day: date | None = None,
) -> DutyShift:
    """A shift whose start is `started_minutes_ago` minutes before now (negative: in the future), on the duty day
    `day` (default: the local date of its start). Pass the first shift's date for the next shift of the same duty
    day, or near midnight the two would fall on two dates."""
    now = timezone.now()
    starts = now - timedelta(minutes=started_minutes_ago)
    local = timezone.localtime(starts)
    shift_type, _ = ShiftType.objects.get_or_create(
        team=team,
        key=key or f"t{uuid.uuid4().hex[:8]}",
        defaults={
            "name": "夜班" if is_night else "白班",
            "start": local.time().replace(second=0, microsecond=0),
            "end": (local + timedelta(hours=hours)).time().replace(second=0, microsecond=0),
            "is_night": is_night,
            "headcount": 2,
        },
    )
    return DutyShift.objects.create(
        team=team,
        date=day or local.date(),
        shift_type=shift_type,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        is_night=is_night,
        headcount=2,
    )


def acknowledged(person) -> Profile:
    profile = profile_of(person)
    DisciplineAcknowledgement.objects.get_or_create(profile=profile, defaults={"version": "test"})
    return profile


def on_duty(
    team,
    person,
    *,
    started_minutes_ago: int = 20,
    hours: int = 8,
    is_night: bool = False,
    shift: DutyShift | None = None,
):
    """A running shift held by the person, signed in 20 minutes ago; returns its logbook."""
    profile = acknowledged(person)
    shift = shift or running_shift(team, started_minutes_ago=started_minutes_ago, hours=hours, is_night=is_night)
    publish(team, [(profile, shift)], keep=True)
    return services.sign_in(shift, profile=profile, now=shift.starts_at - timedelta(minutes=20))


def inquiry_data(**overrides) -> dict:
    return {
        "kind": EntryKind.INQUIRY,
        "category": "logistics",
        "customer_name": "赵女士",
        "customer_phone": "13812345678",
        "customer_ref": "DD202611230001",
        "content": "咨询订单物流到哪里了",
        "outcome": "已告知预计明天送达",
        "status": EntryStatus.DONE,
        **overrides,
    }


def write_entry(logbook, **overrides):
    entry, _ = services.record_entry(
        logbook, author=logbook.profile, client_token=uuid.uuid4(), data=inquiry_data(**overrides)
    )
    return entry


def open_entry(logbook, *, hours: int = 2, **overrides):
    return write_entry(
        logbook, status=EntryStatus.OPEN, promised_reply_at=timezone.now() + timedelta(hours=hours), **overrides
    )


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())
