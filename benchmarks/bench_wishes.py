"""Wished days off (预排休, issue 26) in generation: how many are granted in a 200-agent month, and what they cost
the balance (R-ROSTER-4) — the same month solved with the wishes and with the team's wish weight at 0.

The months are bench_solver's (June 2026, skills spread as in real teams; the light month and today's demand).
On top, 60 % of the qualified agents wish 2 of their free duty days off, and a fifth of those were refused last
month (priority 2). Everything is recounted here from the instance and the assignments by code that shares
nothing with the solver: hard rules by roster.rules.check_roster, spreads by bench_solver's counting functions
plus a holiday count below, granted wishes by looking for a shift on the wished date.

Target: wishes must not cost the balance more than one shift of spread in any category (`spread_cost` <= 1).
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

if not __package__:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_solver import build_instance, counts, spread  # noqa: E402
from roster.instance import Assignment, Instance, Wishes  # noqa: E402
from roster.rules import check_roster  # noqa: E402
from roster.solver import solve  # noqa: E402

AGENTS = 200
SEED = 0
WISHING_SHARE = 0.6
REFUSED_LAST_MONTH_SHARE = 0.2


def with_wishes(instance: Instance, seed: int) -> Instance:
    rng = random.Random(f"bench-wishes-{seed}")
    agents = []
    for agent in instance.agents:
        free = [d.date for d in instance.days if agent.is_free(d.date)]
        if agent.qualified and len(free) >= 4 and rng.random() < WISHING_SHARE:
            days = frozenset(rng.sample(free, 2))
            priority = 2 if rng.random() < REFUSED_LAST_MONTH_SHARE else 1
            agent = replace(agent, wishes=Wishes(days_off=days, priority=priority))
        agents.append(agent)
    return replace(instance, agents=tuple(agents))


def holiday_counts(instance: Instance, assignments: list[Assignment]) -> list[int]:
    holidays = {d.date for d in instance.days if d.holiday}
    result = {a.id: 0 for a in instance.agents if a.qualified}
    for a in assignments:
        if a.role != "shadow" and a.agent in result and a.date in holidays:
            result[a.agent] += 1
    return list(result.values())


def spreads(instance: Instance, assignments: list[Assignment]) -> dict[str, int]:
    per_agent = counts(instance, assignments)
    return {
        "duty": spread([duty for duty, _night in per_agent.values()]),
        "night": spread([night for _duty, night in per_agent.values()]),
        "holiday": spread(holiday_counts(instance, assignments)),
    }


def granted(instance: Instance, assignments: list[Assignment], *, priority: int | None = None) -> tuple[int, int]:
    working = {(a.agent, a.date) for a in assignments}
    wished = [
        (agent.id, day)
        for agent in instance.agents
        if priority is None or agent.wishes.priority == priority
        for day in agent.wishes.days_off
    ]
    return sum(w not in working for w in wished), len(wished)


def main(argv: list[str] | None = None) -> int:
    for tight in (False, True):
        base = build_instance(AGENTS, tight=tight, seed=SEED, time_limit_s=10.0, workers=2)
        wishing = with_wishes(base, SEED)
        on = solve(replace(wishing, settings=replace(wishing.settings, wish_weight=3)))
        off = solve(replace(wishing, settings=replace(wishing.settings, wish_weight=0)))
        name = f"roster.generate.agents{AGENTS}{'.tight' if tight else ''}"
        g, total = granted(wishing, on.assignments)
        g_off, _ = granted(wishing, off.assignments)
        g_first, total_first = granted(wishing, on.assignments, priority=2)
        with_on, with_off = spreads(wishing, on.assignments), spreads(wishing, off.assignments)
        cost = max(with_on[c] - with_off[c] for c in with_on)
        lines = [
            ("wishes_granted_pct", f"{100 * g / total:.1f}", "%"),
            ("wishes_granted_pct.refused_last_month", f"{100 * g_first / total_first:.1f}", "%"),
            ("wishes_granted_pct.weight0", f"{100 * g_off / total:.1f}", "%"),
            ("wishes.violations", str(len(check_roster(wishing, on.assignments))), "count"),
            *[(f"wishes.{c}_spread_all", str(v), "shifts") for c, v in with_on.items()],
            *[(f"weight0.{c}_spread_all", str(v), "shifts") for c, v in with_off.items()],
            ("wishes.spread_cost", str(cost), "shifts"),
        ]
        for key, value, unit in lines:
            print(f"BENCH {name}.{key} {value} {unit}", flush=True)
        print(f"# {name}: {total} wished days off, {total_first} of people refused last month", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
