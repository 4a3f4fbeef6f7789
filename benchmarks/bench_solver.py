"""Roster generation benchmark: months of 200 and 1,000 agents whose skills are spread as in real teams.

    python benchmarks/bench_solver.py [--sizes 200 1000] [--seed 0] [--time-limit 10] [--workers 2] [--runs 1]

Each size is solved twice: a light month (most agents work 2-3 shifts) named `roster.generate.agents<N>.<figure>`
and today's demand named `roster.generate.agents<N>.tight.<figure>`. Each shift needs skills held by 25-85 % of
the agents, so few agents share exactly the same skills (R-ROSTER-5), and the balance asked by R-ROSTER-4 is across
the whole team.

The working-time law is on, as in the product (R-LAW-1, -2, -4): the standard system with Monday-Friday regular
work (a rest day every week, so one day of each weekend at most), a 36 h monthly cap on rest-day and holiday duty,
and 2 % of the agents in a protection period for the whole month (no night shift, no rest-day or holiday duty:
only the day shifts of the working Thursday 06-18 are open to them). Today's demand is 0.74 of the agent-days the
law leaves (counted here: free duty dates, at most all but one of each week's rest dates, at most 4 rest-day or
holiday dates under the cap); it was 0.74 of all free agent-days before the law was checked, which asked for ~7
weekend shifts a person, more than the law allows anyone (at most 6 dates, 36 h).

The result is re-scored here, by code that shares nothing with the solver: hard rules by roster.rules.check_roster
(the independent checker), the working-time law by `labour_violations` below (its own calendar, hours and weeks),
spreads, completeness and the history correlation by the small functions below, which read only the instance and
the assignments.

Figures: violations (count), labour_violations (count: weeks without a rest day, months over the cap, protected
people on a night shift or on rest-day or holiday duty), duty_spread_all and night_spread_all (max - min over every
qualified agent but the protected ones, whom the law exempts from the month's duty: compared() below), history_corr (Pearson correlation between previous-3-month duty and this month's duty),
first_complete_s (when the solver first held a roster covering every shift, measured here from its progress
reports) and seconds. Beside each spread, stderr gives the lower bound the rules allow (roster.spread_limits, which
counts the law's rules too) and says when the law raised it.
Targets: 200 agents: 0 violations, 0 labour violations, spreads at the lower bound, correlation <= -0.5, first
complete roster within 2 s; 1,000 agents: 0 violations, 0 labour violations and a complete roster in every run
within the 10 s budget, duty spread <= max(2, bound).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

if not __package__:  # run as a script: make the repository importable (no effect when imported)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roster.instance import (  # noqa: E402
    HOLIDAY,
    PREGNANCY,
    REST_DAY,
    WORKDAY,
    Agent,
    Assignment,
    DutyDay,
    History,
    Instance,
    Protection,
    Settings,
    Shift,
    WorkingTime,
)
from roster.rules import check_roster  # noqa: E402
from roster.solver import solve  # noqa: E402
from roster.spread_limits import spread_limits  # noqa: E402

SIZES = (200, 1000)
MONTH = "2026-06"
# June 2026: weekends, the Dragon Boat Festival (06-19..06-21, statutory holiday) and 618 staffed as a promotion day.
HOLIDAYS = {date(2026, 6, 19), date(2026, 6, 20), date(2026, 6, 21)}
PROMOTION_DAYS = {date(2026, 6, 18)}
# Skills and the share of agents holding each, drawn independently: 2^8 combinations, few agents alike.
SKILL_SHARES = {
    "refunds": 0.85,
    "order-change": 0.75,
    "logistics": 0.65,
    "after-sales": 0.6,
    "invoices": 0.55,
    "cross-border": 0.45,
    "VIP": 0.35,
    "complaints": 0.3,
}
# (key, name, start, end, night, required skills, weight of the demand). Holders of each requirement: 25-85 %.
SHIFT_KINDS = (
    ("early", "早班", time(8), time(16), False, {"refunds"}, 0.30),
    ("day", "白班", time(9), time(18), False, {"order-change", "logistics"}, 0.18),
    ("middle", "中班", time(12), time(20), False, {"after-sales"}, 0.16),
    ("late", "晚班", time(14), time(22), False, {"cross-border"}, 0.12),
    ("evening", "夜班", time(18), time(0), True, {"VIP"}, 0.10),
    ("night", "深夜班", time(22), time(6), True, {"complaints"}, 0.07),
    ("invoices", "票务班", time(10), time(16), False, {"invoices", "refunds"}, 0.07),
)
LIGHT_SHIFTS_PER_AGENT = 2.5
TIGHT_DEMAND = 0.74  # today's demand: share of the agent-days the law leaves the qualified agents
PROTECTED_SHARE = 0.02  # R-LAW-4
CAP_HOURS = 36  # R-LAW-2
CAP_DATES = 4  # the most rest-day or holiday dates a person's 36 h allow at the usual 8-9 h (for sizing the demand)


def law_kind(day: date) -> str:
    """June 2026 as the law reads it: the bench's holidays, weekends rest days, the rest regular working days."""
    if day in HOLIDAYS:
        return HOLIDAY
    return REST_DAY if day.weekday() >= 5 else WORKDAY


def law_days() -> tuple[tuple[date, str], ...]:
    # Every date of the weeks touching June: Monday 06-01 to Sunday 07-05.
    first = date(2026, 6, 1)
    return tuple((first + timedelta(days=i), law_kind(first + timedelta(days=i))) for i in range(35))


def june_duty_dates() -> list[date]:
    first = date(2026, 6, 1)
    days = [first + timedelta(days=i) for i in range(30)]
    return [d for d in days if d.weekday() >= 5 or d in HOLIDAYS or d in PROMOTION_DAYS]


def build_instance(
    n_agents: int, *, tight: bool, seed: int = 0, time_limit_s: float = 10.0, workers: int = 2
) -> Instance:
    rng = random.Random(seed * 100_003 + n_agents * 7 + tight)
    dates = june_duty_dates()
    agents = tuple(_agent(rng, i + 1, dates, tight) for i in range(n_agents))
    lawful_agent_days = sum(lawful_days(a, dates) for a in agents if a.qualified)
    total = round(TIGHT_DEMAND * lawful_agent_days) if tight else round(LIGHT_SHIFTS_PER_AGENT * n_agents)
    shifts = _shifts(total / len(dates))
    days = tuple(
        DutyDay(
            d,
            holiday=d in HOLIDAYS,
            promotion=d in PROMOTION_DAYS,
            shifts=tuple(_promotion_headcount(s) for s in shifts) if d in PROMOTION_DAYS else shifts,
        )
        for d in dates
    )
    settings = Settings(time_limit_s=time_limit_s, seed=seed, workers=workers)
    working_time = WorkingTime(days=law_days(), cap_hours=CAP_HOURS)
    return Instance(month=MONTH, agents=agents, days=days, settings=settings, working_time=working_time)


def lawful_days(agent: Agent, dates: list[date]) -> int:
    """How many duty dates the law leaves the agent (for sizing today's demand): free dates, at most all but one of
    each week's rest dates, at most CAP_DATES rest-day or holiday dates; a protected agent the working days only."""
    free = [d for d in dates if agent.is_free(d)]
    working = [d for d in free if law_kind(d) == WORKDAY]
    if agent.protections:
        return len(working)
    resting = 0
    for monday in sorted({d - timedelta(days=d.weekday()) for d in free}):
        week = [monday + timedelta(days=i) for i in range(7)]
        rest_dates = [d for d in week if law_kind(d) != WORKDAY]
        resting += min(len([d for d in free if d in rest_dates]), len(rest_dates) - 1)
    return len(working) + min(resting, CAP_DATES)


def _shifts(per_day: float) -> tuple[Shift, ...]:
    total_weight = sum(kind[-1] for kind in SHIFT_KINDS)
    return tuple(
        Shift(key, name, start, end, night, max(1, round(per_day * weight / total_weight)), frozenset(skills))
        for key, name, start, end, night, skills, weight in SHIFT_KINDS
    )


def _promotion_headcount(shift: Shift) -> Shift:
    # R-ROSTER-7: an A/B pair needs two people on every shift of a promotion day.
    return Shift(shift.key, shift.name, shift.start, shift.end, shift.night, max(shift.headcount, 2), shift.skills)


def _agent(rng: random.Random, agent_id: int, dates: list[date], tight: bool) -> Agent:
    new_hire = rng.random() < 0.05
    skills = {skill for skill, share in SKILL_SHARES.items() if rng.random() < share}
    if not any(kind[5] <= skills for kind in SHIFT_KINDS if not kind[4]):
        skills.add("refunds")  # everyone on the duty staff can take some day shift, as in real teams
    leave = _some(rng, dates, 0.10, 2)
    unavailable = _some(rng, [d for d in dates if d not in leave], 0.15, 2)
    free = [d for d in dates if d not in leave and d not in unavailable]
    preferred = _some(rng, free, 0.10, 1)
    prefer_off = _some(rng, [d for d in free if d not in preferred], 0.10, 1)
    per_month = 6 if tight else 2.5
    nights = rng.randint(0, 4) if skills & {"VIP", "complaints"} else 0
    return Agent(
        id=agent_id,
        name=f"客服{agent_id:04d}",
        skills=frozenset(skills),
        qualified=not new_hire,
        unavailable=unavailable,
        leave=leave,
        preferred=preferred,
        prefer_off=prefer_off,
        history=History(
            duty=0 if new_hire else max(0, round(rng.gauss(3 * per_month, 2))),
            night=0 if new_hire else nights,
            holiday=0 if new_hire else rng.randint(0, 2),
        ),
        trailing_nights=rng.choice((0, 0, 0, 1, 2, 3)) if nights and not new_hire else 0,
        shadow_shifts_needed=2 if new_hire else 0,
        # R-LAW-4: the whole month inside a protection period.
        protections=(Protection(date(2026, 5, 1), date(2026, 9, 30), PREGNANCY),)
        if rng.random() < PROTECTED_SHARE
        else (),
    )


def _some(rng: random.Random, dates: list[date], probability: float, most: int) -> frozenset[date]:
    if not dates or rng.random() >= probability:
        return frozenset()
    return frozenset(rng.sample(dates, rng.randint(1, min(most, len(dates)))))


# --- the independent re-scoring ---------------------------------------------------------------------------------


def compared(instance: Instance) -> list[Agent]:
    """The agents the balance compares: qualified (R-ROSTER-6), and not protected on every duty date (R-LAW-4
    exempts those from the month's weekend, holiday and night duty)."""
    dates = [d.date for d in instance.days]
    return [
        a
        for a in instance.agents
        if a.qualified and not all(any(p.start <= d <= p.end for p in a.protections) for d in dates)
    ]


def counts(instance: Instance, assignments: list[Assignment]) -> dict[int, tuple[int, int]]:
    """(duty, night) shifts per compared agent, shadows not counted (R-ROSTER-6), zeros included."""
    nights = {(d.date, s.key) for d in instance.days for s in d.shifts if s.night}
    result = {a.id: [0, 0] for a in compared(instance)}
    for a in assignments:
        if a.role != "shadow" and a.agent in result:
            result[a.agent][0] += 1
            result[a.agent][1] += (a.date, a.shift) in nights
    return {agent: (duty, night) for agent, (duty, night) in result.items()}


def spread(values: list[int]) -> int:
    return max(values) - min(values) if values else 0


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else 0.0


def uncovered(instance: Instance, assignments: list[Assignment]) -> int:
    held: dict[tuple[date, str], set[int]] = {}
    for a in assignments:
        if a.role != "shadow":
            held.setdefault((a.date, a.shift), set()).add(a.agent)
    return sum(max(0, s.headcount - len(held.get((d.date, s.key), ()))) for d in instance.days for s in d.shifts)


def labour_violations(instance: Instance, assignments: list[Assignment]) -> int:
    """The working-time law recounted from the roster alone, with this module's own calendar (law_kind), hours and
    weeks: each week without a date free of regular work and duty shifts (R-LAW-1), each person over CAP_HOURS of
    rest-day and holiday duty (R-LAW-2), each shift of a protected person at night or on a rest day or holiday
    (R-LAW-4). Shadows are at work and count."""
    shifts = {(d.date, s.key): s for d in instance.days for s in d.shifts}
    agents = {a.id: a for a in instance.agents}
    taken: dict[int, set[date]] = {}
    extended: dict[int, Decimal] = {}
    problems = 0
    for a in assignments:
        shift = shifts[(a.date, a.shift)]
        start = datetime.combine(a.date, shift.start)
        end = datetime.combine(a.date, shift.end)
        if end <= start:
            end += timedelta(days=1)
        seconds: dict[date, float] = {}
        moment = start
        while moment < end:
            midnight = datetime.combine(moment.date() + timedelta(days=1), time(0))
            upto = min(end, midnight)
            seconds[moment.date()] = seconds.get(moment.date(), 0) + (upto - moment).total_seconds()
            moment = upto
        # A shift is on its date for the rest-day rule, as the roster shows it (a Saturday night ending at 06:00
        # leaves Sunday free); its hours count on each date they fall on.
        taken.setdefault(a.agent, set()).add(a.date)
        rest = sum(v for d, v in seconds.items() if law_kind(d) == REST_DAY)
        holiday = sum(v for d, v in seconds.items() if law_kind(d) == HOLIDAY)
        hours = _hours(rest) + _hours(holiday)
        extended[a.agent] = extended.get(a.agent, Decimal(0)) + hours
        at_night = shift.night or any(
            start < datetime.combine(d + timedelta(days=1), time(6)) and datetime.combine(d, time(22)) < end
            for d in (a.date - timedelta(days=1), a.date, a.date + timedelta(days=1))
        )
        protected = any(p.start <= d <= p.end for p in agents[a.agent].protections for d in [a.date, *seconds])
        if protected and (at_night or hours > 0):
            problems += 1
    problems += sum(1 for total in extended.values() if total > CAP_HOURS)
    for dates in taken.values():
        mondays = {d - timedelta(days=d.weekday()) for d in dates}
        for monday in mondays:
            rest_dates = [
                monday + timedelta(days=i) for i in range(7) if law_kind(monday + timedelta(days=i)) != WORKDAY
            ]
            if rest_dates and all(d in dates for d in rest_dates):
                problems += 1
    return problems


def _hours(seconds: float) -> Decimal:
    return (Decimal(int(round(seconds))) / 3600).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def demand_ratio(instance: Instance) -> float:
    demand = sum(s.headcount for d in instance.days for s in d.shifts)
    supply = sum(a.qualified and a.is_free(d.date) for a in instance.agents for d in instance.days)
    return demand / supply


def run(n: int, *, tight: bool, seed: int, time_limit_s: float, workers: int) -> dict:
    instance = build_instance(n, tight=tight, seed=seed, time_limit_s=time_limit_s, workers=workers)
    complete_at: list[float] = []
    started = clock.monotonic()

    def progress(report: dict) -> None:
        if report.get("uncovered") == 0 and not complete_at:
            complete_at.append(clock.monotonic() - started)

    result = solve(instance, progress=progress)
    seconds = clock.monotonic() - started
    per_agent = counts(instance, result.assignments)
    qualified = compared(instance)
    duty = [per_agent[a.id][0] for a in qualified]
    night = [per_agent[a.id][1] for a in qualified]
    missing = uncovered(instance, result.assignments)
    bounds, causes = spread_limits(instance, result.assignments)
    return {
        "violations": len(check_roster(instance, result.assignments)),
        "labour_violations": labour_violations(instance, result.assignments),
        "bounds": bounds,
        "law_causes": sorted({c.category for c in causes if c.cause == "working_time"}),
        "duty_spread_all": spread(duty),
        "night_spread_all": spread(night),
        "history_corr": pearson([a.history.duty for a in qualified], duty),
        # A roster that still misses people never counts as complete, whatever the solver reported.
        "first_complete_s": complete_at[0] if complete_at and missing == 0 else float("nan"),
        "seconds": seconds,
        "uncovered": missing,
        "status": result.status,
        "ratio": demand_ratio(instance),
        "mean_duty": sum(duty) / len(duty),
    }


UNITS = {
    "violations": "count",
    "labour_violations": "count",
    "duty_spread_all": "shifts",
    "night_spread_all": "shifts",
    "history_corr": "r",
    "first_complete_s": "s",
    "seconds": "s",
}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; `argv` None means the defaults (benchmarks/__main__.py calls main() bare)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="runs per month (seeds seed, seed+1, ...)")
    parser.add_argument("--only", choices=("light", "tight"), help="one of the two months only")
    args = parser.parse_args(argv or [])
    for n in args.sizes:
        for tight in (False, True):
            if args.only and args.only != ("tight" if tight else "light"):
                continue
            for offset in range(args.runs):
                figures = run(
                    n, tight=tight, seed=args.seed + offset, time_limit_s=args.time_limit, workers=args.workers
                )
                name = f"roster.generate.agents{n}{'.tight' if tight else ''}"
                for key, unit in UNITS.items():
                    value = figures[key]
                    text = f"{value:.3f}" if isinstance(value, float) else str(value)
                    print(f"BENCH {name}.{key} {text} {unit}", flush=True)
                print(
                    f"# {name} seed {args.seed + offset}: demand/supply {figures['ratio']:.2f}, "
                    f"mean duty {figures['mean_duty']:.2f}, status {figures['status']}, "
                    f"uncovered {figures['uncovered']}; lower bounds the rules allow: duty spread "
                    f"{max(figures['bounds']['duty'], 1)}, night spread {max(figures['bounds']['night'], 1)}"
                    + (
                        f" (raised by the working-time law: {', '.join(figures['law_causes'])})"
                        if figures["law_causes"]
                        else ""
                    ),
                    file=sys.stderr,
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
