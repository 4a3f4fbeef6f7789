"""A first roster without CP-SAT: day by day, the least loaded agents first, every shift filled when the day allows.

It is CP-SAT's starting point and the fallback when the search finds nothing in time (a 1,000-agent month on a
busy machine), so it must keep every hard rule except coverage (R-ROSTER-3, -5, -6, -7, -8) and fill as many
places as the day allows. Each day is a matching of free agents to shift places: agents are taken in order of
priority and kept whenever some chain of moves makes room for them (the greedy algorithm on the day's transversal
matroid), so a day is filled completely whenever any assignment of that day's free agents can fill it.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from datetime import date

from roster import law
from roster.instance import (
    ROLE_BACKUP,
    ROLE_MEMBER,
    ROLE_PRIMARY,
    ROLE_SHADOW,
    Agent,
    Assignment,
    DutyDay,
    Instance,
    Shift,
)


def greedy_roster(instance: Instance) -> list[Assignment]:
    return _Greedy(instance).roster()


class _Greedy:
    """The running counts of the month so far, and the day-by-day filling."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.limit = instance.settings.max_consecutive_nights
        self.qualified = [a for a in instance.agents if a.qualified]
        agents = instance.agents
        self.load = {a.id: 0 for a in agents}
        self.nights = {a.id: 0 for a in agents}
        self.holidays = {a.id: 0 for a in agents}
        self.run = {a.id: a.trailing_nights for a in agents}  # nights in a row up to the previous duty day
        self.shadows_left = {a.id: a.shadow_shifts_needed for a in agents if not a.qualified}
        self.free_ahead = {a.id: sum(a.is_free(d.date) for d in instance.days) for a in agents}
        self.previous: dict[int, tuple[date, Shift]] = {}
        self.law = law.Tracker(law.terms_for(instance))  # R-LAW-1, -2, -4 as the roster grows
        n = max(len(law.balanced_agents(instance)), 1)
        self.share = sum(s.headcount for d in instance.days for s in d.shifts) / n

    def roster(self) -> list[Assignment]:
        chosen: list[Assignment] = []
        for day in self.instance.days:
            for agent in self.instance.agents:
                self.free_ahead[agent.id] -= agent.is_free(day.date)
            placed = self._fill_day(day)
            today: dict[int, Shift] = {}
            for shift in day.shifts:
                roles = _roles(day, shift)
                for n, agent_id in enumerate(sorted(placed.get(shift.key, []), key=lambda i: (self.load[i], i))):
                    role = roles[0] if n == 0 or len(roles) == 1 else roles[1]
                    chosen.append(Assignment(agent_id, day.date, shift.key, role))
                    today[agent_id] = shift
            for agent_id, shift in today.items():
                self.load[agent_id] += 1
                self.nights[agent_id] += shift.night
                self.holidays[agent_id] += day.holiday
            chosen += self._shadows(day, today)
            for agent_id, shift in today.items():
                self.law.add(self.instance.agents_by_id[agent_id], day, shift)
            for agent in self.instance.agents:
                held = today.get(agent.id)
                self.run[agent.id] = self.run[agent.id] + 1 if held is not None and held.night else 0
                if held is not None:
                    self.previous[agent.id] = (day.date, held)
        # The order of a solved roster: date, shift position in its day, agent.
        position = {(d.date, s.key): i for d in self.instance.days for i, s in enumerate(d.shifts)}
        return sorted(chosen, key=lambda a: (a.date, position[(a.date, a.shift)], a.agent))

    def _options(self, day: DutyDay, room: dict[str, int]) -> dict[int, list[str]]:
        options = {}
        for agent in self.qualified:
            if not agent.is_free(day.date):  # R-ROSTER-8
                continue
            keys = [
                s.key
                for s in day.shifts
                if s.key in room
                and s.skills <= agent.skills  # R-ROSTER-5
                and not (s.night and self.run[agent.id] >= self.limit)  # R-ROSTER-3
                and not _overlaps_previous(self.previous.get(agent.id), day, s)  # R-ROSTER-8 across midnight
                and self.law.allows(agent, day, s)  # R-LAW-1, -2, -4
            ]
            if keys:
                options[agent.id] = keys
        return options

    def _priority(self, day: DutyDay, agent_id: int) -> tuple[int | bool, ...]:
        # Fewest shifts first (on a holiday, fewest holiday shifts first); then whoever has few free days left
        # to reach the share; then whoever worked less in the previous 3 months (R-ROSTER-4); then wishes.
        agent = self.instance.agents_by_id[agent_id]
        urgent = self.free_ahead[agent_id] < math.ceil(self.share) - self.load[agent_id]
        first = (self.load[agent_id], self.holidays[agent_id]) if day.holiday else (self.load[agent_id],)
        return (*first, not urgent, self.nights[agent_id], agent.history.duty, _wish(agent, day), agent_id)

    def _night_priority(self, day: DutyDay, agent_id: int) -> tuple[int | bool, ...]:
        agent = self.instance.agents_by_id[agent_id]
        return (self.load[agent_id], self.nights[agent_id], agent.history.night, *self._priority(day, agent_id))

    def _fill_day(self, day: DutyDay) -> dict[str, list[int]]:
        """Who holds which shift of `day`: one shift per agent, at most the headcount per shift.

        Nights first, to the night-capable agents with the fewest nights; then every other shift to the agents
        with the fewest shifts. Should fixing the nights first leave a place empty that one matching of the day
        would fill, the day is matched in one go instead: coverage comes before balance.
        """
        room = {s.key: s.headcount for s in day.shifts if s.headcount > 0}
        options = self._options(day, room)
        night_room = {s.key: room[s.key] for s in day.shifts if s.night and s.key in room}
        by_priority = sorted(options, key=lambda i: self._priority(day, i))
        if not night_room:
            return _match(by_priority, options, room, {})
        night_options = {i: [k for k in keys if k in night_room] for i, keys in options.items()}
        night_options = {i: keys for i, keys in night_options.items() if keys}
        night_order = sorted(night_options, key=lambda i: self._night_priority(day, i))
        nights = _match(night_order, night_options, night_room, {})
        fixed = {i for agents in nights.values() for i in agents}
        placed = _match([i for i in by_priority if i not in fixed], options, room, nights)
        if sum(map(len, placed.values())) < sum(room.values()):
            at_once = _match(by_priority, options, room, {})
            if sum(map(len, at_once.values())) > sum(map(len, placed.values())):
                return at_once
        return placed

    def _shadows(self, day: DutyDay, today: dict[int, Shift]) -> list[Assignment]:
        # R-ROSTER-6: a new hire beside whoever is already placed; one shadow per shift; their nights count
        # (R-ROSTER-3).
        staffed = {shift.key for shift in today.values()}
        placed = []
        for shift in day.shifts:
            if shift.key not in staffed:
                continue
            for agent in self.instance.agents:
                if (
                    self.shadows_left.get(agent.id, 0) > 0
                    and agent.id not in today
                    and agent.is_free(day.date)
                    and not (shift.night and self.run[agent.id] >= self.limit)
                    and not _overlaps_previous(self.previous.get(agent.id), day, shift)
                    and self.law.allows(agent, day, shift)
                ):
                    placed.append(Assignment(agent.id, day.date, shift.key, ROLE_SHADOW))
                    today[agent.id] = shift
                    self.shadows_left[agent.id] -= 1
                    break
        return placed


def _roles(day: DutyDay, shift: Shift) -> tuple[str, ...]:
    # R-ROSTER-7: on a promotion day the first person is the A role, the others B.
    return (
        (ROLE_PRIMARY, ROLE_BACKUP)
        if day.promotion and shift.headcount >= 2
        else (ROLE_PRIMARY,)
        if day.promotion
        else (ROLE_MEMBER,)
    )


def _match(
    order: list[int], options: dict[int, list[str]], room: dict[str, int], fixed: dict[str, list[int]]
) -> dict[str, list[int]]:
    """Agents in `order` onto places, each kept whenever some chain of moves makes room (agents in `fixed` stay
    where they are). Scarce shifts (few candidates per place) are offered first."""
    candidates: dict[str, int] = defaultdict(int)
    for agent_id in order:
        for key in options[agent_id]:
            candidates[key] += 1
    pressure = {key: room[key] / max(candidates[key], 1) for key in room}
    placed: dict[str, list[int]] = {key: list(fixed.get(key, [])) for key in room}
    movable: dict[str, list[int]] = {key: [] for key in room}
    needed = sum(room.values()) - sum(map(len, placed.values()))
    for agent_id in order:
        if needed <= 0:
            break
        keys = sorted(options[agent_id], key=lambda k: (-pressure[k], k))
        open_key = next((k for k in keys if len(placed[k]) < room[k]), None)
        if open_key is None:
            path = _augmenting_path(keys, movable, placed, room, options)
            if path is None:
                continue
            for mover, source, target in path:
                for table in (placed, movable):
                    table[source].remove(mover)
                    table[target].append(mover)
            open_key = path[0][1]
        placed[open_key].append(agent_id)
        movable[open_key].append(agent_id)
        needed -= 1
    return placed


def _augmenting_path(
    start: list[str],
    movable: dict[str, list[int]],
    placed: dict[str, list[int]],
    room: dict[str, int],
    options: dict[int, list[str]],
) -> list[tuple[int, str, str]] | None:
    """Moves (agent, from shift, to shift) that free a place in one of `start` by filling an open shift."""
    came_from: dict[str, tuple[int, str] | None] = {key: None for key in start}
    queue = deque(start)
    while queue:
        key = queue.popleft()
        for mover in movable[key]:
            for target in options[mover]:
                if target not in room or target in came_from:
                    continue
                came_from[target] = (mover, key)
                if len(placed[target]) < room[target]:
                    moves, node = [], target
                    step = came_from[node]
                    while step is not None:
                        agent_id, source = step
                        moves.append((agent_id, source, node))
                        node = source
                        step = came_from[node]
                    return moves[::-1]  # the first move frees a place in one of `start`
                queue.append(target)
    return None


def _wish(agent: Agent, day: DutyDay) -> int:
    # A wished day off of the wish window (issue 26) last, and last of all for whoever was refused last month.
    if day.date in agent.wishes.days_off:
        return 2 + agent.wishes.priority
    return 0 if day.date in agent.preferred else 2 if day.date in agent.prefer_off else 1


def _overlaps_previous(previous: tuple[date, Shift] | None, day: DutyDay, shift: Shift) -> bool:
    if previous is None:
        return False
    other_date, other = previous
    start_a, end_a = other.interval(other_date)
    start_b, end_b = shift.interval(day.date)
    return start_a < end_b and start_b < end_a
