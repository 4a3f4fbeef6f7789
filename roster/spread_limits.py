"""Why a month cannot be balanced to a spread of 1 (R-ROSTER-4): honest lower bounds on max - min, with causes.

Pure, like roster.rules. Skills decide who may take a shift (R-ROSTER-5), leave or declared unavailability who
is free (R-ROSTER-8), and the working-time law how much each person may work (a rest day each week, the
extended-hours cap, protection periods: roster.law.capacity); each can force the team's spread above 1 whatever
the roster. The bounds below ignore every other rule (night runs, overlaps), and count each of the law's rules on
its own, so each is a true lower bound: no roster of these places does better. Whoever the law keeps off every
shift of the month is not compared at all (roster.law.excluded).

For one count (duty, night or holiday shifts) with D places filled over the n qualified agents:
- someone works at least ceil(D / n), and someone at most floor(D / n);
- the agents holding skills R (every skill a shift needs, or one of them) must fill every place needing R among
  themselves: someone of them works at least the smallest h with sum(min(capacity, h)) >= those places;
- the agents without R share at most the places not needing R, so one of them works at most their average;
- an agent free on few duty days (or whose skills fit few shifts) works at most that capacity.
The spread is at least (highest of the "at least") - (lowest of the "at most"). A cause is reported when it alone
keeps the spread at 2 or more against the team's average; its figures are what a supervisor can recount.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from roster import law
from roster.instance import COUNTED_ROLES, Agent, Assignment, Instance

CATEGORIES = ("duty", "night", "holiday")
SKILL, FEW_CAPABLE, LEAVE, FEW_SKILLS, WITHOUT_SKILL = "skill", "few_capable", "leave", "few_skills", "without_skill"
NIGHT_ONLY, WORKING_TIME = "night_only", "working_time"
_Slot = tuple[date, str]


@dataclass(frozen=True)
class Limit:
    """One cause that keeps the spread of `category` at `bound` or more.

    skill: only `agents` (holders of `skills`) may fill `places` places, so one of them works at least `count`.
    few_capable: only `agents` can take any of the `places` places of the category at all (skills and free days).
    leave / few_skills: `agents` can work at most `count` shifts of the category (free days / fitting shifts).
    working_time: `agents` can work at most `count` shifts of the category under the working-time law.
    without_skill: `agents` (not holding `skills`) share at most `places` places, so one works at most `count`.
    night_only: `agents` fit night shifts only, so keeping their duty within 1 of the team's (`places` duty places)
    means at least `count` nights each: the price of duty balance, not a bound on nights alone.
    `average` is the team's average of the category (D / n).
    """

    category: str
    cause: str
    agents: tuple[int, ...]
    places: int
    count: int
    average: float
    bound: int
    skills: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "cause": self.cause,
            "agents": list(self.agents),
            "places": self.places,
            "count": self.count,
            "average": round(self.average, 2),
            "bound": self.bound,
            "skills": list(self.skills),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Limit:
        return cls(
            category=data["category"],
            cause=data["cause"],
            agents=tuple(data["agents"]),
            places=data["places"],
            count=data["count"],
            average=data["average"],
            bound=data["bound"],
            skills=tuple(data.get("skills", ())),
        )


def spread_limits(instance: Instance, assignments: Iterable[Assignment]) -> tuple[dict[str, int], list[Limit]]:
    """({category: lower bound on its spread}, causes of any bound of 2 or more), for the places `assignments`
    fill (the roster as it is: a shift left short does not count as demand)."""
    places = _places(instance, assignments)
    qualified = law.balanced_agents(instance)
    bounds, causes = {}, []
    for category in CATEGORIES:
        slots = _category_slots(instance, category)
        bound, found = _limits(instance, qualified, category, {s: places.get(s, 0) for s in slots})
        bounds[category] = bound
        causes += found
    night_only = _night_only(instance, qualified, places)
    if night_only is not None and night_only.bound >= 2 and night_only.bound > bounds["night"]:
        causes.append(night_only)
    return bounds, causes


def _night_only(instance: Instance, qualified: list[Agent], places: dict[_Slot, int]) -> Limit | None:
    """Agents whose skills fit night shifts only: duty balance makes them work nights (see Limit)."""
    if not qualified:
        return None
    shifts = {(d.date, s.key): s for d in instance.days for s in d.shifts}
    filled = [slot for slot, p in places.items() if p]
    duty_total = sum(places[slot] for slot in filled)
    night_total = sum(places[slot] for slot in filled if shifts[slot].night)
    dates = frozenset(day for day, _key in filled)
    needed = frozenset().union(*(shifts[slot].skills for slot in filled))
    agents, counts = [], []
    # The same free dates and needed skills, the same answer (see _room).
    alike: dict[tuple[object, ...], int | None] = {}
    for agent in qualified:
        key = (_away(agent, dates), agent.skills & needed)
        if key not in alike:
            fitting = [slot for slot in filled if agent.is_free(slot[0]) and shifts[slot].skills <= agent.skills]
            alike[key] = None
            if fitting and all(shifts[slot].night for slot in fitting):
                alike[key] = min(
                    _capacity(fitting, instance.settings.max_shifts_per_day), math.ceil(duty_total / len(qualified)) - 1
                )
        found = alike[key]
        if found is not None:
            agents.append(agent.id)
            counts.append(found)
    if not agents:
        return None
    count = min(counts)
    average = night_total / len(qualified)
    return Limit("night", NIGHT_ONLY, tuple(agents), duty_total, count, average, count - night_total // len(qualified))


def _away(agent: Agent, dates: frozenset[date]) -> frozenset[date]:
    """The dates among `dates` the agent is not free (Agent.is_free): people alike in these have the same room."""
    return (agent.leave | agent.unavailable) & dates


def _places(instance: Instance, assignments: Iterable[Assignment]) -> dict[_Slot, int]:
    held: dict[_Slot, set[int]] = defaultdict(set)
    slots = {(d.date, s.key) for d in instance.days for s in d.shifts}
    for a in assignments:
        if a.role in COUNTED_ROLES and (a.date, a.shift) in slots:
            held[(a.date, a.shift)].add(a.agent)
    return {slot: len(agents) for slot, agents in held.items()}


def _category_slots(instance: Instance, category: str) -> list[_Slot]:
    return [
        (day.date, shift.key)
        for day in instance.days
        for shift in day.shifts
        if category == "duty" or (category == "night" and shift.night) or (category == "holiday" and day.holiday)
    ]


def _limits(
    instance: Instance, qualified: list[Agent], category: str, places: dict[_Slot, int]
) -> tuple[int, list[Limit]]:
    """The lower bound on the category's spread and its causes: the highest "someone works at least" minus the
    lowest "someone works at most" (see the module's docstring), each with the Limit that explains it."""
    total = sum(places.values())
    n = len(qualified)
    if not n or not total:
        return 0, []
    month = _Month(category, total, n, places, [slot for slot, p in places.items() if p])
    room = _room(instance, qualified, month.filled)
    high: list[_Level] = [(month.ceil_average, None)]
    low: list[_Level] = [(month.floor_average, None)]
    high += _few_capable(month, qualified, room)
    for skills in _skill_groups(month.filled, room.skills_of):
        high += _skill_holders(month, qualified, room, skills)
        low += _without_skill(month, qualified, room, skills)
    low += _few_free_days_or_skills(month, qualified, room)
    return _bound_and_causes(month, high, low)


# A bound on someone's count of the category, and the cause that gives it (None: the team's average alone).
_Level = tuple[int, Limit | None]


@dataclass(frozen=True)
class _Month:
    """The places of one category: `total` over `n` qualified agents, `filled` the slots with a place."""

    category: str
    total: int
    n: int
    places: dict[_Slot, int]
    filled: list[_Slot]

    @property
    def average(self) -> float:
        return self.total / self.n

    @property
    def ceil_average(self) -> int:
        return math.ceil(self.total / self.n)

    @property
    def floor_average(self) -> int:
        return self.total // self.n


@dataclass(frozen=True)
class _Room:
    """Per agent, the filled slots on their free days (`free_slots`) and those their skills fit (`fitting`), and
    how many of each they could take (`free_capacity`, `skill_capacity`; `capacity`: the skills' within what the
    working-time law allows)."""

    skills_of: dict[_Slot, frozenset[str]]
    per_day: int
    fitting: dict[int, list[_Slot]]
    capacity: dict[int, int]
    free_capacity: dict[int, int]
    skill_capacity: dict[int, int]


def _room(instance: Instance, qualified: list[Agent], filled: list[_Slot]) -> _Room:
    skills_of = {(d.date, s.key): s.skills for d in instance.days for s in d.shifts}
    per_day = instance.settings.max_shifts_per_day
    dates = frozenset(day for day, _key in filled)
    needed = frozenset().union(*(skills_of[slot] for slot in filled))
    fitting: dict[int, list[_Slot]] = {}
    capacity: dict[int, int] = {}
    free_capacity: dict[int, int] = {}
    skill_capacity: dict[int, int] = {}
    # People alike in everything their room depends on (which of these dates they are free, which of the needed
    # skills they hold, what the working-time law knows of them) have the same room: worked out once for them all.
    alike: dict[tuple[object, ...], tuple[list[_Slot], int, int, int]] = {}
    for a in qualified:
        key = (
            _away(a, dates),
            a.skills & needed,
            a.protections,
            a.other_shifts,
            a.comp_time,
        )
        room = alike.get(key)
        if room is None:
            free_slots = [slot for slot in filled if a.is_free(slot[0])]
            fits = [slot for slot in free_slots if skills_of[slot] <= a.skills]
            by_skills = _capacity(fits, per_day)
            # R-LAW-1, -2, -4: at most what the law lets each person work of those shifts.
            by_law = min(by_skills, law.capacity(instance, a, fits, per_day))
            room = alike[key] = (fits, by_law, _capacity(free_slots, per_day), by_skills)
        fitting[a.id], capacity[a.id], free_capacity[a.id], skill_capacity[a.id] = room
    return _Room(skills_of, per_day, fitting, capacity, free_capacity, skill_capacity)


def _few_capable(month: _Month, qualified: list[Agent], room: _Room) -> list[_Level]:
    """Only some agents can take any place at all: filling every place pushes one of them above the average."""
    fill_all = _water_level(list(room.capacity.values()), month.total)
    if fill_all <= month.ceil_average:
        return []
    capable = tuple(a.id for a in qualified if room.capacity[a.id] > 0)
    return [(fill_all, Limit(month.category, FEW_CAPABLE, capable, month.total, fill_all, month.average, 0))]


def _skill_holders(month: _Month, qualified: list[Agent], room: _Room, skills: frozenset[str]) -> list[_Level]:
    """The holders of `skills` fill every place needing them among themselves: one works at least `level`."""
    needing = {slot for slot in month.filled if skills <= room.skills_of[slot]}
    needed = sum(month.places[slot] for slot in needing)
    holders = [a for a in qualified if skills <= a.skills]
    if not holders:
        return []
    holder_caps = [
        min(_capacity([slot for slot in room.fitting[a.id] if slot in needing], room.per_day), room.capacity[a.id])
        for a in holders
    ]
    level = _water_level(holder_caps, needed)
    if level <= month.ceil_average:
        return []
    agents = tuple(a.id for a in holders)
    return [(level, Limit(month.category, SKILL, agents, needed, level, month.average, 0, tuple(sorted(skills))))]


def _without_skill(month: _Month, qualified: list[Agent], room: _Room, skills: frozenset[str]) -> list[_Level]:
    """The agents without `skills` share at most the places not needing them: one works at most their share."""
    if not any(skills <= a.skills for a in qualified):
        return []  # nobody holds them: the places are not counted as theirs (as _skill_holders finds no holder)
    needed = sum(month.places[slot] for slot in month.filled if skills <= room.skills_of[slot])
    others = [a for a in qualified if not skills <= a.skills]
    if not others or (month.total - needed) // len(others) >= month.floor_average:
        return []
    share = (month.total - needed) // len(others)
    agents = tuple(a.id for a in others)
    limit = Limit(
        month.category, WITHOUT_SKILL, agents, month.total - needed, share, month.average, 0, tuple(sorted(skills))
    )
    return [(share, limit)]


def _few_free_days_or_skills(month: _Month, qualified: list[Agent], room: _Room) -> list[_Level]:
    """Agents free on few duty days (leave), or whose skills fit few shifts, work at most that many."""
    levels: list[_Level] = []
    causes = ((LEAVE, room.free_capacity), (FEW_SKILLS, room.skill_capacity), (WORKING_TIME, room.capacity))
    for cause, caps in causes:
        limited = [a for a in qualified if caps[a.id] < month.floor_average]
        if cause == FEW_SKILLS:
            # Agents already explained by their free days are not explained again by their skills.
            limited = [a for a in limited if room.free_capacity[a.id] >= month.floor_average]
        if cause == WORKING_TIME:
            # ... nor by their skills: the law is named where it alone holds someone below the average.
            limited = [a for a in limited if room.skill_capacity[a.id] >= month.floor_average]
        if limited:
            most = max(caps[a.id] for a in limited)
            agents = tuple(a.id for a in limited)
            levels.append(
                (
                    min(caps[a.id] for a in limited),
                    Limit(month.category, cause, agents, month.total, most, month.average, 0),
                )
            )
    return levels


def _bound_and_causes(month: _Month, high: list[_Level], low: list[_Level]) -> tuple[int, list[Limit]]:
    """The bound (highest "at least" minus lowest "at most"); when it is 2 or more, the causes that alone keep the
    spread at 2 or more against the average, or else the two ends together."""
    top = max(level for level, _ in high)
    bottom = min(level for level, _ in low)
    bound = max(0, top - bottom)
    if bound < 2:
        return bound, []
    causes = []
    for level, limit in high:
        if limit is not None and level - month.floor_average >= 2:
            causes.append(_with_bound(limit, level - bottom))
    for level, limit in low:
        if limit is not None and month.ceil_average - level >= 2:
            causes.append(_with_bound(limit, top - level))
    if not causes:
        # Only the two ends together break spread 1: name both.
        causes = [_with_bound(limit, bound) for _, limit in high + low if limit is not None]
    if any(c.cause == FEW_CAPABLE for c in causes):
        # "Only k agents can take any of them" already says why everyone else stays low.
        causes = [c for c in causes if c.cause not in (WITHOUT_SKILL, FEW_SKILLS, WORKING_TIME)]
    return bound, _distinct(causes)


def _capacity(slots: list[_Slot], per_day: int) -> int:
    """The most of these shifts one agent could take: each at most once, at most `per_day` a date."""
    if per_day == 1:  # the database's rule (R-ROSTER-8): one shift a date, so one place per date
        return len({day for day, _key in slots})
    by_date: dict[date, int] = defaultdict(int)
    for day, _key in slots:
        by_date[day] += 1
    return sum(min(per_day, k) for k in by_date.values())


def _water_level(capacities: list[int], places: int) -> int:
    """The smallest h with sum(min(capacity, h)) >= places: someone works at least h (capacity allowing)."""
    if places <= 0:
        return 0
    if sum(capacities) < places:
        return 0  # a hand edit put people where their skills or leave forbid: this argument proves nothing
    low, high = 0, max(capacities)
    while low < high:
        middle = (low + high) // 2
        if sum(min(c, middle) for c in capacities) >= places:
            high = middle
        else:
            low = middle + 1
    return low


def _skill_groups(filled: list[_Slot], skills_of: dict[_Slot, frozenset[str]]) -> list[frozenset[str]]:
    """Every skill set a filled shift needs, and each single skill in them: the groups whose holders are counted."""
    groups: set[frozenset[str]] = set()
    for slot in filled:
        needed = skills_of[slot]
        if needed:
            groups.add(needed)
            groups.update(frozenset({skill}) for skill in needed)
    return sorted(groups, key=lambda g: (len(g), sorted(g)))


def _with_bound(limit: Limit, bound: int) -> Limit:
    return Limit(
        limit.category, limit.cause, limit.agents, limit.places, limit.count, limit.average, bound, limit.skills
    )


def _distinct(causes: list[Limit]) -> list[Limit]:
    """One cause per fact: a skill set and its single skill with the same holders and places say the same thing."""
    seen, result = set(), []
    for limit in sorted(causes, key=lambda c: (-c.bound, -len(c.skills), c.cause)):
        key = (limit.cause, limit.agents, limit.places)
        if key not in seen:
            seen.add(key)
            result.append(limit)
    return result
