"""Leave and swaps: a small published roster to ask against (`leave_setup`), and requests filed and decided through
leave.services, the real approval path with real actors (R-LEAVE-1..4, R-SWAP-1..2: two steps, the roster revised,
every move an event and an audit record), never a state written by hand.

Default plan of `leave_setup`, four duty days d0..d3 of a future month (day shift: headcount 2, needs "refund";
night: headcount 1):

    d0 day: A, B    d0 night: C
    d1 day: C, D    d1 night: B
    d2 day: A, D    d2 night: B
    d3 day: B, C    d3 night: D

A is the `agent` fixture, L the `lead` (free all month), E a new hire and F an agent without the skill, both free.

A request about shifts that have started (history) is filed with the `now` the services take: the moment it was
filed, before its shifts; the decisions check the roster as it is, not the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from dutydesk.models import Profile, Role, Skill, Team
from leave import services
from leave.models import LeaveRequest, LeaveShift, LeaveState, SwapRequest
from roster import queries
from roster.models import DutyShift, Roster, ShiftType, TeamRosterSettings
from testdata.dates import future_weekend_days
from testdata.people import make_person, make_skill, profile_of
from testdata.roster import publish
from testdata.shifts import duty_shift

Person = Profile | User


@dataclass
class Setup:
    roster: Roster
    days: list[date]
    people: dict[str, Profile]  # letter -> Profile
    shifts: dict[tuple[int, str], DutyShift]  # (day index, "day"/"night") -> DutyShift

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


def refund_shift_types(team: Team) -> tuple[dict[str, ShiftType], Skill]:
    """Day (headcount 2) and night (headcount 1) shift types that both need the skill "refund" (退款处理)."""
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
    team: Team,
    agent: User,
    lead: User,
    *,
    days: list[date] | None = None,
    plan: Mapping[tuple[int, str], str] | None = None,
    notice_hours: int = 24,
) -> Setup:
    """People B..F in `team`, and a published roster of the month of `days` following `plan`."""
    days = days or future_weekend_days()
    plan = DEFAULT_PLAN if plan is None else plan
    kinds, refund = refund_shift_types(team)
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
            shifts[(index, key)] = duty_shift(team, day, kind)
    version = publish(
        team,
        [(people[letter], shifts[slot]) for slot, letters in plan.items() for letter in letters],
        by=lead,
        month=days[0],
    )
    return Setup(version.roster, days, people, shifts)


def soon_setup(team: Team, agent: User, lead: User, *, starts_in: timedelta) -> Setup:
    """A one-day roster whose day shift (A, B) starts `starts_in` from now (negative: already started)."""
    start = timezone.localtime() + starts_in
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
    return sorted(a.profile.name for a in queries.holders(shift))


# --- requests, through leave.services -----------------------------------------------------------------------------


def _filed_before(shifts: Iterable[DutyShift], now: datetime | None) -> datetime | None:
    """When a request is filed: `now` if given; else, for shifts that start within a week (or have started), a week
    before the first of them (the notice rules are the filing's, R-LEAVE-1); else the real clock."""
    if now is not None:
        return now
    first = min(s.starts_at for s in shifts)
    return first - timedelta(days=7) if first < timezone.now() + timedelta(days=7) else None


def file_leave(
    person: Person,
    shifts: Iterable[DutyShift],
    *,
    kind: str = "personal",
    reason: str = "家里有事",
    substitute: Person | None = None,
    now: datetime | None = None,
) -> LeaveRequest:
    """The person asks leave for their published `shifts` (leave.services.request_leave: it waits for the lead)."""
    shifts = list(shifts)
    return services.request_leave(
        profile=profile_of(person),
        duty_shift_ids=[s.pk for s in shifts],
        kind=kind,
        reason=reason,
        proposed_substitute_id=profile_of(substitute).pk if substitute is not None else None,
        now=_filed_before(shifts, now),
    )


def approve_leave(
    leave: LeaveRequest,
    *,
    lead: Person,
    supervisor: Person,
    substitutes: Mapping[DutyShift, Person | None] | None = None,
    note: str = "",
) -> LeaveRequest:
    """Both steps of R-LEAVE-2: the team lead, then the supervisor with each shift's substitute (none: the shift
    stays under-covered); the roster in force is revised (R-ROSTER-9)."""
    services.approve_leave_as_lead(leave, actor=profile_of(lead), note=note)
    chosen = {
        shift.pk: (profile_of(person).pk if person is not None else None)
        for shift, person in (substitutes or {}).items()
    }
    return services.approve_leave_as_supervisor(leave, actor=profile_of(supervisor), substitutes=chosen, note=note)


def approved_leave(
    person: Person,
    shifts: Iterable[DutyShift],
    *,
    lead: Person,
    supervisor: Person,
    substitutes: Mapping[DutyShift, Person | None] | None = None,
    kind: str = "personal",
    reason: str = "家里有事",
    now: datetime | None = None,
) -> LeaveRequest:
    """Leave filed by the person and approved at both steps (file_leave, then approve_leave)."""
    leave = file_leave(person, shifts, kind=kind, reason=reason, now=now)
    return approve_leave(leave, lead=lead, supervisor=supervisor, substitutes=substitutes)


def rejected_leave(
    person: Person,
    shifts: Iterable[DutyShift],
    *,
    by: Person,
    reason: str = "人手不足",
    kind: str = "personal",
    now: datetime | None = None,
) -> LeaveRequest:
    """Leave filed by the person and rejected at the first step by `by`, a team lead of theirs (R-LEAVE-2)."""
    leave = file_leave(person, shifts, kind=kind, now=now)
    return services.reject_leave(leave, actor=profile_of(by), reason=reason)


def proposed_swap(
    person: Person,
    give: DutyShift,
    colleague: Person,
    take: DutyShift | None = None,
    *,
    reason: str = "家里有事",
    now: datetime | None = None,
) -> SwapRequest:
    """The person offers `give` to `colleague`, taking `take` (None: giving it away); it waits for the colleague
    (leave.services.propose_swap, R-SWAP-1)."""
    return services.propose_swap(
        profile=profile_of(person),
        give_shift_id=give.pk,
        colleague_id=profile_of(colleague).pk,
        take_shift_id=take.pk if take is not None else None,
        reason=reason,
        now=_filed_before([give] + ([take] if take is not None else []), now),
    )


def recorded_swap(
    person: Person,
    give: DutyShift,
    colleague: Person,
    take: DutyShift | None = None,
    *,
    lead: Person,
    reason: str = "家里有事",
    now: datetime | None = None,
) -> SwapRequest:
    """A swap proposed, signed by the colleague and recorded by a lead who is neither (R-SWAP-2): the roster in force
    is revised."""
    swap = proposed_swap(person, give, colleague, take, reason=reason, now=now)
    services.accept_swap(swap, actor=profile_of(colleague))
    return services.record_swap(swap, actor=profile_of(lead))


def recorded_history(
    person: Person,
    shifts: Iterable[DutyShift],
    *,
    state: str = LeaveState.APPROVED,
    kind: str = "personal",
    reason: str = "家里有事",
    decided_at: datetime | None = None,
) -> LeaveRequest:
    """A decided leave request written directly, NOT through leave.services: only for a state the services cannot
    reach, and never silently (dutydesk/tests/test_one_way_to_build.py finds any other decided request written by
    hand). The one such state today: leave approved on the days of a month whose roster has never been published
    (benchmarks/bench_roster_grid.py: the planner's R-ROSTER-8 input of a first draft). Through the services, leave
    is only ever asked for shifts of a published roster, and a month with a published version is another grid.
    No event, no audit record, no notice, no roster revision."""
    profile = profile_of(person)
    assert profile.team is not None, "recorded_history: the person has no team"
    leave = LeaveRequest.objects.create(
        team=profile.team,
        profile=profile,
        kind=kind,
        reason=reason,
        state=state,
        decided_at=decided_at or timezone.now(),
    )
    LeaveShift.objects.bulk_create(
        LeaveShift(leave=leave, duty_shift=shift, profile=profile, is_open=False) for shift in shifts
    )
    return leave
