"""Roster generation benchmark: synthetic December 2026 months for 50, 200 and 1,000 agents.

    python benchmarks/bench_solver.py [--sizes 50 200 1000] [--seed 0] [--time-limit 10] [--workers 2]

Prints `BENCH <name> <value> <unit>` lines on stdout (one per figure) and a human summary on stderr.
Target (R-ROSTER-4 balance at team scale): 200 agents -> 0 violations, duty spread <= 1, within 10 s on 2 cores.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, time, timedelta
from pathlib import Path

if not __package__:  # run as a script: make the repository importable (no effect when imported)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roster.instance import Agent, DutyDay, History, Instance, Settings, Shift  # noqa: E402
from roster.solver import solve  # noqa: E402

SIZES = (50, 200, 1000)
SKILLS = ("refunds", "cross-border", "VIP", "after-sales")
MONTH = "2026-12"
PROMOTION_DAYS = {date(2026, 12, 12)}  # 双十二


def december_duty_dates() -> list[date]:
    # R-ROSTER-1: Saturdays and Sundays; December 2026 has no statutory holiday, so 8 duty days.
    first = date(2026, 12, 1)
    return [first + timedelta(days=i) for i in range(31) if (first + timedelta(days=i)).weekday() >= 5]


def shifts_for(n_agents: int) -> tuple[Shift, ...]:
    """Three shifts whose headcounts use about 70% of the agent-days (one shift per agent per day)."""
    return (
        Shift("day", "白班", time(9), time(17), False, round(0.30 * n_agents), frozenset({"refunds"})),
        Shift("evening", "晚班", time(14), time(22), False, round(0.24 * n_agents), frozenset({"cross-border"})),
        Shift("night", "夜班", time(22), time(6), True, round(0.14 * n_agents), frozenset({"VIP"})),
    )


def build_instance(n_agents: int, *, seed: int = 0, time_limit_s: float = 10.0, workers: int = 2) -> Instance:
    rng = random.Random(seed * 100_003 + n_agents)
    dates = december_duty_dates()
    days = tuple(DutyDay(d, holiday=False, promotion=d in PROMOTION_DAYS, shifts=shifts_for(n_agents)) for d in dates)
    agents = tuple(_agent(rng, i + 1, dates) for i in range(n_agents))
    settings = Settings(time_limit_s=time_limit_s, seed=seed, workers=workers)
    return Instance(month=MONTH, agents=agents, days=days, settings=settings)


def _agent(rng: random.Random, agent_id: int, dates: list[date]) -> Agent:
    new_hire = rng.random() < 0.05
    # Everyone handles refunds; the other skills are spread so that each shift has a pool ~1.5-2x its demand.
    optional = (("cross-border", 0.5), ("VIP", 0.4), ("after-sales", 0.3))
    skills = {"refunds"} | {skill for skill, share in optional if rng.random() < share}
    leave = _some(rng, dates, 0.10, 2)
    unavailable = _some(rng, [d for d in dates if d not in leave], 0.15, 1)
    free = [d for d in dates if d not in leave and d not in unavailable]
    preferred = _some(rng, free, 0.10, 1)
    prefer_off = _some(rng, [d for d in free if d not in preferred], 0.10, 1)
    return Agent(
        id=agent_id,
        name=f"客服{agent_id:04d}",
        skills=frozenset(skills),
        qualified=not new_hire,
        unavailable=unavailable,
        leave=leave,
        preferred=preferred,
        prefer_off=prefer_off,
        history=History(duty=0 if new_hire else rng.randint(12, 20), night=0 if new_hire else rng.randint(0, 6)),
        trailing_nights=rng.choice((0, 0, 0, 1, 2, 3)) if "VIP" in skills and not new_hire else 0,
        shadow_shifts_needed=2 if new_hire else 0,
    )


def _some(rng: random.Random, dates: list[date], probability: float, most: int) -> frozenset[date]:
    if not dates or rng.random() >= probability:
        return frozenset()
    return frozenset(rng.sample(dates, rng.randint(1, min(most, len(dates)))))


def demand_ratio(instance: Instance) -> float:
    demand = sum(s.headcount for d in instance.days for s in d.shifts)
    supply = sum(a.qualified and a.is_free(d.date) for a in instance.agents for d in instance.days)
    return demand / supply


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; `argv` None means the defaults (benchmarks/__main__.py calls main() bare)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv or [])
    for n in args.sizes:
        instance = build_instance(n, seed=args.seed, time_limit_s=args.time_limit, workers=args.workers)
        result = solve(instance)
        name = f"roster.generate.agents{n}"
        print(f"BENCH {name}.seconds {result.wall_time_s:.3f} s")
        print(f"BENCH {name}.violations {len(result.violations)} count")
        print(f"BENCH {name}.duty_spread {result.score['duty_spread']} shifts", flush=True)
        print(f"# {n} agents: demand/supply {demand_ratio(instance):.2f}, status {result.status}, "
              f"score {result.score}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
