"""Roster generation with OR-Tools CP-SAT, behind one function: `solve(instance) -> Result`.

The hard rules (R-ROSTER-3, -5, -6, -7, -8) are constraints, except coverage: a shift may stay short through a
heavily weighted slack, so a month that cannot be fully staffed still gets its best partial roster, with a
violation per short shift saying why. Workload balance and wishes (R-ROSTER-4, -6) are weighted soft goals.
`roster.rules.check_roster` re-checks the output independently; its verdict is the result's `violations`.

CLI: python -m roster.solver instance.json [--seed N] [--time-limit S] [--workers N]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from roster.instance import (
    COUNTED_ROLES,
    ROLE_BACKUP,
    ROLE_MEMBER,
    ROLE_PRIMARY,
    ROLE_SHADOW,
    Agent,
    Assignment,
    DutyDay,
    Instance,
    InstanceError,
    Result,
    Shift,
)
from roster.rules import agent_totals, check_roster, shift_coverage

# Objective weights (integers; CP-SAT minimises their weighted sum). Ordered so that a higher goal is never
# traded for any realistic amount of a lower one: coverage, then this month's balance, then shadows,
# then wishes, then balance across months.
W_UNCOVERED = 1_000_000  # per missing head (R-ROSTER-5)
W_DUTY_SPREAD = 1_000  # per shift of (max - min) duty within a group of equally qualified agents (R-ROSTER-4)
W_NIGHT_SPREAD = 400
W_HOLIDAY_SPREAD = 400
W_SHADOW = 100  # per shadow shift a new hire still wants and does not get (R-ROSTER-6)
W_PREFERENCE = 20  # per wish not honoured: preferred date not worked, or prefer-off date worked
W_HISTORY_SPREAD = 5  # per shift of spread of (previous 3 months + this month), each of duty/night/holiday

# Time: the final check_roster and scoring take ~0.1 s for 1,000 agents; the search always gets a moment.
FINAL_CHECK_RESERVE_S = 0.2
MIN_SEARCH_S = 0.5
# With one worker CP-SAT does ~0.4-0.8 deterministic time units per second here; 0.3 leaves headroom.
DETERMINISTIC_TIME_PER_SECOND = 0.3

Progress = Callable[[dict], None]
_Slot = tuple[int, str]  # (index into instance.days, shift key)


# --- public ------------------------------------------------------------------------------------------------------


def solve(instance: Instance, *, progress: Progress | None = None) -> Result:
    """Make the month's roster. Same instance and seed give the same roster when settings.workers == 1."""
    started = time.monotonic()
    model = _build(instance)
    # settings.time_limit_s is the whole budget: model building counts, a little is kept for the final check.
    budget = instance.settings.time_limit_s - (time.monotonic() - started) - FINAL_CHECK_RESERVE_S
    solver = _solver(instance, max(budget, MIN_SEARCH_S))
    status = solver.solve(model.cp, _ProgressCallback(progress, started) if progress else None)
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"roster model invalid: {model.cp.validate()}")
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assignments = _read_assignments(instance, model, solver) if found else []
    # Final guard: judge the roster with the independent checker, never with the model's own opinion.
    violations = check_roster(instance, assignments)
    if violations:
        verdict = "infeasible"
    else:
        verdict = "optimal" if status == cp_model.OPTIMAL else "feasible"
    objective = int(round(solver.objective_value)) if found else None
    return Result(
        status=verdict,
        assignments=assignments,
        score=score_roster(instance, assignments, objective=objective),
        violations=violations,
        wall_time_s=time.monotonic() - started,
    )


def score_roster(instance: Instance, assignments: list[Assignment], *, objective: int | None = None) -> dict:
    """The soft goals' figures for a roster, computed from the roster itself (so also for hand-edited ones)."""
    totals = agent_totals(instance, assignments)
    groups = _balance_groups(instance)
    worked = {(a.agent, a.date) for a in assignments}
    wishes = _wishes(instance)
    honoured = sum(((agent.id, day) in worked) == wants for agent, day, wants in wishes)
    uncovered = sum(max(0, needed - counted) for counted, needed in shift_coverage(instance, assignments).values())

    def spread(value: Callable[[Agent], int]) -> int:
        return max((max(map(value, g)) - min(map(value, g)) for g in groups), default=0)

    return {
        "duty_spread": spread(lambda a: totals[a.id].duty),
        "night_spread": spread(lambda a: totals[a.id].night),
        "holiday_spread": spread(lambda a: totals[a.id].holiday),
        "history_spread": spread(lambda a: a.history.duty + totals[a.id].duty),
        "history_night_spread": spread(lambda a: a.history.night + totals[a.id].night),
        "history_holiday_spread": spread(lambda a: a.history.holiday + totals[a.id].holiday),
        "preferences_honoured": honoured,
        "preferences_total": len(wishes),
        "shadow_shifts": sum(t.shadow for t in totals.values()),
        "shadow_shifts_wanted": sum(a.shadow_shifts_needed for a in instance.agents if not a.qualified),
        "uncovered": uncovered,
        "objective": objective,
    }


# --- the model ---------------------------------------------------------------------------------------------------


@dataclass
class _Model:
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    # x[(agent id, day index, shift key, role)]: the agent holds that shift in that role.
    x: dict[tuple[int, int, str, str], cp_model.IntVar] = field(default_factory=dict)
    by_slot: dict[_Slot, list[tuple[int, str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    by_agent: dict[int, list[tuple[_Slot, str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    objective: list[cp_model.LinearExprT] = field(default_factory=list)
    # Auxiliary variables and how to compute each from the x values, so the greedy hint can be complete.
    derived: list[tuple[cp_model.IntVar, Callable[[Callable[[cp_model.IntVar], int]], int]]] = field(
        default_factory=list
    )


def _build(instance: Instance) -> _Model:
    model = _Model()
    _create_vars(instance, model)
    _add_coverage(instance, model)
    _add_promotion_pairs(instance, model)
    _add_shadow_rules(instance, model)
    _add_agent_limits(instance, model)
    _add_night_limit(instance, model)
    _add_balance(instance, model)
    _add_wishes(instance, model)
    model.cp.minimize(sum(model.objective))
    _add_greedy_hint(instance, model)
    return model


def _create_vars(instance: Instance, model: _Model) -> None:
    # Only legal placements get a variable, so most hard rules hold by construction.
    for di, day in enumerate(instance.days):
        for shift in day.shifts:
            roles = _counted_roles(day, shift)
            for agent in instance.agents:
                if not agent.is_free(day.date):  # R-ROSTER-8: leave, unavailable
                    continue
                if agent.qualified and shift.skills <= agent.skills:  # R-ROSTER-5 skills; R-ROSTER-6 qualified
                    for role in roles:
                        _new_var(model, agent, di, shift, role)
                elif not agent.qualified and agent.shadow_shifts_needed > 0:
                    # R-ROSTER-6: a new hire only ever shadows; no skill required to watch and learn.
                    _new_var(model, agent, di, shift, ROLE_SHADOW)


def _counted_roles(day: DutyDay, shift: Shift) -> tuple[str, ...]:
    if shift.headcount == 0:
        return ()
    if not day.promotion:
        return (ROLE_MEMBER,)
    # R-ROSTER-7: A/B pair; with headcount 1 there is no room for a backup (reported as promotion_headcount).
    return (ROLE_PRIMARY, ROLE_BACKUP) if shift.headcount >= 2 else (ROLE_PRIMARY,)


def _new_var(model: _Model, agent: Agent, di: int, shift: Shift, role: str) -> None:
    var = model.cp.new_bool_var(f"x_{agent.id}_{di}_{shift.key}_{role}")
    model.x[(agent.id, di, shift.key, role)] = var
    model.by_slot[(di, shift.key)].append((agent.id, role, var))
    model.by_agent[agent.id].append(((di, shift.key), role, var))


def _counted(model: _Model, slot: _Slot, roles: Iterable[str] = COUNTED_ROLES) -> list[cp_model.IntVar]:
    roles = set(roles)
    return [var for _, role, var in model.by_slot.get(slot, []) if role in roles]


def _add_coverage(instance: Instance, model: _Model) -> None:
    # R-ROSTER-5: exactly headcount, softened by a slack so an understaffed month still yields a roster.
    for di, day in enumerate(instance.days):
        for shift in day.shifts:
            counted = _counted(model, (di, shift.key))
            slack = model.cp.new_int_var(0, shift.headcount, f"short_{di}_{shift.key}")
            model.cp.add(sum(counted) + slack == shift.headcount)
            model.derived.append((slack, lambda val, c=counted, h=shift.headcount: h - sum(map(val, c))))
            model.objective.append(W_UNCOVERED * slack)


def _add_promotion_pairs(instance: Instance, model: _Model) -> None:
    # R-ROSTER-7: one primary; backups only beside a primary, so any staffed shift has its A role.
    for di, day in enumerate(instance.days):
        if not day.promotion:
            continue
        for shift in day.shifts:
            primary = sum(_counted(model, (di, shift.key), [ROLE_PRIMARY]))
            backup = sum(_counted(model, (di, shift.key), [ROLE_BACKUP]))
            model.cp.add(primary <= 1)
            model.cp.add(backup <= (shift.headcount - 1) * primary)


def _add_shadow_rules(instance: Instance, model: _Model) -> None:
    for di, day in enumerate(instance.days):
        for shift in day.shifts:
            shadows = _counted(model, (di, shift.key), [ROLE_SHADOW])
            if shadows:
                # R-ROSTER-6: one shadow at a time, and only beside a counted (hence qualified) agent.
                model.cp.add_at_most_one(shadows)
                model.cp.add(sum(shadows) <= sum(_counted(model, (di, shift.key))))
    for agent in instance.agents:
        shadows = [var for _, role, var in model.by_agent.get(agent.id, []) if role == ROLE_SHADOW]
        if shadows:
            # R-ROSTER-6 (soft): up to the shadow shifts still wanted, each one missing costs W_SHADOW.
            model.cp.add(sum(shadows) <= agent.shadow_shifts_needed)
            model.objective.append(W_SHADOW * (agent.shadow_shifts_needed - sum(shadows)))


def _add_agent_limits(instance: Instance, model: _Model) -> None:
    # R-ROSTER-8: at most one role per shift, max shifts per date, never two overlapping shifts.
    limit = instance.settings.max_shifts_per_day
    conflicts = _overlapping_slots(instance)
    for entries in model.by_agent.values():
        by_slot: dict[_Slot, list[cp_model.IntVar]] = defaultdict(list)
        for slot, _, var in entries:
            by_slot[slot].append(var)
        by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for slot, vars_ in by_slot.items():
            if len(vars_) > 1:
                model.cp.add_at_most_one(vars_)
            by_day[slot[0]].extend(vars_)
        for vars_ in by_day.values():
            if limit == 1 and len(vars_) > 1:
                model.cp.add_at_most_one(vars_)
            elif len(vars_) > limit > 1:
                model.cp.add(sum(vars_) <= limit)
        for a, b in conflicts:
            # Same-day overlaps are already covered when only one shift a day is allowed.
            if a in by_slot and b in by_slot and not (limit == 1 and a[0] == b[0]):
                model.cp.add_at_most_one(by_slot[a] + by_slot[b])


def _overlapping_slots(instance: Instance) -> list[tuple[_Slot, _Slot]]:
    """Pairs of distinct slots sharing time: same day, or a night running into the next calendar day."""
    slots = [(di, day, shift) for di, day in enumerate(instance.days) for shift in day.shifts]
    pairs = []
    for i, (di, day, shift) in enumerate(slots):
        for dj, other_day, other in slots[i + 1:]:
            if (other_day.date - day.date).days > 1:
                break
            if _overlap(day, shift, other_day, other):
                pairs.append(((di, shift.key), (dj, other.key)))
    return pairs


def _overlap(day_a: DutyDay, shift_a: Shift, day_b: DutyDay, shift_b: Shift) -> bool:
    # Deliberately not rules.shifts_overlap: check_roster must stay an independent judge of this model.
    start_a, end_a = shift_a.interval(day_a.date)
    start_b, end_b = shift_b.interval(day_b.date)
    return start_a < end_b and start_b < end_a


def _add_night_limit(instance: Instance, model: _Model) -> None:
    # R-ROSTER-3: in any window of max+1 consecutive duty days, at most max nights (shadow nights included),
    # and the window reaching back into the previous roster counts its trailing nights.
    limit = instance.settings.max_consecutive_nights
    night_keys = {di: {s.key for s in day.shifts if s.night} for di, day in enumerate(instance.days)}
    for agent in instance.agents:
        per_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (di, key), _, var in model.by_agent.get(agent.id, []):
            if key in night_keys[di]:
                per_day[di].append(var)
        if not per_day:
            continue
        nights = [_night_worked(model, per_day.get(di, [])) for di in range(len(instance.days))]
        for start in range(len(nights) - limit):
            model.cp.add(sum(nights[start:start + limit + 1]) <= limit)
        for k in range(min(limit, len(nights))):
            # Days 0..k all nights would make a run of trailing + k + 1.
            if agent.trailing_nights + k + 1 > limit:
                model.cp.add(sum(nights[:k + 1]) <= k)


def _night_worked(model: _Model, vars_: list[cp_model.IntVar]) -> cp_model.LinearExprT:
    if len(vars_) <= 1:
        return sum(vars_)
    worked = model.cp.new_bool_var("")
    for var in vars_:
        model.cp.add_implication(var, worked)
    model.derived.append((worked, lambda val: max(map(val, vars_))))
    return worked


def _add_balance(instance: Instance, model: _Model) -> None:
    # R-ROSTER-4: spread duty, night and holiday shifts evenly among equally qualified agents, this month
    # first and, weighted lower, including the previous 3 months.
    night = {(di, s.key) for di, d in enumerate(instance.days) for s in d.shifts if s.night}
    holiday = {(di, s.key) for di, d in enumerate(instance.days) if d.holiday for s in d.shifts}
    for group in _balance_groups(instance):
        duty = [_agent_vars(model, a, None) for a in group]
        _add_spread(model, [(v, 0) for v in duty], W_DUTY_SPREAD)
        _add_spread(model, [(v, a.history.duty) for v, a in zip(duty, group, strict=True)], W_HISTORY_SPREAD)
        if night:
            nights = [_agent_vars(model, a, night) for a in group]
            _add_spread(model, [(v, 0) for v in nights], W_NIGHT_SPREAD)
            _add_spread(model, [(v, a.history.night) for v, a in zip(nights, group, strict=True)], W_HISTORY_SPREAD)
        if holiday:
            holidays = [_agent_vars(model, a, holiday) for a in group]
            _add_spread(model, [(v, 0) for v in holidays], W_HOLIDAY_SPREAD)
            _add_spread(model, [(v, a.history.holiday) for v, a in zip(holidays, group, strict=True)],
                        W_HISTORY_SPREAD)


def _balance_groups(instance: Instance) -> list[list[Agent]]:
    """Qualified agents with identical skill sets; only groups of two or more have anything to balance."""
    groups: dict[frozenset[str], list[Agent]] = defaultdict(list)
    for agent in instance.agents:
        if agent.qualified:
            groups[agent.skills].append(agent)
    return [g for _, g in sorted(groups.items(), key=lambda kv: sorted(kv[0])) if len(g) > 1]


def _agent_vars(model: _Model, agent: Agent, slots: set[_Slot] | None) -> list[cp_model.IntVar]:
    """The agent's counted variables, on `slots` only if given."""
    return [
        var for slot, role, var in model.by_agent.get(agent.id, [])
        if role in COUNTED_ROLES and (slots is None or slot in slots)
    ]


def _add_spread(model: _Model, counts: list[tuple[list[cp_model.IntVar], int]], weight: int) -> None:
    """Add weight * (max - min) over the counts, each `sum(vars) + offset`."""
    lowest = min(offset for _, offset in counts)
    highest = max(len(vars_) + offset for vars_, offset in counts)
    high = model.cp.new_int_var(lowest, highest, "")
    low = model.cp.new_int_var(lowest, highest, "")
    exprs = [sum(vars_) + offset for vars_, offset in counts]
    model.cp.add_max_equality(high, exprs)
    model.cp.add_min_equality(low, exprs)
    model.derived.append((high, lambda val: max(sum(map(val, v)) + o for v, o in counts)))
    model.derived.append((low, lambda val: min(sum(map(val, v)) + o for v, o in counts)))
    model.objective.append(weight * (high - low))


def _add_wishes(instance: Instance, model: _Model) -> None:
    # R-ROSTER-4 (soft): honour "I'd like to work that date" and "I'd rather be off that date".
    index = {day.date: di for di, day in enumerate(instance.days)}
    for agent, day, wants_work in _wishes(instance):
        vars_ = [var for (di, _), _, var in model.by_agent.get(agent.id, []) if di == index[day]]
        if not vars_:
            continue  # nothing the agent may do that day (e.g. a new hire with no shadow shifts left to do)
        worked = model.cp.new_bool_var("")
        model.derived.append((worked, lambda val, v=vars_: max(map(val, v))))
        if wants_work:
            # Minimising (1 - worked) pushes worked up; it may only be 1 if some shift is taken.
            model.cp.add(worked <= sum(vars_))
            model.objective.append(W_PREFERENCE * (1 - worked))
        else:
            for var in vars_:
                model.cp.add_implication(var, worked)
            model.objective.append(W_PREFERENCE * worked)


def _wishes(instance: Instance) -> list[tuple[Agent, date, bool]]:
    """(agent, date, wants to work) for each wish on a duty date when the agent is free (leave decides otherwise)."""
    wishes = []
    for agent in instance.agents:
        for day in instance.days:
            if not agent.is_free(day.date):
                continue
            if day.date in agent.preferred:
                wishes.append((agent, day.date, True))
            elif day.date in agent.prefer_off:
                wishes.append((agent, day.date, False))
    return wishes


# --- a greedy first roster, given to CP-SAT as a hint ---------------------------------------------------------------


def _add_greedy_hint(instance: Instance, model: _Model) -> None:
    # Large months (1,000 agents) spend most of the time limit finding any full roster; starting from a greedy
    # one that already respects the hard rules lets CP-SAT spend it on balance instead.
    chosen = _greedy_roster(instance, model)
    values = {var.index: int(key in chosen) for key, var in model.x.items()}

    def val(var: cp_model.IntVar) -> int:
        return values[var.index]

    # A complete hint (auxiliaries included) is checked as a first solution; a partial one only guides.
    for _key, var in model.x.items():
        model.cp.add_hint(var, values[var.index])
    for var, compute in model.derived:
        model.cp.add_hint(var, compute(val))


def _greedy_roster(instance: Instance, model: _Model) -> set[tuple[int, int, str, str]]:
    limit = instance.settings.max_consecutive_nights
    load = {a.id: [0, 0] for a in instance.agents}  # duty, nights
    run = {a.id: a.trailing_nights for a in instance.agents}  # nights in a row up to the previous day
    shadows_left = {a.id: a.shadow_shifts_needed for a in instance.agents}
    chosen: set[tuple[int, int, str, str]] = set()
    for di, day in enumerate(instance.days):
        taken: dict[int, list[Shift]] = defaultdict(list)
        # Scarcest shifts first, so the few agents who can do them are not used up elsewhere.
        for shift in sorted(day.shifts, key=lambda s: len(model.by_slot.get((di, s.key), [])) - s.headcount):
            roles = list(_counted_roles(day, shift))
            candidates = {agent_id for agent_id, role, _ in model.by_slot.get((di, shift.key), [])
                          if role in COUNTED_ROLES}
            order = sorted(candidates, key=lambda i: _greedy_priority(instance.agents_by_id[i], day, shift, load[i]))
            picked = [
                agent_id for agent_id in order
                if _greedy_fits(instance, day, shift, taken[agent_id]) and not (shift.night and run[agent_id] >= limit)
            ][:shift.headcount]
            for n, agent_id in enumerate(picked):
                role = roles[0] if n == 0 or len(roles) == 1 else roles[1]
                chosen.add((agent_id, di, shift.key, role))
                taken[agent_id].append(shift)
                load[agent_id][0] += 1
                load[agent_id][1] += shift.night
        _greedy_shadows(instance, model, di, day, taken, run, shadows_left, chosen)
        for agent_id in run:
            run[agent_id] = run[agent_id] + 1 if any(s.night for s in taken[agent_id]) else 0
    return chosen


def _greedy_shadows(
    instance: Instance, model: _Model, di: int, day: DutyDay, taken: dict[int, list[Shift]],
    run: dict[int, int], shadows_left: dict[int, int], chosen: set[tuple[int, int, str, str]],
) -> None:
    # R-ROSTER-6: a new hire beside whoever is already placed; one shadow per shift.
    limit = instance.settings.max_consecutive_nights
    for shift in day.shifts:
        staffed = any((a, di, shift.key, r) in chosen for a, r, _ in model.by_slot.get((di, shift.key), [])
                      if r in COUNTED_ROLES)
        if not staffed:
            continue
        for agent_id, role, _ in model.by_slot.get((di, shift.key), []):
            if (role == ROLE_SHADOW and shadows_left[agent_id] > 0
                    and _greedy_fits(instance, day, shift, taken[agent_id])
                    and not (shift.night and run[agent_id] >= limit)):
                chosen.add((agent_id, di, shift.key, ROLE_SHADOW))
                taken[agent_id].append(shift)
                shadows_left[agent_id] -= 1
                break


def _greedy_priority(agent: Agent, day: DutyDay, shift: Shift, load: list[int]) -> tuple:
    # Least loaded first (nights for a night shift), then wishes, then whoever worked less in earlier months.
    duty, nights = load
    first = (nights, duty) if shift.night else (duty, nights)
    wish = 0 if day.date in agent.preferred else 2 if day.date in agent.prefer_off else 1
    return (*first, wish, agent.history.duty + agent.history.night * shift.night, agent.id)


def _greedy_fits(instance: Instance, day: DutyDay, shift: Shift, taken: list[Shift]) -> bool:
    # Same-day limits only. A night running into the next duty day is not checked: should that make the hint
    # illegal, CP-SAT merely uses it as guidance instead of as its first solution.
    return len(taken) < instance.settings.max_shifts_per_day and not any(
        _overlap(day, shift, day, other) for other in taken
    )


# --- running CP-SAT ----------------------------------------------------------------------------------------------


def _solver(instance: Instance, time_limit_s: float) -> cp_model.CpSolver:
    settings = instance.settings
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.random_seed = settings.seed
    solver.parameters.num_workers = settings.workers
    if settings.workers == 1:
        # Reproducible mode: one worker stopped by deterministic time (work units, not clock) gives the same
        # roster on every run. The wall-clock limit stays as a safety net; on a much slower machine it can
        # fire first, and then the result again depends on timing. Several workers search better but race.
        solver.parameters.max_deterministic_time = time_limit_s * DETERMINISTIC_TIME_PER_SECOND
    return solver


class _ProgressCallback(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution, e.g. to a Celery task's state, so the UI can show progress."""

    def __init__(self, progress: Progress, started: float) -> None:
        super().__init__()
        self._progress = progress
        self._started = started
        self._solutions = 0

    def on_solution_callback(self) -> None:
        self._solutions += 1
        self._progress({
            "solutions": self._solutions,
            "objective": int(round(self.objective_value)),
            "bound": int(round(self.best_objective_bound)),
            "elapsed": round(time.monotonic() - self._started, 3),
        })


def _read_assignments(instance: Instance, model: _Model, solver: cp_model.CpSolver) -> list[Assignment]:
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


def _override(instance: Instance, **changes: object) -> Instance:
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        return instance
    settings = dataclasses.replace(instance.settings, **changes)
    if settings.time_limit_s <= 0 or settings.workers < 1:
        raise InstanceError("--time-limit must be > 0 and --workers >= 1")
    return dataclasses.replace(instance, settings=settings)


if __name__ == "__main__":
    sys.exit(main())
