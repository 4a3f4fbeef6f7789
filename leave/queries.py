"""Reads of leave and swap requests, on their own rows only: approved leave dates (what the roster's generator and
checks need, R-ROSTER-8), the requests with their history, the open emergency calls, each person's own.

Nothing here reads the roster: the roster asks `approved_leave_days` and `request_history` through roster.absences
(registered in leave.apps), and the reads that put requests against the roster in force live in leave.coverage
(which builds on roster.queries). So the imports run one way.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from dutydesk.models import Role
from leave import rules
from leave.models import (
    LEAVE_OPEN,
    EmergencyCall,
    LeaveRequest,
    LeaveShift,
    LeaveState,
    RequestEvent,
    SwapRequest,
    SwapState,
)


def approved_leave(team, start: date, end: date) -> QuerySet[LeaveShift]:
    """The team's shifts on approved leave from `start` to `end` (R-ROSTER-8: never a shift during approved leave)."""
    return LeaveShift.objects.filter(
        leave__team=team, leave__state=LeaveState.APPROVED, duty_shift__date__range=(start, end)
    )


def approved_leave_days(team, start: date, end: date) -> QuerySet:
    """(profile id, date) rows of approved leave in [start, end]: the source the roster asks (roster.absences)."""
    return approved_leave(team, start, end).values_list("profile_id", "duty_shift__date")


def leave_dates(team, start: date, end: date) -> dict[int, set[date]]:
    """Dates of approved leave per profile id in [start, end] (R-ROSTER-8: never a shift during approved leave)."""
    dates: dict[int, set[date]] = defaultdict(set)
    for profile_id, day in approved_leave(team, start, end).values_list("profile_id", "duty_shift__date"):
        dates[profile_id].add(day)
    return dict(dates)


def request_history(team, start: date, end: date) -> tuple[list[tuple[int, date]], list[tuple]]:
    """For the fairness report (roster.queries.fairness_rows), two queries whatever the team's size: (profile id,
    date) of every approved leave day, and (requester, colleague, date given, date taken or None) of every
    recorded swap, in [start, end]."""
    leave = list(
        LeaveShift.objects.filter(
            leave__team=team, leave__state=LeaveState.APPROVED, duty_shift__date__range=(start, end)
        )
        .values_list("profile_id", "duty_shift__date")
        .distinct()
    )
    swaps = list(
        SwapRequest.objects.filter(team=team, state=SwapState.APPROVED)
        .filter(Q(give_shift__date__range=(start, end)) | Q(take_shift__date__range=(start, end)))
        .values_list("profile_id", "colleague_id", "give_shift__date", "take_shift__date")
    )
    return leave, swaps


def _with_history(requests: QuerySet) -> QuerySet:
    return requests.select_related("profile", "team").prefetch_related(
        Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
    )


def leave_requests() -> QuerySet[LeaveRequest]:
    return (
        _with_history(LeaveRequest.objects.all())
        .select_related("proposed_substitute")
        .prefetch_related(
            Prefetch("shifts", queryset=LeaveShift.objects.select_related("duty_shift__shift_type", "substitute")),
        )
    )


def swap_requests() -> QuerySet[SwapRequest]:
    return _with_history(SwapRequest.objects.all()).select_related(
        "colleague", "give_shift__shift_type", "take_shift__shift_type"
    )


def open_calls(team, *, now: datetime | None = None) -> list[EmergencyCall]:
    """Emergency calls without a written request yet, each marked `overdue` past its deadline (R-LEAVE-3)."""
    now = now or timezone.now()
    calls = list(
        EmergencyCall.objects.filter(team=team, leave__isnull=True)
        .select_related("profile", "recorded_by", "duty_shift__shift_type")
        .order_by("called_at")
    )
    for call in calls:
        call.deadline = rules.emergency_deadline(call.duty_shift.starts_at)
        call.overdue = rules.is_overdue(shift_start=call.duty_shift.starts_at, now=now, written=False)
    return calls


def waiting_count(team, *, role: str) -> int:
    """How many of the team's requests wait at the step of this role (R-LEAVE-2, R-SWAP-2): leave at the lead's or
    the supervisor's, and for a lead the signed swaps to record."""
    if role == Role.LEAD:
        return (
            LeaveRequest.objects.filter(team=team, state=LeaveState.AWAITING_LEAD).count()
            + SwapRequest.objects.filter(team=team, state=SwapState.AWAITING_LEAD).count()
        )
    return LeaveRequest.objects.filter(team=team, state=LeaveState.AWAITING_SUPERVISOR).count()


def decided(team, *, limit: int = 20) -> list:
    """The team's recently decided requests, newest first (the history for leads and supervisors)."""
    leaves = list(leave_requests().filter(team=team).exclude(state__in=LEAVE_OPEN).order_by("-decided_at")[:limit])
    swaps = list(swap_requests().filter(team=team, decided_at__isnull=False).order_by("-decided_at")[:limit])
    return sorted(leaves + swaps, key=lambda r: r.decided_at, reverse=True)[:limit]


# --- a person's own ---------------------------------------------------------------------------------------------


def my_requests(profile) -> list:
    """Every leave and swap request the person filed or was asked to sign, newest first, with their history."""
    leaves = list(leave_requests().filter(profile=profile))
    swaps = list(swap_requests().filter(Q(profile=profile) | Q(colleague=profile)))
    return sorted(leaves + swaps, key=lambda r: r.created_at, reverse=True)


def swaps_to_answer(profile) -> list[SwapRequest]:
    return list(swap_requests().filter(colleague=profile, state=SwapState.AWAITING_COLLEAGUE).order_by("created_at"))


def my_open_calls(profile) -> list[EmergencyCall]:
    calls = list(
        EmergencyCall.objects.filter(profile=profile, leave__isnull=True).select_related(
            "duty_shift__shift_type", "recorded_by"
        )
    )
    for call in calls:
        call.deadline = rules.emergency_deadline(call.duty_shift.starts_at)
    return calls
