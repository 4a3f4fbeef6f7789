"""Leave and swap rules (R-LEAVE-1..4, R-SWAP-1..2) as pure functions on plain values; no ORM.

The allowed-moves tables are the only statement of how a request may change state; leave.services
checks every transition against them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from roster import rules
from roster.instance import COUNTED_ROLES, Assignment, Instance, Violation

# --- allowed moves ---------------------------------------------------------------------------------------------

AWAITING_LEAD = "awaiting_lead"
AWAITING_SUPERVISOR = "awaiting_supervisor"
AWAITING_COLLEAGUE = "awaiting_colleague"
APPROVED = "approved"
REJECTED = "rejected"
DECLINED = "declined"
WITHDRAWN = "withdrawn"

# R-LEAVE-2: team lead, then supervisor; either may reject; the requester may withdraw until decided.
LEAVE_MOVES: dict[str, frozenset[str]] = {
    AWAITING_LEAD: frozenset({AWAITING_SUPERVISOR, REJECTED, WITHDRAWN}),
    AWAITING_SUPERVISOR: frozenset({APPROVED, REJECTED, WITHDRAWN}),
}
# R-SWAP-2: the colleague signs (accepts) or declines, then the team lead records or rejects.
SWAP_MOVES: dict[str, frozenset[str]] = {
    AWAITING_COLLEAGUE: frozenset({AWAITING_LEAD, DECLINED, WITHDRAWN}),
    AWAITING_LEAD: frozenset({APPROVED, REJECTED, WITHDRAWN}),
}


def may_move(moves: dict[str, frozenset[str]], current: str, to: str) -> bool:
    return to in moves.get(current, frozenset())


# --- timing ----------------------------------------------------------------------------------------------------

# R-LEAVE-3: the written request of an emergency leave follows no later than 1 hour after the shift starts.
EMERGENCY_GRACE = timedelta(hours=1)


def notice_refusal(*, shift_start: datetime, now: datetime, notice_hours: int) -> str | None:
    """Why a leave request for a shift starting at `shift_start` cannot be filed at `now` (R-LEAVE-1), or None.

    Returns a code: "started" (the shift has begun or is over) or "short_notice" (less than the team's notice).
    """
    if shift_start <= now:
        return "started"
    if shift_start - now < timedelta(hours=notice_hours):
        return "short_notice"
    return None


def emergency_deadline(shift_start: datetime) -> datetime:
    return shift_start + EMERGENCY_GRACE


def leave_still_possible(*, shift_start: datetime, now: datetime) -> bool:
    """Whether a leave request can still name this shift: until the written emergency request's deadline, an hour
    after the start (R-LEAVE-3). A shift past it is not offered (issue #27 point 6; nor one signed out of, see
    leave.coverage.upcoming_shifts)."""
    return now <= emergency_deadline(shift_start)


def emergency_refusal(*, shift_start: datetime, now: datetime) -> str | None:
    """R-LEAVE-3: the written request after a recorded call is late once the deadline has passed."""
    return "late" if now > emergency_deadline(shift_start) else None


def is_overdue(*, shift_start: datetime, now: datetime, written: bool) -> bool:
    """A recorded emergency call with no written request by the deadline (shown to lead and supervisor)."""
    return not written and now > emergency_deadline(shift_start)


# --- substitutes (R-LEAVE-4) and swaps (R-SWAP-1) --------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    agent_id: int
    name: str
    duty_this_month: int


def without(assignments: list[Assignment], agent_id: int, day: date, shift_key: str) -> list[Assignment]:
    return [a for a in assignments if not (a.agent == agent_id and a.date == day and a.shift == shift_key)]


def substitute_suggestions(
    instance: Instance, assignments: list[Assignment], *, leaver_id: int, day: date, shift_key: str
) -> list[Suggestion]:
    """Who could take `leaver_id`'s place on the shift, best first (R-LEAVE-4).

    Qualified, holding the shift's skills and free that day (R-ROSTER-5, -6, -8), not already on a shift that
    day, not pushed past the consecutive-night limit (R-ROSTER-3) nor past the working-time law (R-LAW-1, -2, -4: a
    protected person is never offered a night); fewest duty shifts this month first (R-ROSTER-4).
    """
    duty_day = instance.days_by_date.get(day)
    shift = duty_day.shift(shift_key) if duty_day else None
    if duty_day is None or shift is None:
        return []
    rest = without(assignments, leaver_id, day, shift_key)
    totals = rules.agent_totals(instance, rest)
    found = []
    for agent in rules.eligible_agents(instance, duty_day, shift):
        if agent.id == leaver_id:
            continue
        if substitute_refusal(instance, rest, agent_id=agent.id, day=day, shift_key=shift_key) is not None:
            continue
        found.append(Suggestion(agent.id, agent.name, totals[agent.id].duty))
    return sorted(found, key=lambda s: (s.duty_this_month, s.name, s.agent_id))


def substitute_refusal(
    instance: Instance, assignments: list[Assignment], *, agent_id: int, day: date, shift_key: str
) -> Violation | None:
    """Why an agent cannot take the shift once its holder left it (`assignments` without the holder), or None:
    roster.rules.take_refusal, the one rules function for any taking of a shift (qualification, skills, R-ROSTER-8,
    R-ROSTER-3 and the working-time law R-LAW-1, -2, -4), which the marketplace's claims ask too.

    Cheaper than a whole-month check per candidate; the approval itself re-checks everything (revise_published).
    """
    return rules.take_refusal(instance, assignments, agent_id, day, shift_key)


def change_problem(
    instance: Instance,
    before: list[Assignment],
    after: list[Assignment],
    *,
    tolerate: frozenset[str] = frozenset({"under_headcount"}),
) -> Violation | None:
    """The first hard-rule problem `after` has that `before` did not (skills, qualification, R-ROSTER-3 ...)."""
    old = {_key(v) for v in rules.check_roster(instance, before)}
    for violation in rules.check_roster(instance, after):
        if _key(violation) not in old and violation.code not in tolerate:
            return violation
    return None


def swap_result(
    assignments: list[Assignment],
    *,
    requester_id: int,
    colleague_id: int,
    give: tuple[date, str],
    take: tuple[date, str] | None,
) -> list[Assignment] | None:
    """The roster after the swap (R-SWAP-1), each keeping the other's role; None if someone does not hold the shift."""
    mine = next((a for a in assignments if a.agent == requester_id and (a.date, a.shift) == give), None)
    theirs = None
    if take is not None:
        theirs = next((a for a in assignments if a.agent == colleague_id and (a.date, a.shift) == take), None)
        if theirs is None:
            return None
    if mine is None:
        return None
    result = [a for a in assignments if a is not mine and a is not theirs]
    result.append(Assignment(colleague_id, mine.date, mine.shift, mine.role))
    if theirs is not None:
        result.append(Assignment(requester_id, theirs.date, theirs.shift, theirs.role))
    return result


def swap_problem(
    instance: Instance,
    assignments: list[Assignment],
    *,
    requester_id: int,
    colleague_id: int,
    give: tuple[date, str],
    take: tuple[date, str] | None,
) -> Violation | None:
    """Why the swap would break a hard roster rule (R-SWAP-1: skills, qualification, R-ROSTER-3, -8), or None.

    Nothing is tolerated, not even under-headcount: a swap moves people, it never leaves a shift short.
    """
    result = swap_result(assignments, requester_id=requester_id, colleague_id=colleague_id, give=give, take=take)
    if result is None:
        return Violation(rule="R-SWAP-1", code="not_held", message="a shift of the swap is not held")
    # R-SWAP-1: each takes a shift they do not hold already (a colleague on the same shift cannot take it over).
    for agent_id, slot in ((colleague_id, give), (requester_id, take)):
        if slot is not None and any(a.agent == agent_id and (a.date, a.shift) == slot for a in assignments):
            return Violation(
                rule="R-SWAP-1",
                code="already_on_shift",
                message=f"{slot[0].isoformat()} {slot[1]}: agent {agent_id} already holds this shift",
                date=slot[0],
                shift=slot[1],
                agent=agent_id,
            )
    # R-ROSTER-8 first: a person cannot be in two places, nor work on leave or a day declared unavailable.
    moved = [(colleague_id, give)] + ([(requester_id, take)] if take else [])
    for agent_id, (day, key) in moved:
        others = [a for a in result if not (a.agent == agent_id and a.date == day and a.shift == key)]
        refusal = rules.edit_refusal(instance, others, agent_id, day, key)
        if refusal is not None:
            return refusal
    return change_problem(instance, assignments, result, tolerate=frozenset())


def counted(assignments: list[Assignment], day: date, shift_key: str) -> int:
    return len({a.agent for a in assignments if a.date == day and a.shift == shift_key and a.role in COUNTED_ROLES})


def _key(violation: Violation) -> tuple[str, date | None, str | None, int | None]:
    return violation.code, violation.date, violation.shift, violation.agent
