"""The marketplace's rules (issue 24) as pure functions on plain values; no ORM.

Who may take a shift at all is not decided here: that is the roster's one rules function,
roster.rules.take_refusal (skills, qualification, R-ROSTER-3, -8, the working-time law), which swaps and substitutes
ask too. Here: the allowed moves of offers and claims, when a claim comes too late, the fair order of claims and the
per-person monthly cap (item 4), the role a taker gets (R-ROSTER-7), and when a give-away's lead is told (item 2).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from roster.instance import ROLE_BACKUP, ROLE_MEMBER, ROLE_PRIMARY

# --- allowed moves (the plain strings equal market.models' TextChoices: tested) ----------------------------------

OPEN = "open"
TAKEN = "taken"
WITHDRAWN = "withdrawn"
WAITING = "waiting"
APPROVED = "approved"
NOT_CHOSEN = "not_chosen"

OFFER_KINDS = ("open", "give_away", "trade")
FEWEST_SHIFTS = "fewest_shifts"
EARLIEST = "earliest"

# An offer is open until its last place is taken or its poster withdraws it.
OFFER_MOVES: dict[str, frozenset[str]] = {OPEN: frozenset({TAKEN, WITHDRAWN})}
# A claim waits for a lead's or supervisor's approval (or is approved at once where the first claim wins); the
# claimer may withdraw it until then; once the offer is taken or withdrawn, the others are not chosen.
CLAIM_MOVES: dict[str, frozenset[str]] = {WAITING: frozenset({APPROVED, NOT_CHOSEN, WITHDRAWN})}


def may_move(moves: Mapping[str, frozenset[str]], current: str, to: str) -> bool:
    return to in moves.get(current, frozenset())


# --- timing -----------------------------------------------------------------------------------------------------


def too_late(*, shift_start: datetime, now: datetime) -> bool:
    """A shift that has started is past: nobody posts, claims or approves it any more (issue 24, bad input)."""
    return shift_start <= now


def give_away_deadline(shift_start: datetime, hours: int) -> datetime:
    """Item 2: if nobody has taken a given-away shift `hours` before it starts, the team lead is told."""
    return shift_start - timedelta(hours=hours)


def lead_to_be_told(*, deadline: datetime | None, now: datetime, told: bool, is_open: bool) -> bool:
    return is_open and not told and deadline is not None and deadline <= now


# --- fair order and cap (item 4) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    claim_id: int
    profile_id: int
    claimed_at: datetime
    duty_shifts: int  # duty shifts over the last three months (the fairness report's 3-month duty count)


def fair_order(candidates: Iterable[Candidate], rule: str = FEWEST_SHIFTS) -> list[Candidate]:
    """The claims best first by the team's rule: by default the fewest duty shifts over the last three months
    first, then the earliest claim (R-ROSTER-4 over time); `earliest`: the earliest claim first."""
    if rule == EARLIEST:
        return sorted(candidates, key=lambda c: (c.claimed_at, c.claim_id))
    return sorted(candidates, key=lambda c: (c.duty_shifts, c.claimed_at, c.claim_id))


def over_cap(*, taken_this_month: int, cap: int) -> bool:
    """Item 4: a per-person cap of shifts taken from the marketplace per month stops hoarding (0: no cap)."""
    return cap > 0 and taken_this_month >= cap


# --- the taker's role (R-ROSTER-7) -------------------------------------------------------------------------------


def role_for_open_place(*, promotion: bool, roles_on_shift: Iterable[str]) -> str:
    """An open place on a promotion day completes the A/B pair: the primary if the shift has none, else a backup
    (R-ROSTER-7: one primary who answers, backups who assist); any other day a plain member."""
    if not promotion:
        return ROLE_MEMBER
    return ROLE_BACKUP if ROLE_PRIMARY in set(roles_on_shift) else ROLE_PRIMARY
