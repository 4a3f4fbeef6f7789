"""Balance a valid roster without CP-SAT: the bridge between the greedy start and the search.

On a large month CP-SAT's neighbourhood search improves a roster by a handful of moves per second, while making a
month even (R-ROSTER-4) takes hundreds of coordinated moves. Here each duty date in turn is re-assigned exactly
with the other dates held fixed: who works that date and on which shift is a small min-cost flow (free agents to
the date's shifts, every place filled), solved by cancelling negative cycles on a graph whose nodes are the
date's shifts plus "not working" (each edge: the cheapest single agent moving between two of them). A cycle is a
chain of moves, e.g. an idle agent takes a day shift, whose holder takes a night shift, whose holder goes home.

The cost of an agent is the month's energy: the squares of their duty, night and holiday shifts (so handing a
shift from an agent with two more than another always pays), plus a small push away from those who worked more
in the previous 3 months and from wishes not honoured. Every move keeps every hard rule (R-ROSTER-3, -5, -7, -8, and
the working-time law R-LAW-1, -2, -4 through roster.law's Tracker;
new hires and their shadow shifts are not touched) and every place filled, so the result is as valid and as
complete as the roster it started from.
"""

from __future__ import annotations

import heapq
import time
from collections import defaultdict
from datetime import date
from typing import cast

from roster import law
from roster.instance import (
    COUNTED_ROLES,
    ROLE_BACKUP,
    ROLE_MEMBER,
    ROLE_PRIMARY,
    Agent,
    Assignment,
    Instance,
    Shift,
)

SQUARE = {"duty": 10000, "night": 1000, "holiday": 500}
HISTORY = 2  # per shift, per shift of history above the team's lowest (capped)
HISTORY_CAP = 12
WISH = 30
WISH_OFF = 10  # per unit of the team's wish weight and the person's priority, as solver_model.W_WISH_OFF


def improve(instance: Instance, assignments: list[Assignment], *, deadline: float) -> list[Assignment]:
    """A roster at least as balanced as `assignments`, made by keeping moves until none helps or time is up."""
    state = _State(instance, assignments)
    if not state.movable:
        return assignments
    while time.monotonic() < deadline:
        if not state.one_pass(deadline):
            break
    return state.assignments()


class _State:
    def __init__(self, instance: Instance, assignments: list[Assignment]) -> None:
        self.instance = instance
        self.days = instance.days
        self.limit = instance.settings.max_consecutive_nights
        self.agents = {a.id: a for a in instance.agents if a.qualified}
        self.shifts = [{s.key: s for s in d.shifts} for d in self.days]
        self.index = {d.date: di for di, d in enumerate(self.days)}
        self.fixed: list[Assignment] = []  # shadows and anything not ours to move
        self.work: dict[int, dict[int, str]] = {i: {} for i in self.agents}  # agent -> day index -> shift key
        self.holders: dict[tuple[int, str], set[int]] = defaultdict(set)
        self.movable = True
        for a in assignments:
            di = self.index.get(a.date)
            if a.agent not in self.agents or a.role not in COUNTED_ROLES or di is None:
                self.fixed.append(a)
                continue
            if di in self.work[a.agent]:
                self.movable = False  # two shifts a date (max_shifts_per_day > 1): leave such a roster alone
            self.work[a.agent][di] = a.shift
            self.holders[(di, a.shift)].add(a.agent)
        self.fixed_nights = defaultdict(set)  # shadows' nights count for R-ROSTER-3 but shadows are never moved
        for a in self.fixed:
            di = self.index.get(a.date)
            if di is not None and a.agent in self.agents and self.shifts[di][a.shift].night:
                self.fixed_nights[a.agent].add(di)
        lowest = {c: min((self._history(a, c) for a in self.agents.values()), default=0) for c in SQUARE}
        self.push = {
            i: {c: min(self._history(a, c) - lowest[c], HISTORY_CAP) for c in SQUARE} for i, a in self.agents.items()
        }
        self.count = {i: self._counts(i) for i in self.agents}
        # R-LAW-1, -2, -4: the law's running state of the whole roster, shadows and fixed shifts included.
        self.law = law.Tracker(law.terms_for(instance))
        for a in assignments:
            day = instance.days_by_date.get(a.date)
            shift = day.shift(a.shift) if day else None
            if day is not None and shift is not None and a.agent in instance.agents_by_id:
                self.law.add(instance.agents_by_id[a.agent], day, shift)

    @staticmethod
    def _history(agent: Agent, category: str) -> int:
        count: int = getattr(agent.history, category)
        return count

    def _counts(self, agent_id: int) -> dict[str, int]:
        work = self.work[agent_id]
        return {
            "duty": len(work),
            "night": sum(self.shifts[di][key].night for di, key in work.items()),
            "holiday": sum(self.days[di].holiday for di in work),
        }

    # --- energy ----------------------------------------------------------------------------------------------

    def _energy(self, agent_id: int, counts: dict[str, int]) -> int:
        push = self.push[agent_id]
        return sum(SQUARE[c] * counts[c] * counts[c] + HISTORY * push[c] * counts[c] for c in SQUARE)

    def _wish_cost(self, agent_id: int, di: int, working: bool) -> int:
        agent = self.agents[agent_id]
        day = self.days[di].date
        if day in agent.wishes.days_off:  # the wish window (issue 26): weighted as the model weighs it
            return WISH_OFF * self.instance.settings.wish_weight * agent.wishes.priority if working else 0
        if day in agent.preferred:
            return 0 if working else WISH
        if day in agent.prefer_off:
            return WISH if working else 0
        return 0

    # --- rules -------------------------------------------------------------------------------------------------

    def _fits(self, agent_id: int, di: int, key: str) -> bool:
        """Could the agent, not working on day `di`, hold `key` that day?"""
        agent = self.agents[agent_id]
        shift = self.shifts[di][key]
        day = self.days[di]
        if not agent.is_free(day.date) or not shift.skills <= agent.skills:  # R-ROSTER-8, -5
            return False
        work = self.work[agent_id]
        for other in (di - 1, di + 1):  # R-ROSTER-8: a night running into the next date's early shift
            if other in work and _overlap(self.days[other].date, self.shifts[other][work[other]], day.date, shift):
                return False
        if shift.night and self._night_run(agent_id, di) > self.limit:  # R-ROSTER-3
            return False
        return self.law.allows(agent, day, shift)  # R-LAW-1, -2, -4

    def _is_night(self, agent_id: int, di: int) -> bool:
        key = self.work[agent_id].get(di)
        return (key is not None and self.shifts[di][key].night) or di in self.fixed_nights[agent_id]

    def _night_run(self, agent_id: int, di: int) -> int:
        back = 0
        while di - 1 - back >= 0 and self._is_night(agent_id, di - 1 - back):
            back += 1
        if back == di:
            back += self.agents[agent_id].trailing_nights
        forward = 0
        while di + 1 + forward < len(self.days) and self._is_night(agent_id, di + 1 + forward):
            forward += 1
        return back + 1 + forward

    # --- one date at a time ----------------------------------------------------------------------------------

    def one_pass(self, deadline: float) -> bool:
        improved = False
        for di in range(len(self.days)):
            if time.monotonic() >= deadline:
                return improved
            improved |= self._optimise_day(di, deadline)
        return improved

    def _categories(self, di: int, key: str) -> dict[str, int]:
        return {"duty": 1, "night": int(self.shifts[di][key].night), "holiday": int(self.days[di].holiday)}

    def _optimise_day(self, di: int, deadline: float) -> bool:
        keys = [k for k, s in self.shifts[di].items() if s.headcount > 0]
        idle = len(keys)  # node index of "not working"
        day = self.days[di]
        cost: dict[int, list[int | None]] = {}
        where: dict[int, int] = {}
        for agent_id, agent in self.agents.items():
            if not agent.is_free(day.date):
                continue
            current = self.work[agent_id].get(di)
            if current is not None and current not in keys:
                continue  # a shift without headcount: leave it alone
            if current is not None:
                self._leave(agent_id, di)
            base = self.count[agent_id]
            row: list[int | None] = []
            for key in keys:
                if self._fits(agent_id, di, key):
                    counts = _add(base, self._categories(di, key))
                    row.append(self._energy(agent_id, counts) + self._wish_cost(agent_id, di, True))
                else:
                    row.append(None)
            row.append(self._energy(agent_id, base) + self._wish_cost(agent_id, di, False))
            if current is not None:
                self._take(agent_id, di, current)
            cost[agent_id] = row
            where[agent_id] = keys.index(current) if current is not None else idle
        # Cheapest move of a single agent from node u to node v, kept in lazily cleaned heaps.
        heaps: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)

        def push(agent_id: int) -> None:
            u, row = where[agent_id], cost[agent_id]
            here = cast(int, row[u])  # the agent's own node always fits: it is where they stand
            for v, c in enumerate(row):
                if v != u and c is not None:
                    heapq.heappush(heaps[(u, v)], (c - here, agent_id))

        for agent_id in cost:
            push(agent_id)
        improved = False
        while time.monotonic() < deadline:
            edges = {}
            for (u, v), heap in heaps.items():
                while heap and where[heap[0][1]] != u:
                    heapq.heappop(heap)
                if heap:
                    edges[(u, v)] = heap[0]
            cycle = _negative_cycle(idle + 1, edges)
            if cycle is None:
                break
            moves = [(edges[(u, v)][1], v) for u, v in cycle]
            for agent_id, v in moves:
                where[agent_id] = v
            for agent_id, _v in moves:
                push(agent_id)
            improved = True
        if improved:
            for agent_id, node in where.items():
                current = self.work[agent_id].get(di)
                wanted = keys[node] if node != idle else None
                if current != wanted:
                    if current is not None:
                        self._leave(agent_id, di)
                    if wanted is not None:
                        self._take(agent_id, di, wanted)
        return improved

    def _leave(self, agent_id: int, di: int) -> None:
        key = self.work[agent_id].pop(di)
        self.holders[(di, key)].discard(agent_id)
        self.law.remove(self.agents[agent_id], self.days[di], self.shifts[di][key])
        for c, v in self._categories(di, key).items():
            self.count[agent_id][c] -= v

    def _take(self, agent_id: int, di: int, key: str) -> None:
        self.work[agent_id][di] = key
        self.holders[(di, key)].add(agent_id)
        self.law.add(self.agents[agent_id], self.days[di], self.shifts[di][key])
        for c, v in self._categories(di, key).items():
            self.count[agent_id][c] += v

    def assignments(self) -> list[Assignment]:
        result = list(self.fixed)
        for (di, key), agents in self.holders.items():
            day = self.days[di]
            ordered = sorted(agents, key=lambda i: (self.count[i]["duty"], i))
            for n, agent_id in enumerate(ordered):
                # R-ROSTER-7: one A role per promotion shift, the others B.
                role = ROLE_MEMBER if not day.promotion else ROLE_PRIMARY if n == 0 else ROLE_BACKUP
                result.append(Assignment(agent_id, day.date, key, role))
        position = {(d.date, s.key): i for d in self.days for i, s in enumerate(d.shifts)}
        return sorted(result, key=lambda a: (a.date, position[(a.date, a.shift)], a.agent))


def _add(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    return {c: a.get(c, 0) + b.get(c, 0) for c in SQUARE}


def _overlap(day_a: date, shift_a: Shift, day_b: date, shift_b: Shift) -> bool:
    start_a, end_a = shift_a.interval(day_a)
    start_b, end_b = shift_b.interval(day_b)
    return start_a < end_b and start_b < end_a


def _negative_cycle(n: int, edges: dict[tuple[int, int], tuple[int, int]]) -> list[tuple[int, int]] | None:
    """A cycle of negative total weight among n nodes (Bellman-Ford from a virtual source), as (u, v) edges."""
    distance = [0] * n
    before: list[int | None] = [None] * n
    last = None
    for _ in range(n):
        last = None
        for (u, v), (weight, _agent) in edges.items():
            if distance[u] + weight < distance[v]:
                distance[v] = distance[u] + weight
                before[v] = u
                last = v
        if last is None:
            return None
    # Every node from here back was relaxed, so it has a predecessor (never None).
    node = cast(int, last)
    for _ in range(n):  # step back n times to be sure to stand on the cycle
        node = cast(int, before[node])
    cycle, current = [], node
    while True:
        previous = cast(int, before[current])
        cycle.append((previous, current))
        current = previous
        if current == node:
            break
    cycle.reverse()
    return cycle
