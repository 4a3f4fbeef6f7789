"""Roster generation with OR-Tools CP-SAT, behind one function: `solve(instance) -> Result`.

The model (roster.solver_model) makes the hard rules constraints and coverage and balance (R-ROSTER-4, across
every qualified agent) a weighted objective. The search starts from a greedy roster (roster.solver_greedy) that
keeps every hard rule and fills every day it can; whatever happens to the search, that roster is the answer
when CP-SAT has nothing better, so a month never comes back empty when any valid roster is known.

Time: settings.time_limit_s is the whole budget. The greedy start and model building come first (bounded by the
size of the month, about a second for 1,000 agents), CP-SAT gets what is left minus a reserve for the final
check, and its presolve is capped so that the search itself always runs.
`roster.rules.check_roster` re-checks the output independently; its verdict is the result's `violations`.

CLI: python -m roster.solver instance.json [--seed N] [--time-limit S] [--workers N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from ortools.sat.python import cp_model

from roster import law, solver_model
from roster.instance import ROLE_SHADOW, Assignment, Instance, InstanceError, Result
from roster.rules import check_roster
from roster.solver_greedy import greedy_roster
from roster.solver_local import improve
from roster.solver_model import CATEGORIES, Model, OutOfTime, add_hint, build, weights_for
from roster.spread_limits import spread_limits

# Kept for the final check_roster, scoring and explanations: a fixed part plus a multiple of what one
# check_roster of the greedy start took (so a large month on a busy machine keeps more).
FINAL_CHECK_RESERVE_S = 0.15
# 4 covered the check and scoring; the spread limits now weigh the working-time law too (~5 checks at 1,000 agents).
FINAL_CHECK_FACTOR = 8
# The share of the budget (from the start) the direct balancing moves may use before CP-SAT takes over.
LOCAL_SEARCH_SHARE = 0.4
# Below this, starting CP-SAT is pointless: the greedy roster is returned as it is.
MIN_SEARCH_S = 0.3
LARGE_MODEL_VARIABLES = 15_000
# A model this small (a team of about 30 agents) stops searching once it has found nothing better for
# SETTLED_AFTER_S seconds (_may_stop_when_settled).
SMALL_MODEL_VARIABLES = 3_000
SETTLED_AFTER_S = 1.5
# Loading a model into CP-SAT and reading its answer back: ~0.5 s for the 40,000 variables of 1,000 agents.
CP_SAT_OVERHEAD_S_PER_VARIABLE = 0.000015
# With one worker CP-SAT does ~0.4-0.8 deterministic time units per second here; 0.3 leaves headroom.
DETERMINISTIC_TIME_PER_SECOND = 0.3
# Coverage-only problems: what a roster may still have when the month cannot be fully staffed.
COVERAGE_CODES = frozenset({"under_headcount", "skill_shortage", "promotion_pair", "promotion_headcount"})

SOURCE_SEARCH, SOURCE_GREEDY = "search", "greedy"
Progress = Callable[[dict[str, Any]], None]


# --- public ------------------------------------------------------------------------------------------------------


def solve(instance: Instance, *, progress: Progress | None = None) -> Result:
    """Make the month's roster. Same instance and seed give the same roster when settings.workers == 1."""
    started = time.monotonic()
    deadline = started + instance.settings.time_limit_s

    start = greedy_roster(instance)
    checked = time.monotonic()
    if any(v.code not in COVERAGE_CODES for v in check_roster(instance, start)):
        start = []  # a bug in the greedy must never reach a roster; CP-SAT starts from nothing instead
    # What the final check and scoring will cost, measured on this machine now rather than guessed.
    reserve = FINAL_CHECK_RESERVE_S + FINAL_CHECK_FACTOR * (time.monotonic() - checked)
    start_uncovered = _uncovered(instance, start)
    first_complete = time.monotonic() - started if start and start_uncovered == 0 else None
    if progress and start:
        progress(
            {
                "solutions": 1,
                "objective": None,
                "bound": None,
                "uncovered": start_uncovered,
                "elapsed": round(time.monotonic() - started, 3),
            }
        )
    if start:
        # Balancing by direct moves gets a large month most of the way in a fraction of the budget.
        local_deadline = min(started + LOCAL_SEARCH_SHARE * instance.settings.time_limit_s, deadline - reserve)
        balanced = improve(instance, start, deadline=local_deadline)
        if not any(v.code not in COVERAGE_CODES for v in check_roster(instance, balanced)):
            start = balanced

    assignments, source, status, objective = start, SOURCE_GREEDY, cp_model.UNKNOWN, None
    model = None
    if _search_can_help(instance, start):
        try:
            model = build(instance, weights_for(instance), deadline=deadline - reserve - MIN_SEARCH_S)
            add_hint(model, instance, start)
        except OutOfTime:
            model = None
    # CP-SAT copies and loads the model before its clock starts and the answer is read back after it stops.
    search_s = deadline - time.monotonic() - reserve - CP_SAT_OVERHEAD_S_PER_VARIABLE * len(model.x if model else ())
    if model is not None and search_s >= MIN_SEARCH_S:
        callback = _ProgressCallback(model, progress, started, solutions=1 if start else 0)
        solver = _solver(instance, search_s, size=len(model.x))
        settled = _Settled(solver, callback) if _may_stop_when_settled(instance, len(model.x)) else None
        try:
            status = solver.solve(model.cp, callback)
        finally:
            if settled is not None:
                settled.done()
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"roster model invalid: {model.cp.validate()}")
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            assignments, source = _read_assignments(instance, model, solver), SOURCE_SEARCH
            objective = int(round(solver.objective_value))
            if first_complete is None and callback.first_complete is not None:
                first_complete = callback.first_complete

    # Final guard: judge the roster with the independent checker, never with the model's own opinion.
    violations = check_roster(instance, assignments)
    if violations:
        verdict = "infeasible"
    else:
        verdict = "optimal" if status == cp_model.OPTIMAL else "feasible"
    score = score_roster(instance, assignments, objective=objective)
    limits = []
    if any(score[f"{category}_spread"] >= 2 for category in CATEGORIES):
        limits = [limit.to_json() for limit in spread_limits(instance, assignments)[1]]
    return Result(
        status=verdict,
        assignments=assignments,
        score=score,
        violations=violations,
        wall_time_s=time.monotonic() - started,
        source=source,
        first_complete_s=round(first_complete, 3) if first_complete is not None else None,
        limits=limits,
    )


def _search_can_help(instance: Instance, start: list[Assignment]) -> bool:
    """Whether CP-SAT is worth its time after the local search.

    A large model (1,000 agents: ~40,000 variables) costs seconds to build and load, and CP-SAT's neighbourhood
    search then improves it by a handful of moves, too few to matter; on a busy machine it also overruns its
    limit. So a large month goes to CP-SAT only when the start is complete and some spread is still above what
    skills and free days allow (there is balance to win); a smaller month always does (it may prove the roster
    best, and polishes wishes and history).
    """
    if not start or solver_model.size(instance) <= LARGE_MODEL_VARIABLES:
        return True
    if _uncovered(instance, start):
        return True
    score = score_roster(instance, start)
    bounds, _causes = spread_limits(instance, start)
    return any(score[f"{c}_spread"] > max(bounds[c], 1) for c in CATEGORIES)


def score_roster(instance: Instance, assignments: list[Assignment], *, objective: int | None = None) -> dict[str, Any]:
    """The soft goals' figures for a roster, counted here from the roster itself (so also for hand-edited ones).

    Spreads are the most minus the fewest over every qualified agent (R-ROSTER-4), with who is at each end;
    roster.rules.spreads recounts the same figures independently.
    """
    night = {(d.date, s.key) for d in instance.days for s in d.shifts if s.night}
    holiday = {d.date for d in instance.days if d.holiday}
    slots = {(d.date, s.key): s.headcount for d in instance.days for s in d.shifts}
    known_agents = {a.id for a in instance.agents}
    counts = {a.id: {"duty": 0, "night": 0, "holiday": 0, "shadow": 0} for a in instance.agents}
    on_slot: dict[tuple[date, str], set[int]] = {slot: set() for slot in slots}
    for a in assignments:
        if a.agent not in known_agents or (a.date, a.shift) not in slots:
            continue
        row = counts[a.agent]
        if a.role == ROLE_SHADOW:
            row["shadow"] += 1
            continue
        on_slot[(a.date, a.shift)].add(a.agent)
        row["duty"] += 1
        row["night"] += (a.date, a.shift) in night
        row["holiday"] += a.date in holiday
    qualified = law.balanced_agents(instance)  # R-ROSTER-4: whoever the law keeps off every shift is not compared
    score: dict[str, Any] = {}
    ends: dict[str, dict[str, Any]] = {}
    for category in CATEGORIES:
        for key, with_history in ((f"{category}_spread", False), (f"history_{category}_spread", True)):
            values = [
                (a.id, counts[a.id][category] + (solver_model.history_of(a, category) if with_history else 0))
                for a in qualified
            ]
            score[key], ends[key] = _spread(values)
    worked = {(a.agent, a.date) for a in assignments}
    wishes = solver_model.wishes(instance)
    # The wish window (issue 26): a wished day off is granted when the person holds no shift that date.
    by_agent = {
        str(a.id): [sum((a.id, day) not in worked for day in a.wishes.days_off), len(a.wishes.days_off)]
        for a in instance.agents
        if a.wishes.days_off
    }
    score.update(
        {
            "agents_compared": len(qualified),
            "ends": ends,
            "preferences_honoured": sum(((agent.id, day) in worked) == wants for agent, day, wants in wishes),
            "preferences_total": len(wishes),
            "wishes_off_granted": sum(granted for granted, _total in by_agent.values()),
            "wishes_off_total": sum(total for _granted, total in by_agent.values()),
            "wishes_by_agent": by_agent,
            "shadow_shifts": sum(c["shadow"] for c in counts.values()),
            "shadow_shifts_wanted": sum(a.shadow_shifts_needed for a in instance.agents if not a.qualified),
            "uncovered": sum(max(0, headcount - len(on_slot[slot])) for slot, headcount in slots.items()),
            "objective": objective,
        }
    )
    return score


def _spread(values: list[tuple[int, int]]) -> tuple[int, dict[str, Any]]:
    if not values:
        return 0, {"most": 0, "most_agents": [], "fewest": 0, "fewest_agents": []}
    most = max(v for _, v in values)
    fewest = min(v for _, v in values)
    return most - fewest, {
        "most": most,
        "most_agents": [i for i, v in values if v == most],
        "fewest": fewest,
        "fewest_agents": [i for i, v in values if v == fewest],
    }


def _uncovered(instance: Instance, assignments: list[Assignment]) -> int:
    held: dict[tuple[date, str], set[int]] = {}
    for a in assignments:
        if a.role != ROLE_SHADOW:
            held.setdefault((a.date, a.shift), set()).add(a.agent)
    return sum(max(0, s.headcount - len(held.get((d.date, s.key), ()))) for d in instance.days for s in d.shifts)


# --- running CP-SAT ----------------------------------------------------------------------------------------------


def _solver(instance: Instance, time_limit_s: float, *, size: int) -> cp_model.CpSolver:
    settings = instance.settings
    solver = cp_model.CpSolver()
    parameters = solver.parameters
    parameters.max_time_in_seconds = time_limit_s
    parameters.random_seed = settings.seed
    parameters.num_workers = settings.workers
    # Presolve gets a bounded share: on a 1,000-agent month (40,000 variables) presolve alone took 3-4 s of a
    # 5 s search on 2 busy cores, and the start (hint) only counts once presolve is over. A large model is
    # searched as it is; a smaller one gets one bounded presolve round, which helps prove a roster best.
    if size > LARGE_MODEL_VARIABLES:
        parameters.cp_model_presolve = False
    else:
        parameters.max_presolve_iterations = 1
        parameters.cp_model_probing_level = 1
        parameters.presolve_probing_deterministic_time_limit = 0.05 * time_limit_s
        parameters.symmetry_level = 1
        parameters.symmetry_detection_deterministic_time_limit = 0.02 * time_limit_s
    if settings.workers == 1:
        # Reproducible mode: one worker stopped by deterministic time (work units, not clock) gives the same
        # roster on every run. The wall-clock limit stays as a safety net; on a much slower machine it can
        # fire first, and then the result again depends on timing. Several workers search better but race.
        parameters.max_deterministic_time = time_limit_s * DETERMINISTIC_TIME_PER_SECOND
    return solver


def _may_stop_when_settled(instance: Instance, size: int) -> bool:
    """Whether the search may end before its time limit once it stops finding better rosters.

    A small team's month (a few agents, interchangeable for most shifts) has its best roster found in a moment,
    and CP-SAT can then search the whole limit without ever proving it best: the supervisor would wait 10 s for
    nothing. Only for small models, where the first second already searched them widely, and only with several
    workers (one worker is the reproducible mode, stopped by work done, never by the clock)."""
    return instance.settings.workers > 1 and size <= SMALL_MODEL_VARIABLES


class _Settled:
    """Stops the search when it has found nothing better for SETTLED_AFTER_S (see _may_stop_when_settled)."""

    def __init__(self, solver: cp_model.CpSolver, callback: "_ProgressCallback") -> None:
        self._finished = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(solver, callback), daemon=True)
        self._thread.start()

    def _watch(self, solver: cp_model.CpSolver, callback: "_ProgressCallback") -> None:
        while not self._finished.wait(0.1):
            if time.monotonic() - callback.last_found > SETTLED_AFTER_S:
                solver.stop_search()
                return

    def done(self) -> None:
        self._finished.set()
        self._thread.join()


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution, e.g. to a Celery task's state, so the UI can show progress."""

    def __init__(self, model: Model, progress: Progress | None, started: float, *, solutions: int) -> None:
        super().__init__()
        self._model = model
        self._progress = progress
        self._started = started
        self._solutions = solutions
        self.first_complete: float | None = None
        self.last_found = time.monotonic()  # when the search started or last found a better roster

    def on_solution_callback(self) -> None:
        self.last_found = time.monotonic()
        self._solutions += 1
        elapsed = time.monotonic() - self._started
        uncovered = sum(self.value(var) for var in self._model.shortfall)
        if uncovered == 0 and self.first_complete is None:
            self.first_complete = elapsed
        if self._progress:
            self._progress(
                {
                    "solutions": self._solutions,
                    "objective": int(round(self.objective_value)),
                    "bound": int(round(self.best_objective_bound)),
                    "uncovered": uncovered,
                    "elapsed": round(elapsed, 3),
                }
            )


def _read_assignments(instance: Instance, model: Model, solver: cp_model.CpSolver) -> list[Assignment]:
    chosen = [key for key, var in model.x.items() if solver.boolean_value(var)]
    shift_pos = {(di, s.key): i for di, d in enumerate(instance.days) for i, s in enumerate(d.shifts)}
    chosen.sort(key=lambda k: (k[1], shift_pos[(k[1], k[2])], k[0]))
    return [Assignment(agent=a, date=instance.days[di].date, shift=key, role=role) for a, di, key, role in chosen]


# --- CLI ---------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m roster.solver", description="Generate a duty roster.")
    parser.add_argument("instance", help="instance JSON file (docs/solver-format.md)")
    parser.add_argument("--seed", type=int, help="random seed (default: the instance's settings.seed)")
    parser.add_argument("--time-limit", type=float, help="seconds (default: the instance's settings.time_limit_s)")
    parser.add_argument("--workers", type=int, help="CP-SAT workers (1 = reproducible)")
    args = parser.parse_args(argv)
    try:
        instance = _load(args.instance)
        instance = _override(instance, seed=args.seed, time_limit_s=args.time_limit, workers=args.workers)
    except (OSError, ValueError) as exc:  # InstanceError and json.JSONDecodeError are ValueErrors
        print(f"error: {args.instance}: {exc}", file=sys.stderr)
        return 2
    result = solve(instance)
    print(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return 1 if result.status == "infeasible" else 0


def _load(path: str) -> Instance:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return Instance.from_json(data)


def _override(instance: Instance, **changes: Any) -> Instance:
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        return instance
    settings = dataclasses.replace(instance.settings, **changes)
    if settings.time_limit_s <= 0 or settings.workers < 1:
        raise InstanceError("--time-limit must be > 0 and --workers >= 1")
    return dataclasses.replace(instance, settings=settings)


if __name__ == "__main__":
    sys.exit(main())
