"""A small published roster to request leave and swaps against (no solver: fast and exact; testdata.publish).

Default plan, four duty days d0..d3 of a future month (day shift: headcount 2, needs "refund"; night: headcount 1):

    d0 day: A, B    d0 night: C
    d1 day: C, D    d1 night: B
    d2 day: A, D    d2 night: B
    d3 day: B, C    d3 night: D

A is the `agent` fixture, L the `lead` (free all month), E a new hire and F an agent without the skill, both free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dutydesk.models import Role
from dutydesk.months import add_months
from roster.models import (
    DutyShift,
    Roster,
    ShiftType,
    TeamRosterSettings,
)
from testdata import make_person, make_skill, publish


@dataclass
class Setup:
    roster: Roster
    days: list[date]
    people: dict  # letter -> Profile
    shifts: dict  # (day index, "day"/"night") -> DutyShift

    def shift(self, index: int, key: str = "day") -> DutyShift:
        return self.shifts[(index, key)]


DEFAULT_PLAN = {
    (0, "day"): "AB",
    (0, "night"): "C",
    (1, "day"): "CD",
    (1, "night"): "B",
    (2, "day"): "AD",
    (2, "night"): "B",
    (3, "day"): "BC",
    (3, "night"): "D",
}
NAMES = {"B": "王磊", "C": "赵敏", "D": "孙杰", "E": "周新", "F": "吴丽"}


def future_weekend_days(today: date | None = None) -> list[date]:
    """Saturdays and Sundays of the first two weekends of the month after next (always more than 24 h away)."""
    today = today or timezone.localdate()
    month = add_months(today, 2)
    saturday = month + timedelta(days=(5 - month.weekday()) % 7)
    return [saturday, saturday + timedelta(days=1), saturday + timedelta(days=7), saturday + timedelta(days=8)]


def shift_types(team):
    refund = make_skill("refund", "退款处理")
    day, _ = ShiftType.objects.get_or_create(
        team=team, key="day", defaults={"name": "白班", "start": time(9), "end": time(18), "headcount": 2, "order": 1}
    )
    night, _ = ShiftType.objects.get_or_create(
        team=team,
        key="night",
        defaults={"name": "夜班", "start": time(18), "end": time(0), "is_night": True, "headcount": 1, "order": 2},
    )
    day.required_skills.set([refund])
    night.required_skills.set([refund])
    return {"day": day, "night": night}, refund


def leave_setup(
    team, agent, lead, *, days: list[date] | None = None, plan: dict | None = None, notice_hours: int = 24
) -> Setup:
    """People B..F in `team`, and a published roster of the month of `days` following `plan`."""
    days = days or future_weekend_days()
    plan = DEFAULT_PLAN if plan is None else plan
    kinds, refund = shift_types(team)
    TeamRosterSettings.objects.update_or_create(team=team, defaults={"leave_notice_hours": notice_hours})
    people = {"A": agent.profile, "L": lead.profile}
    for letter, name in NAMES.items():
        user = make_person(
            Role.AGENT,
            team,
            name=name,
            username=f"{team.slug}-{letter.lower()}",
            skills=[] if letter == "F" else [refund],
            qualified=letter != "E",
        )
        people[letter] = user.profile
    for profile in (people["A"], people["L"]):
        profile.skills.add(refund)
    shifts = {}
    for index, day in enumerate(days):
        for key, kind in kinds.items():
            starts, ends = DutyShift.bounds(day, kind)
            shifts[(index, key)] = DutyShift.objects.create(
                team=team,
                date=day,
                shift_type=kind,
                starts_at=starts,
                ends_at=ends,
                is_night=kind.is_night,
                headcount=kind.headcount,
            )
    version = publish(
        team,
        [(people[letter], shifts[slot]) for slot, letters in plan.items() for letter in letters],
        by=lead,
        month=days[0],
    )
    return Setup(version.roster, days, people, shifts)


def soon_setup(team, agent, lead, *, starts_in: timedelta) -> Setup:
    """A one-day roster whose day shift (A, B) starts `starts_in` from now (negative: already started)."""
    start = timezone.localtime() + starts_in
    kinds, _refund = shift_types(team)
    setup = leave_setup(team, agent, lead, days=[start.date()], plan={(0, "day"): "AB", (0, "night"): "C"})
    shift = setup.shift(0)
    shift.starts_at = start
    shift.ends_at = (
        start + timedelta(hours=9)
        if start.hour < 15
        else datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=start.tzinfo)
    )
    shift.save(update_fields=["starts_at", "ends_at"])
    return setup


def holders(shift: DutyShift) -> list[str]:
    """Names on a duty shift in the version in force, sorted."""
    from roster import queries

    return sorted(a.profile.name for a in queries.holders(shift))
