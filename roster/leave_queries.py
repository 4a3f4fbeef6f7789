"""Reads of leave and swap requests: approved leave for the generator, the approvers' queues with coverage and
ranked substitutes, the swap options a person is offered, and each person's own requests.

Queues and option lists build one plain roster instance per month they touch (roster.queries.solver_instance),
so their query count does not grow with the number of requests.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.models import Profile
from roster import instance as plain
from roster import leave_rules, queries
from roster.messages import describe
from roster.models import (
    LEAVE_OPEN,
    DutyShift,
    EmergencyCall,
    LeaveRequest,
    LeaveShift,
    LeaveState,
    RequestEvent,
    Roster,
    SwapRequest,
    SwapState,
)


def leave_dates(team, start: date, end: date) -> dict[int, set[date]]:
    """Dates of approved leave per profile id in [start, end] (R-ROSTER-8: never a shift during approved leave)."""
    dates: dict[int, set[date]] = defaultdict(set)
    for profile_id, day in LeaveShift.objects.filter(
        leave__team=team, leave__state=LeaveState.APPROVED, duty_shift__date__range=(start, end),
    ).values_list("profile_id", "duty_shift__date"):
        dates[profile_id].add(day)
    return dict(dates)


def request_history(team, start: date, end: date) -> tuple[list[tuple[int, date]], list[tuple]]:
    """For the fairness report, two queries whatever the team's size: (profile id, date) of every approved leave
    day, and (requester, colleague, date given, date taken or None) of every recorded swap, in [start, end]."""
    leave = list(
        LeaveShift.objects.filter(leave__team=team, leave__state=LeaveState.APPROVED,
                                  duty_shift__date__range=(start, end))
        .values_list("profile_id", "duty_shift__date").distinct()
    )
    swaps = list(
        SwapRequest.objects.filter(team=team, state=SwapState.APPROVED)
        .filter(Q(give_shift__date__range=(start, end)) | Q(take_shift__date__range=(start, end)))
        .values_list("profile_id", "colleague_id", "give_shift__date", "take_shift__date")
    )
    return leave, swaps


# --- the roster as it is now, as plain data ---------------------------------------------------------------------


@dataclass
class MonthState:
    roster: Roster
    instance: plain.Instance
    assignments: list[plain.Assignment]


class Months:
    """One plain instance per (team, month), built on first use: the queues' fixed query count."""

    def __init__(self):
        self._cache: dict[tuple[int, date], MonthState | None] = {}

    def get(self, team_id: int, day: date) -> MonthState | None:
        key = (team_id, day.replace(day=1))
        if key not in self._cache:
            roster = Roster.objects.filter(team=team_id, month=key[1]).select_related(
                "team", "published_version").first()
            if roster is None or roster.published_version is None:
                self._cache[key] = None
            else:
                self._cache[key] = MonthState(roster, queries.solver_instance(roster),
                                              queries.plain_assignments(roster.published_version))
        return self._cache[key]


def swap_refusal(profile: Profile, colleague: Profile, give: DutyShift, take: DutyShift | None,
                 months: Months | None = None) -> str | None:
    """Why this swap breaks a hard roster rule now (translated), or None (R-SWAP-1)."""
    state = (months or Months()).get(give.team_id, give.date)
    if state is None:
        return _("This roster is not published.")
    problem = leave_rules.swap_problem(
        state.instance, state.assignments, requester_id=profile.pk, colleague_id=colleague.pk,
        give=(give.date, give.shift_type.key), take=(take.date, take.shift_type.key) if take else None,
    )
    if problem is None:
        return None
    if problem.code == "not_held":
        return _("One of the two no longer holds the shift; the roster changed.")
    return describe(problem, state.instance)


@dataclass
class SwapOption:
    colleague: Profile
    take: DutyShift | None  # None: the colleague takes my shift and gives nothing back


@dataclass
class SwapOptions:
    offered: list[SwapOption] = field(default_factory=list)
    refused: list[tuple[Profile, str]] = field(default_factory=list)  # colleague, why no swap with them works


def swap_options(profile: Profile, give: DutyShift, *, now: datetime | None = None) -> SwapOptions:
    """Every swap of `give` with a colleague that breaks no hard rule; for colleagues with none, the reason.

    Candidates: giving the shift away to a colleague free that day, or exchanging it for one of the colleague's
    shifts of the same month that has not started (R-SWAP-1).
    """
    now = now or timezone.now()
    options = SwapOptions()
    months = Months()
    state = months.get(give.team_id, give.date)
    if state is None:
        return options
    colleagues = list(queries.duty_staff(profile.team).exclude(pk=profile.pk))
    month_end = queries._month_end(give.date.replace(day=1))
    theirs: dict[int, list[DutyShift]] = defaultdict(list)
    for a in queries.published_assignments().filter(
        profile__in=colleagues, date__range=(give.date.replace(day=1), month_end), duty_shift__starts_at__gt=now,
    ).order_by("duty_shift__starts_at"):
        theirs[a.profile_id].append(a.duty_shift)
    give_key = (give.date, give.shift_type.key)
    for colleague in colleagues:
        first_problem = None
        found = False
        candidates = [None] + [s for s in theirs[colleague.pk] if s.pk != give.pk]
        for take in candidates:
            if take is None and any(s.date == give.date for s in theirs[colleague.pk]):
                continue  # not free that day: only an exchange can work
            problem = leave_rules.swap_problem(
                state.instance, state.assignments, requester_id=profile.pk, colleague_id=colleague.pk,
                give=give_key, take=(take.date, take.shift_type.key) if take else None,
            )
            if problem is None:
                options.offered.append(SwapOption(colleague, take))
                found = True
            elif first_problem is None:
                first_problem = problem
        if not found:
            reason = describe(first_problem, state.instance) if first_problem and first_problem.code != "not_held" \
                else _("Already on a shift that day and no shift of theirs can be exchanged.")
            options.refused.append((colleague, reason))
    return options


# --- the approvers' queues --------------------------------------------------------------------------------------


@dataclass
class ShiftItem:
    shift: DutyShift
    counted: int  # people counted toward headcount now, the requester included
    headcount: int
    suggestions: list[leave_rules.Suggestion]
    substitute: Profile | None = None


@dataclass
class LeaveItem:
    leave: LeaveRequest
    shifts: list[ShiftItem]


def _with_history(requests: QuerySet) -> QuerySet:
    return requests.select_related("profile", "team").prefetch_related(
        Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
    )


def leave_requests() -> QuerySet[LeaveRequest]:
    return _with_history(LeaveRequest.objects.all()).select_related("proposed_substitute").prefetch_related(
        Prefetch("shifts", queryset=LeaveShift.objects.select_related("duty_shift__shift_type", "substitute")),
    )


def swap_requests() -> QuerySet[SwapRequest]:
    return _with_history(SwapRequest.objects.all()).select_related(
        "colleague", "give_shift__shift_type", "take_shift__shift_type")


def leave_items(leaves, *, months: Months | None = None) -> list[LeaveItem]:
    """Each request with the coverage of its shifts and ranked substitutes (R-LEAVE-4), one instance per month."""
    months = months or Months()
    items = []
    for leave in leaves:
        rows = []
        for leave_shift in leave.shifts.all():
            shift = leave_shift.duty_shift
            state = months.get(leave.team_id, shift.date)
            suggestions, counted = [], 0
            if state is not None:
                counted = leave_rules.counted(state.assignments, shift.date, shift.shift_type.key)
                if leave.is_open:
                    suggestions = leave_rules.substitute_suggestions(
                        state.instance, state.assignments, leaver_id=leave.profile_id, day=shift.date,
                        shift_key=shift.shift_type.key)
            rows.append(ShiftItem(shift, counted, shift.headcount, suggestions, leave_shift.substitute))
        items.append(LeaveItem(leave, rows))
    return items


def queue_for(team, profile) -> dict:
    """What waits for this lead or supervisor in `team`, oldest first (R-LEAVE-2, R-SWAP-2)."""
    from dutydesk.models import Role

    waiting_state = LeaveState.AWAITING_LEAD if profile.role == Role.LEAD else LeaveState.AWAITING_SUPERVISOR
    # Nobody decides their own request: a lead's own leave or swap waits for another lead.
    leaves = list(leave_requests().filter(team=team, state=waiting_state).exclude(profile=profile)
                  .order_by("created_at", "id"))
    swaps = []
    if profile.role == Role.LEAD:
        swaps = list(swap_requests().filter(team=team, state=SwapState.AWAITING_LEAD)
                     .exclude(profile=profile).exclude(colleague=profile).order_by("created_at", "id"))
    return {"leaves": leave_items(leaves), "swaps": swaps, "calls": open_calls(team)}


def open_calls(team, *, now: datetime | None = None) -> list[EmergencyCall]:
    """Emergency calls without a written request yet, each marked `overdue` past its deadline (R-LEAVE-3)."""
    now = now or timezone.now()
    calls = list(
        EmergencyCall.objects.filter(team=team, leave__isnull=True)
        .select_related("profile", "recorded_by", "duty_shift__shift_type").order_by("called_at")
    )
    for call in calls:
        call.deadline = leave_rules.emergency_deadline(call.duty_shift.starts_at)
        call.overdue = leave_rules.is_overdue(shift_start=call.duty_shift.starts_at, now=now, written=False)
    return calls


def decided(team, *, limit: int = 20) -> list:
    """The team's recently decided requests, newest first (the history for leads and supervisors)."""
    leaves = list(leave_requests().filter(team=team).exclude(state__in=LEAVE_OPEN).order_by("-decided_at")[:limit])
    swaps = list(swap_requests().filter(team=team, decided_at__isnull=False).order_by("-decided_at")[:limit])
    return sorted(leaves + swaps, key=lambda r: r.decided_at, reverse=True)[:limit]


def under_covered(team, *, today: date) -> list[tuple[DutyShift, int]]:
    """Published shifts from today on with fewer people than their headcount (R-LEAVE-4), with the count."""
    months = Months()
    found = []
    for month in sorted({d.replace(day=1) for d in DutyShift.objects.filter(team=team, date__gte=today)
                         .values_list("date", flat=True)}):
        state = months.get(team.pk, month)
        if state is None:
            continue
        coverage = _coverage(state)
        for shift in queries.month_shifts(state.roster).filter(date__gte=today):
            counted = coverage.get((shift.date, shift.shift_type.key), 0)
            if counted < shift.headcount:
                found.append((shift, counted))
    return found


def _coverage(state: MonthState) -> dict[tuple[date, str], int]:
    counts: dict[tuple[date, str], set[int]] = defaultdict(set)
    for a in state.assignments:
        if a.role in plain.COUNTED_ROLES:
            counts[(a.date, a.shift)].add(a.agent)
    return {key: len(agents) for key, agents in counts.items()}


# --- a person's own ---------------------------------------------------------------------------------------------


def upcoming_shifts(profile, *, today: date):
    return queries.shifts_of(profile, start=today)


def my_requests(profile) -> list:
    """Every leave and swap request the person filed or was asked to sign, newest first, with their history."""
    from django.db.models import Q

    leaves = list(leave_requests().filter(profile=profile))
    swaps = list(swap_requests().filter(Q(profile=profile) | Q(colleague=profile)))
    return sorted(leaves + swaps, key=lambda r: r.created_at, reverse=True)


def swaps_to_answer(profile) -> list[SwapRequest]:
    return list(swap_requests().filter(colleague=profile, state=SwapState.AWAITING_COLLEAGUE).order_by("created_at"))


def my_open_calls(profile) -> list[EmergencyCall]:
    calls = list(EmergencyCall.objects.filter(profile=profile, leave__isnull=True)
                 .select_related("duty_shift__shift_type", "recorded_by"))
    for call in calls:
        call.deadline = leave_rules.emergency_deadline(call.duty_shift.starts_at)
    return calls
