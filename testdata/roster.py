"""Published rosters: the holdings a test states, put in force through the roster's own publication step."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from itertools import cycle

from django.contrib.auth.models import User

from dutydesk.models import Profile, Role, Skill, Team
from dutydesk.months import month_start
from dutydesk.system import system_user
from roster import queries, services
from roster.models import Assignment, AssignmentRole, DutyShift, Roster, RosterVersion, ShiftType, VersionKind
from testdata.dates import MONTH
from testdata.people import make_person, profile_of
from testdata.shifts import duty_shift, make_shift_types

# (person, duty shift) or (person, duty shift, role); a person is a Profile or its User.
Holding = tuple[Profile | User, DutyShift] | tuple[Profile | User, DutyShift, str]


def publish(
    team,
    holdings: Iterable[Holding],
    *,
    by: Profile | User | None = None,
    month: date | None = None,
    keep: bool = False,
    reason: str = "",
) -> RosterVersion:
    """Put in force, for each month the shifts fall in, a new version holding `holdings` (role: member unless
    given) and, with `keep`, what the version in force already held. Numbered, stamped and recorded as
    `roster.services.put_in_force` does for every publication: first a publication, then revisions, published by
    `by` (None: the system, as a scheduled job). Nobody is notified and no hard rule is checked: the test says what
    the roster holds, under headcount included. `month`: the month to publish when `holdings` is empty.
    Returns the last version made (one per month)."""
    by_month: dict[date, list[tuple[Profile, DutyShift, str]]] = {}
    for holding in holdings:
        person, shift = holding[0], holding[1]
        role = holding[2] if len(holding) == 3 else AssignmentRole.MEMBER
        by_month.setdefault(month_start(shift.date), []).append((profile_of(person), shift, role))
    if not by_month:
        if month is None:
            raise ValueError("publish: no holdings, so say which month (month=...)")
        by_month[month_start(month)] = []
    actor = profile_of(by) if by is not None else None
    account = actor.user if actor is not None else system_user()
    version = None
    for first_day, rows in by_month.items():
        roster, _ = Roster.objects.get_or_create(team=team, month=first_day)
        if queries.draft_of(roster) is not None:
            raise ValueError(f"publish: {roster} has a draft in progress; publish or discard it first")
        version = RosterVersion.objects.create(roster=roster, created_by=account)
        held: dict[tuple[int, int], Assignment] = {}
        previous = roster.published_version
        if keep and previous is not None:
            for a in previous.assignments.all():
                held[(a.duty_shift_id, a.profile_id)] = Assignment(
                    version=version, duty_shift_id=a.duty_shift_id, profile_id=a.profile_id, date=a.date, role=a.role
                )
        for profile, shift, role in rows:
            held.setdefault(
                (shift.pk, profile.pk),
                Assignment(version=version, duty_shift=shift, profile=profile, date=shift.date, role=role),
            )
        Assignment.objects.bulk_create(held.values())
        kind = VersionKind.REVISION if roster.published_version_id else VersionKind.PUBLICATION
        services.put_in_force(roster, version, actor=actor, kind=kind, reason=reason)
        roster.refresh_from_db()  # the version's roster as the database has it now: in force, as a caller expects
    assert version is not None
    return version


def publish_draft(roster: Roster, *, by: Profile | User | None = None, reason: str = "") -> RosterVersion:
    """Put the roster's draft (made by the generator, the grid or testdata.fill_draft) in force as
    it is, the way `publish` does: numbered, stamped and recorded, unchecked and unannounced."""
    draft = queries.draft_of(roster)
    if draft is None:
        raise ValueError(f"publish_draft: {roster} has no draft")
    actor = profile_of(by) if by is not None else None
    kind = VersionKind.REVISION if roster.published_version_id else VersionKind.PUBLICATION
    return services.put_in_force(roster, draft, actor=actor, kind=kind, reason=reason)


def on_duty(
    team: Team,
    people: Iterable[Profile | User],
    days: Iterable[date],
    *,
    role: str = AssignmentRole.MEMBER,
    by: Profile | User | None = None,
) -> list[DutyShift]:
    """Publish every one of `people` on the day shift (testdata.duty_shift) of every one of `days`, as a new
    version of each month they fall in (what it held before is replaced); returns the shifts."""
    shifts = [duty_shift(team, day) for day in days]
    everyone = [profile_of(p) for p in people]
    publish(team, [(p, s, role) for s in shifts for p in everyone], by=by)
    return shifts


def duty_dates(team: Team, month: date) -> list[date]:
    return [day.date for day in queries.duty_days(team, month)]


def make_agents(team: Team, n: int, *, prefix: str = "客服", skills: Iterable[Skill] = ()) -> list[User]:
    """`n` agents of `team`: usernames `<slug>-a001`..., names `客服001`..."""
    return [
        make_person(Role.AGENT, team, username=f"{team.slug}-a{i:03d}", name=f"{prefix}{i:03d}", skills=skills)
        for i in range(1, n + 1)
    ]


def laid_out_month(
    team: Team, month: date = MONTH, *, day_headcount: int = 1, night_headcount: int = 1, skills: Iterable[Skill] = ()
) -> Roster:
    """Shift types (day 09-18, night 18-24, testdata.make_shift_types unless the team has some) and the month's
    roster with its duty shifts, laid out by roster.services.prepare_month."""
    if not ShiftType.objects.filter(team=team).exists():
        make_shift_types(team, day_headcount=day_headcount, night_headcount=night_headcount, skills=skills)
    queries.settings_for(team)
    return services.prepare_month(team, month)


def fill_draft(roster: Roster, *, actor: User | None = None) -> RosterVersion:
    """A draft with every shift at headcount, people taken in turn (ignores the rules: for volume tests)."""
    account = actor or system_user()
    draft = queries.draft_of(roster) or RosterVersion.objects.create(roster=roster, created_by=account)
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
