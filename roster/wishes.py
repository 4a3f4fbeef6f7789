"""The wish window (预排休, issue 26) as pure rules on plain data: when a month's window is open, how many wished
days off a person may mark, and, for a roster, which wishes were granted and why a refused one was not.

Wishes are soft: generation (roster.solver_model, the wish-window terms) weighs them below coverage and this
month's spreads (R-ROSTER-4), so a wish never costs the team a missing person or an uneven month. Fairness across
months: a person whose wished days off were refused last month gets a higher priority this month (`priority`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from dutydesk.months import month_days, previous_month
from roster.instance import Assignment, Instance

GRANTED, CROWDED, BALANCE = "granted", "crowded", "balance"
# A person refused this many wished days off last month (or more) gets the highest priority.
PRIORITY_CAP = 3


def wish_window(month: date, *, opens_day: int, closes_day: int) -> tuple[date, date]:
    """The dates (inclusive) of the month before `month` when wishes for `month` may be marked; a day past that
    month's end means its last day (31: to the end of the month)."""
    before = previous_month(month)
    last = month_days(before)[-1].day
    return before.replace(day=min(opens_day, last)), before.replace(day=min(closes_day, last))


def window_state(month: date, today: date, *, opens_day: int, closes_day: int) -> str:
    """ "early", "open" or "closed" for wishes of `month` on `today`."""
    opens, closes = wish_window(month, opens_day=opens_day, closes_day=closes_day)
    if today < opens:
        return "early"
    return "open" if today <= closes else "closed"


def priority(refused_last_month: int) -> int:
    """1, plus one for each wished day off refused last month, at most PRIORITY_CAP + 1."""
    return 1 + min(max(refused_last_month, 0), PRIORITY_CAP)


@dataclass(frozen=True)
class WishOutcome:
    agent: int
    date: date
    granted: bool
    reason: str  # GRANTED, CROWDED or BALANCE
    params: dict = field(default_factory=dict)  # JSON-ready numbers for the sentence


def wish_outcomes(instance: Instance, assignments: list[Assignment]) -> list[WishOutcome]:
    """Each wished day off of the month, granted or not, and for a refused one why.

    CROWDED: the date needed more people than there were free colleagues who had not wished it off too, so some
    wishes of that date had to be refused (`needed`, `free`: colleagues free that day who did not wish it off,
    `wished`: how many wished it off, `granted`: how many of those were granted). BALANCE: enough colleagues were
    free, but each of them taking the shift instead would have left the month less even (R-ROSTER-4).
    """
    by_date_worked: dict[date, set[int]] = {}
    for a in assignments:  # a shadow shift is a day at work too
        by_date_worked.setdefault(a.date, set()).add(a.agent)
    outcomes = []
    for day in instance.days:
        wishers = [a for a in instance.agents if day.date in a.wishes.days_off]
        if not wishers:
            continue
        working = by_date_worked.get(day.date, set())
        needed = sum(s.headcount for s in day.shifts)
        free_others = sum(
            1
            for a in instance.agents
            if a.qualified and a.is_free(day.date) and day.date not in a.wishes.days_off and _can_work(a, day)
        )
        granted = sum(a.id not in working for a in wishers)
        for agent in sorted(wishers, key=lambda a: a.id):
            if agent.id not in working:
                outcomes.append(WishOutcome(agent.id, day.date, True, GRANTED))
                continue
            params = {"needed": needed, "free": free_others, "wished": len(wishers), "granted": granted}
            reason = CROWDED if free_others < needed else BALANCE
            outcomes.append(WishOutcome(agent.id, day.date, False, reason, params))
    return outcomes


def _can_work(agent, day) -> bool:
    return any(shift.skills <= agent.skills for shift in day.shifts)


def granted_counts(outcomes: list[WishOutcome]) -> dict[int, tuple[int, int]]:
    """{agent: (granted, wished)}."""
    counts: dict[int, list[int]] = {}
    for outcome in outcomes:
        row = counts.setdefault(outcome.agent, [0, 0])
        row[0] += outcome.granted
        row[1] += 1
    return {agent: (g, t) for agent, (g, t) in counts.items()}
