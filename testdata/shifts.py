"""Shift types and duty shifts (plain ORM: a shift has no invariant beyond its model's; a roster holding it is put in
force with testdata.publish)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dutydesk.models import Skill, Team
from roster.models import DutyShift, ShiftType

NIGHT = "night"


def shift_type(
    team: Team,
    key: str = "day",
    *,
    start: time | None = None,
    end: time | None = None,
    is_night: bool | None = None,
    headcount: int = 2,
    name: str | None = None,
) -> ShiftType:
    """The team's shift type `key`, made the first time: "night" is 夜班 18:00-24:00, any other key 白班
    09:00-18:00, unless given; later calls return it as it is (the arguments are only its first values)."""
    night = key == NIGHT if is_night is None else is_night
    return ShiftType.objects.get_or_create(
        team=team,
        key=key,
        defaults={
            "name": name or ("夜班" if night else "白班"),
            "start": start or (time(18) if night else time(9)),
            "end": end or (time(0) if night else time(18)),
            "is_night": night,
            "headcount": headcount,
            "order": 2 if night else 1,
        },
    )[0]


def make_shift_types(
    team: Team, *, day_headcount: int = 1, night_headcount: int = 1, skills: Iterable[Skill] = ()
) -> list[ShiftType]:
    """The team's day (09-18) and night (18-24) shift types; `skills`: what the night requires."""
    day = shift_type(team, "day", headcount=day_headcount)
    night = shift_type(team, NIGHT, headcount=night_headcount)
    night.required_skills.set(skills)
    return [day, night]


def duty_shift(team: Team, day: date, kind: ShiftType | str = "day") -> DutyShift:
    """The team's duty shift of type `kind` (a ShiftType, or the key of one testdata.shift_type makes) on `day`."""
    kind = shift_type(team, kind) if isinstance(kind, str) else kind
    starts, ends = DutyShift.bounds(day, kind)
    return DutyShift.objects.get_or_create(
        team=team,
        date=day,
        shift_type=kind,
        defaults={"starts_at": starts, "ends_at": ends, "is_night": kind.is_night, "headcount": kind.headcount},
    )[0]


def running_shift(
    team: Team,
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
    starts = timezone.now() - timedelta(minutes=started_minutes_ago)
    local = timezone.localtime(starts)
    kind, _ = ShiftType.objects.get_or_create(
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
        shift_type=kind,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        is_night=is_night,
        headcount=2,
    )


def make_shift(team: Team, *, starts_at: datetime, hours: int = 9, key: str | None = None) -> DutyShift:
    """A duty shift starting at `starts_at` (its type named after the hour: `s0900`), for reminders and notices."""
    local = timezone.localtime(starts_at)
    kind, _ = ShiftType.objects.get_or_create(
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
        shift_type=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        headcount=3,
    )
