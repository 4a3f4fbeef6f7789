"""Roster test data: a team's shifts, a laid-out month, and a draft filled without the solver (fast)."""

from datetime import date, time
from itertools import cycle

from dutydesk.models import Role
from dutydesk.months import next_month
from dutydesk.system import system_user
from roster import queries, services
from roster.models import Assignment, RosterVersion, ShiftType
from testdata import make_person

# A month without statutory holidays or adjusted working days: 8 weekend duty days.
MONTH = date(2027, 3, 1)
WEEKENDS = [date(2027, 3, d) for d in (6, 7, 13, 14, 20, 21, 27, 28)]


def open_month(today: date) -> date:
    """A month whose availability is still open on `today`, whatever today is: the one after next (declarations
    close about ten days before a month starts, R-ROSTER-2). For views that read the real clock; MONTH's closes in
    February 2027."""
    return next_month(next_month(today))


def duty_dates(team, month: date) -> list[date]:
    return [day.date for day in queries.duty_days(team, month)]


def make_shift_types(team, *, day_headcount: int = 1, night_headcount: int = 1, skills=()) -> list[ShiftType]:
    day = ShiftType.objects.create(
        team=team, key="day", name="白班", start=time(9), end=time(18), headcount=day_headcount, order=1
    )
    night = ShiftType.objects.create(
        team=team,
        key="night",
        name="夜班",
        start=time(18),
        end=time(0),
        is_night=True,
        headcount=night_headcount,
        order=2,
    )
    night.required_skills.set(skills)
    return [day, night]


def make_agents(team, n: int, *, prefix: str = "客服", skills=()) -> list:
    return [
        make_person(Role.AGENT, team, username=f"{team.slug}-a{i:03d}", name=f"{prefix}{i:03d}", skills=skills)
        for i in range(1, n + 1)
    ]


def laid_out_month(team, month: date = MONTH, **shift_options):
    """Shift types (day 09-18, night 18-24) and the month's roster with its duty shifts."""
    if not ShiftType.objects.filter(team=team).exists():
        make_shift_types(team, **shift_options)
    queries.settings_for(team)
    return services.prepare_month(team, month)


def fill_draft(roster, *, actor=None) -> RosterVersion:
    """A draft with every shift at headcount, people taken in turn (ignores the rules: for volume tests)."""
    actor = actor or system_user()
    draft = queries.draft_of(roster) or RosterVersion.objects.create(roster=roster, created_by=actor)
    staff = cycle(queries.duty_staff(roster.team))
    rows, taken = [], set()
    for shift in queries.month_shifts(roster):
        for _ in range(shift.headcount):
            for _try in range(50):
                person = next(staff)
                if (person.id, shift.date) not in taken:
                    break
            taken.add((person.id, shift.date))
            rows.append(Assignment(version=draft, duty_shift=shift, profile=person, date=shift.date))
    Assignment.objects.bulk_create(rows)
    return draft
