"""Requests against the roster in force, as plain data: the coverage and ranked substitutes of each shift on leave
(R-LEAVE-4), the swaps that keep every hard rule (R-SWAP-1), the approvers' queues built on them.

Each read builds one plain roster instance per month it touches (roster.queries.month_data: three queries with the
roster row), so its query count does not grow with the number of requests.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.models import Profile
from dutydesk.months import month_end, month_start
from leave import permissions as perms
from leave import rules
from leave.models import LeaveRequest, SwapState
from leave.queries import leave_requests, open_calls, swap_requests
from roster import instance as plain
from roster import queries as roster_queries
from roster.messages import take_reason
from roster.models import DutyShift

# --- the roster as it is now, as plain data ---------------------------------------------------------------------


# One plain instance per (team, month), built on first use: the queues' fixed query count (roster.queries).
MonthState = roster_queries.MonthInForce
Months = roster_queries.MonthsInForce


def swap_refusal(
    profile: Profile, colleague: Profile, give: DutyShift, take: DutyShift | None, months: Months | None = None
) -> str | None:
    """Why this swap breaks a hard roster rule now (translated), or None (R-SWAP-1)."""
    state = (months or Months()).get(give.team_id, give.date)
    if state is None:
        return _("This roster is not published.")
    problem = rules.swap_problem(
        state.instance,
        state.assignments,
        requester_id=profile.pk,
        colleague_id=colleague.pk,
        give=(give.date, give.shift_type.key),
        take=(take.date, take.shift_type.key) if take else None,
    )
    if problem is None:
        return None
    if problem.code == "not_held":
        return _("One of the two no longer holds the shift; the roster changed.")
    # Said alone (a refusal), the reason names the person it is about; in the page's list the name is beside it.
    agent = state.instance.agents_by_id.get(problem.agent)
    return _("%(name)s: %(reason)s") % {
        "name": agent.name if agent else colleague.name,
        "reason": swap_reason(problem, state.instance, _skill_names()),
    }


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
    colleagues = list(roster_queries.duty_staff(profile.team).exclude(pk=profile.pk))
    theirs: dict[int, list[DutyShift]] = defaultdict(list)
    for a in (
        roster_queries.published_assignments()
        .filter(
            profile__in=colleagues,
            date__range=(month_start(give.date), month_end(give.date)),
            duty_shift__starts_at__gt=now,
        )
        .order_by("duty_shift__starts_at")
    ):
        theirs[a.profile_id].append(a.duty_shift)
    give_key = (give.date, give.shift_type.key)
    skill_names = _skill_names()
    for colleague in colleagues:
        first_problem = None
        found = False
        candidates = [None] + [s for s in theirs[colleague.pk] if s.pk != give.pk]
        for take in candidates:
            if take is None and any(s.date == give.date for s in theirs[colleague.pk]):
                continue  # not free that day: only an exchange can work
            problem = rules.swap_problem(
                state.instance,
                state.assignments,
                requester_id=profile.pk,
                colleague_id=colleague.pk,
                give=give_key,
                take=(take.date, take.shift_type.key) if take else None,
            )
            if problem is None:
                options.offered.append(SwapOption(colleague, take))
                found = True
            elif first_problem is None:
                first_problem = problem
        if not found:
            if first_problem and first_problem.code != "not_held":
                reason = swap_reason(first_problem, state.instance, skill_names)
            else:
                reason = _("Already on a shift that day and no shift of theirs can be exchanged.")
            options.refused.append((colleague, reason))
    return options


def _skill_names() -> dict[str, str]:
    from dutydesk.models import Skill

    return dict(Skill.objects.values_list("code", "name"))


def swap_reason(problem: plain.Violation, instance: plain.Instance, skill_names: dict[str, str]) -> str:
    """Why a swap is not offered, as the person concerned would say it: roster.messages.take_reason."""
    return take_reason(problem, instance, skill_names)


# --- the approvers' queues --------------------------------------------------------------------------------------


@dataclass
class ShiftItem:
    shift: DutyShift
    counted: int  # people counted toward headcount now, the requester included
    headcount: int
    suggestions: list[rules.Suggestion]
    substitute: Profile | None = None


@dataclass
class LeaveItem:
    leave: LeaveRequest
    shifts: list[ShiftItem]


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
                counted = rules.counted(state.assignments, shift.date, shift.shift_type.key)
                if leave.is_open:
                    suggestions = rules.substitute_suggestions(
                        state.instance,
                        state.assignments,
                        leaver_id=leave.profile_id,
                        day=shift.date,
                        shift_key=shift.shift_type.key,
                    )
            rows.append(ShiftItem(shift, counted, shift.headcount, suggestions, leave_shift.substitute))
        items.append(LeaveItem(leave, rows))
    return items


def queue_for(team, profile, *, months: Months | None = None) -> dict:
    """What waits for this lead or supervisor in `team`, oldest first (R-LEAVE-2, R-SWAP-2). `months`: shared with
    under_covered on the same page, so that each month is read once."""
    waiting_state, _allowed = perms.deciding_step(profile)
    # Nobody decides their own request: a lead's own leave or swap waits for another lead.
    leaves = list(
        leave_requests().filter(team=team, state=waiting_state).exclude(profile=profile).order_by("created_at", "id")
    )
    swaps = []
    if perms.acts_as_lead(profile):
        swaps = list(
            swap_requests()
            .filter(team=team, state=SwapState.AWAITING_LEAD)
            .exclude(profile=profile)
            .exclude(colleague=profile)
            .order_by("created_at", "id")
        )
    return {"leaves": leave_items(leaves, months=months), "swaps": swaps, "calls": open_calls(team)}


def under_covered(team, *, today: date, months: Months | None = None) -> list[tuple[DutyShift, int]]:
    """Published shifts from today on with fewer people than their headcount (R-LEAVE-4), with the count."""
    months = months or Months()
    short: list[tuple[date, str, int]] = []
    for month in roster_queries.months_with_shifts(team, since=today):
        state = months.get(team.pk, month)
        if state is None:
            continue
        coverage = _coverage(state)
        short += [
            (day.date, shift.key, coverage.get((day.date, shift.key), 0))
            for day in state.instance.days
            if day.date >= today
            for shift in day.shifts
            if coverage.get((day.date, shift.key), 0) < shift.headcount
        ]
    if not short:
        return []
    # The short shifts' rows, in one query whatever the number of months.
    rows = {(s.date, s.shift_type.key): s for s in roster_queries.shifts_on(team, {day for day, _key, _n in short})}
    return [(rows[(day, key)], counted) for day, key, counted in short if (day, key) in rows]


def _coverage(state: MonthState) -> dict[tuple[date, str], int]:
    counts: dict[tuple[date, str], set[int]] = defaultdict(set)
    for a in state.assignments:
        if a.role in plain.COUNTED_ROLES:
            counts[(a.date, a.shift)].add(a.agent)
    return {key: len(agents) for key, agents in counts.items()}


# --- a person's own ---------------------------------------------------------------------------------------------


# Where a person's sign-outs come from (the logbook registers it in its ready(): leave imports no logbook code).
# `source(profile_id, duty_shift_ids) -> set of the duty shift ids the person has signed out of`.
_signed_out_sources: list = []


def register_signed_out_source(source) -> None:
    if source not in _signed_out_sources:
        _signed_out_sources.append(source)


def upcoming_shifts(profile, *, now: datetime):
    """The person's shifts from today on that a request can still name (rules.leave_still_possible), less those
    the person has signed out of: a shift worked is over for them, even within its first hour (issue #27 point 6)."""
    shifts = [
        a
        for a in roster_queries.shifts_of(profile, start=timezone.localdate(now))
        if rules.leave_still_possible(shift_start=a.duty_shift.starts_at, now=now)
    ]
    done = set()
    for source in _signed_out_sources:
        done |= source(profile.pk, [a.duty_shift_id for a in shifts]) if shifts else set()
    return [a for a in shifts if a.duty_shift_id not in done]


def substitutes_said(leave: LeaveRequest) -> list[str]:
    """R-LEAVE-4, never silent: after the final approval, each shift of the leave with its substitute, or that it
    stays under-covered (said on the supervisor's confirmation)."""
    lines = []
    for row in leave.shifts.select_related("duty_shift__shift_type", "substitute").order_by("duty_shift__starts_at"):
        shift = f"{row.duty_shift.date:%m-%d} {row.duty_shift.shift_type.name}"
        if row.substitute_id:
            lines.append(_("%(shift)s: %(name)s substitutes.") % {"shift": shift, "name": row.substitute.name})
        else:
            lines.append(_("%(shift)s: no substitute, the shift shows as under-covered.") % {"shift": shift})
    return lines
