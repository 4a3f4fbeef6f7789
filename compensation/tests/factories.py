"""Shifts, attendance and ledger lines built directly with the ORM, for exact and fast compensation tests; rosters
are published through testdata.publish."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from compensation.models import CompTimeEntry, EntryKind
from dutydesk.months import month_end
from logbook.models import BreakKind, DisciplineKind, DisciplineRecord, Logbook, PostBreak
from roster.models import CalendarOverride, DutyShift, ShiftType

ZONE = timezone.get_default_timezone()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


def shift_type(team, key="day", *, start=time(9), end=time(18), is_night=False) -> ShiftType:
    return ShiftType.objects.get_or_create(
        team=team,
        key=key,
        defaults={
            "name": "白班" if key == "day" else "夜班",
            "start": start,
            "end": end,
            "is_night": is_night,
            "headcount": 3,
        },
    )[0]


def night_type(team) -> ShiftType:
    return shift_type(team, "night", start=time(18), end=time(0), is_night=True)


def duty_shift(team, day: date, kind: ShiftType | None = None) -> DutyShift:
    kind = kind or shift_type(team)
    starts, ends = DutyShift.bounds(day, kind)
    return DutyShift.objects.get_or_create(
        team=team,
        date=day,
        shift_type=kind,
        defaults={"starts_at": starts, "ends_at": ends, "is_night": kind.is_night, "headcount": kind.headcount},
    )[0]


def holiday_override(team, day: date) -> CalendarOverride:
    return CalendarOverride.objects.update_or_create(team=team, date=day, defaults={"kind": "holiday"})[0]


def worked(
    shift: DutyShift,
    profile,
    *,
    signed_in: datetime | None = None,
    signed_out: datetime | None = None,
    away: tuple = (),
) -> Logbook:
    """A sign-in 15 minutes early and a sign-out 2 minutes late unless given; `away`: (left, back) pairs."""
    signed_in = signed_in or shift.starts_at - timedelta(minutes=15)
    late = max(0, int((signed_in - shift.starts_at).total_seconds() // 60))
    logbook = Logbook.objects.create(
        duty_shift=shift,
        profile=profile,
        team=shift.team,
        signed_in_at=signed_in,
        late_minutes=late,
        late_explanation="地铁故障" if late else "",
        signed_out_at=signed_out if signed_out is not None else shift.ends_at + timedelta(minutes=2),
    )
    for left, back in away:
        PostBreak.objects.create(
            logbook=logbook, kind=BreakKind.LEFT_POST, reason="处理急事", started_at=left, ended_at=back
        )
    return logbook


def absent(shift: DutyShift, profile) -> DisciplineRecord:
    return DisciplineRecord.objects.create(
        profile=profile, kind=DisciplineKind.ABSENCE, date=shift.date, duty_shift=shift, note="未签到"
    )


def earned(profile, shift: DutyShift, hours, *, expires_on: date | None = None) -> CompTimeEntry:
    return CompTimeEntry.objects.create(
        profile=profile,
        team=shift.team,
        kind=EntryKind.EARNED,
        hours=Decimal(str(hours)),
        on=shift.date,
        expires_on=expires_on,
        duty_shift=shift,
    )


def saturdays(month: date, count: int = 5) -> list[date]:
    days, day = [], month
    while len(days) < count and day.month == month.month:
        if day.weekday() == 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def rest_day_in(month: date) -> date:
    """The month's first rest day by the company calendar (not a statutory holiday, not a 调休 working day)."""
    from compensation.rules import REST_DAY, day_kind
    from workcalendar.queries import calendar_between

    calendar = calendar_between(month, month_end(month))
    day = month
    while day_kind(day, calendar) != REST_DAY:
        day += timedelta(days=1)
    return day
