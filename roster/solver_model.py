"""The CP-SAT model of a month: hard rules as constraints, coverage and balance as a weighted objective.

Only legal placements get a variable, so most hard rules (R-ROSTER-5 skills, -6 qualification, -8 leave, and R-LAW-4
protected people: roster.law) hold by construction; R-ROSTER-3, -6 (shadows), -7, -8 (one shift at a time) and the
working-time law's rest day (R-LAW-1) and extended-hours cap (R-LAW-2) are constraints, built from roster.law's
definitions (the law's own check, law.labour_violations, then judges the result like any other roster). Coverage
gives way through a heavily weighted slack, so a month that cannot be fully staffed still gets its best partial
roster: the law is never traded for coverage.

Balance (R-ROSTER-4) compares every qualified agent of the month, whatever their skills: for duty, night and
holiday shifts, the most minus the fewest this month, and the same over the previous 3 months plus this month.
Agents who worked more in the previous 3 months are pushed towards fewer shifts now by a linear term.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from roster import law
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
    Shift,
)

CATEGORIES = ("duty", "night", "holiday")
# Lower goals, in their own units (per wish, per shadow shift, per shift x history difference).
W_PREFERENCE = 30  # per wish not honoured: preferred date not worked, or prefer-off date worked
W_SHADOW = 100  # per shadow shift a new hire still wants and does not get (R-ROSTER-6)
W_HISTORY_SPREAD = 200  # per shift of spread over the previous 3 months plus this month
W_HISTORY_LOAD = 2  # per shift given, times how many more shifts the agent worked in the previous 3 months
HISTORY_CAP = 12  # a history difference counts up to this many shifts
# Wishes of the wish window (issue 26), per unit of the team's wish weight (0-10) and of the person's priority:
W_WISH_OFF = 10  # per wished day off worked
W_SHIFT_WISH = 2  # per shift of an avoided kind, or not of a preferred kind
W_DEVIATION = 2 * HISTORY_CAP * W_HISTORY_LOAD + 1  # per shift an agent works above or below the team's share

Slot = tuple[int, str]  # (index into instance.days, shift key)
Key = tuple[int, int, str, str]  # (agent id, day index, shift key, role)


@dataclass(frozen=True)
class Weights:
    """Integer weights, ordered so that a higher goal is never traded for any amount of the lower ones:
    coverage, then this month's spreads, then everything else."""

    uncovered: int
    spread: dict[str, int]  # per category: per shift of this month's max - min over all qualified agents
    deviation: dict[str, int]  # per category: per shift an agent works above or below the share


def weights_for(instance: Instance) -> Weights:
    qualified = sum(a.qualified for a in instance.agents)
    wishes = sum(len(a.preferred) + len(a.prefer_off) for a in instance.agents)
    shadows = sum(a.shadow_shifts_needed for a in instance.agents)
    # Everything the wish-window terms could cost at most (each wish refused, each shift of a wrong kind).
    most_shifts = len(instance.days) * instance.settings.max_shifts_per_day
    wish_window = sum(
        wish_costs(instance, a)[0] * len(a.wishes.days_off) + wish_costs(instance, a)[1] * most_shifts
        for a in instance.agents
    )
    # One more shift of spread could at best let each agent move two shifts along the history term, honour every
    # wish and give every shadow shift: make a shift of spread cost more than all of that.
    # Per agent and shift away from the share: worth more than the history push that could pull it there.
    deviation = {"duty": 2 * W_DEVIATION, "night": W_DEVIATION, "holiday": W_DEVIATION}
    lower = (
        2 * HISTORY_CAP * W_HISTORY_LOAD * qualified * len(CATEGORIES)
        + W_PREFERENCE * wishes
        + wish_window
        + W_SHADOW * shadows
        + 10 * W_HISTORY_SPREAD * len(CATEGORIES)
        + 2 * sum(deviation.values()) * qualified
        + 1
    )
    spread = {"duty": 2 * lower, "night": lower, "holiday": lower}
    # A missing head costs more than any change of spreads it could cause (each count moves by one).
    uncovered = 2 * sum(spread.values()) + lower
    return Weights(uncovered=uncovered, spread=spread, deviation=deviation)


@dataclass
class Model:
    cp: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    by_slot: dict[Slot, list[tuple[int, str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    by_agent: dict[int, list[tuple[Slot, str, cp_model.IntVar]]] = field(default_factory=lambda: defaultdict(list))
    objective: list[cp_model.LinearExprT] = field(default_factory=list)
    shortfall: list[cp_model.IntVar] = field(default_factory=list)
    # Auxiliary variables and how to compute each from the x values, so that a hint can be complete.
    derived: list[tuple[cp_model.IntVar, Callable[[Callable[[cp_model.IntVar], int]], int]]] = field(
        default_factory=list
    )


class OutOfTime(Exception):
    """Building the model would take longer than the time it was given (a very large month on a busy machine)."""


def build(instance: Instance, weights: Weights, *, deadline: float | None = None) -> Model:
    """The model; raises OutOfTime if `deadline` (time.monotonic()) passes while building."""
    model = Model()
    steps = (
        lambda: _create_vars(instance, model),
        lambda: _add_coverage(instance, model, weights),
        lambda: _add_promotion_pairs(instance, model),
        lambda: _add_shadow_rules(instance, model),
        lambda: _add_agent_limits(instance, model),
        lambda: _add_night_limit(instance, model),
        lambda: _add_law(instance, model),
        lambda: _add_balance(instance, model, weights),
        lambda: _add_wishes(instance, model),
        lambda: _add_wish_window(instance, model),
        lambda: model.cp.minimize(sum(model.objective)),
    )
    for step in steps:
        if deadline is not None and time.monotonic() > deadline:
            raise OutOfTime
        step()
    return model


def add_hint(model: Model, instance: Instance, assignments: Iterable[Assignment]) -> None:
    """A complete hint (auxiliaries included): CP-SAT checks it as its first solution, then improves on it."""
    index = {day.date: di for di, day in enumerate(instance.days)}
    chosen = {(a.agent, index[a.date], a.shift, a.role) for a in assignments}
    values = {var.index: int(key in chosen) for key, var in model.x.items()}

    def val(var: cp_model.IntVar) -> int:
        return values[var.index]

    for var, compute in model.derived:
        values[var.index] = compute(val)
    # One bulk write instead of one call per variable: 40,000 variables for a 1,000-agent month.
    hint = model.cp.model_proto.solution_hint
    hint.vars.extend(values.keys())
    hint.values.extend(values.values())


def size(instance: Instance) -> int:
    """How many placement variables the model would have (without building it): agent-shift pairs allowed."""
    count = 0
    terms = law.terms_for(instance)
    for day in instance.days:
        for agent in instance.agents:
            if not agent.is_free(day.date):
                continue
            for shift in day.shifts:
                if terms.forbidden(agent, day, shift):
                    continue
                if agent.qualified and shift.skills <= agent.skills:
                    count += len(counted_roles(day, shift))
                elif not agent.qualified and agent.shadow_shifts_needed > 0:
                    count += 1
    return count


def counted_roles(day: DutyDay, shift: Shift) -> tuple[str, ...]:
    if shift.headcount == 0:
        return ()
    if not day.promotion:
        return (ROLE_MEMBER,)
    # R-ROSTER-7: A/B pair; with headcount 1 there is no room for a backup (reported as promotion_headcount).
    return (ROLE_PRIMARY, ROLE_BACKUP) if shift.headcount >= 2 else (ROLE_PRIMARY,)


# --- variables and hard rules ------------------------------------------------------------------------------------


def _create_vars(instance: Instance, model: Model) -> None:
    terms = law.terms_for(instance)
    for di, day in enumerate(instance.days):
        roles = [(shift, counted_roles(day, shift)) for shift in day.shifts]
        for agent in instance.agents:
            if not agent.is_free(day.date):  # R-ROSTER-8: leave, unavailable
                continue
            for shift, shift_roles in roles:
                if terms.forbidden(agent, day, shift):  # R-LAW-4: no night, no extended hours when protected
                    continue
                if agent.qualified and shift.skills <= agent.skills:  # R-ROSTER-5 skills; R-ROSTER-6 qualified
                    for role in shift_roles:
                        _new_var(model, agent, di, shift, role)
                elif not agent.qualified and agent.shadow_shifts_needed > 0:
                    # R-ROSTER-6: a new hire only ever shadows; no skill required to watch and learn.
                    _new_var(model, agent, di, shift, ROLE_SHADOW)


def _new_var(model: Model, agent: Agent, di: int, shift: Shift, role: str) -> None:
    var = model.cp.new_bool_var("")
    model.x[(agent.id, di, shift.key, role)] = var
    model.by_slot[(di, shift.key)].append((agent.id, role, var))
    model.by_agent[agent.id].append(((di, shift.key), role, var))


def _counted(model: Model, slot: Slot, roles: Iterable[str] = COUNTED_ROLES) -> list[cp_model.IntVar]:
    roles = set(roles)
    return [var for _, role, var in model.by_slot.get(slot, []) if role in roles]


def _add_coverage(instance: Instance, model: Model, weights: Weights) -> None:
    # R-ROSTER-5: the headcount, softened by a slack so an understaffed month still yields a roster. The solver
    # never puts more people on a shift than its headcount: an extra person only ever unbalances the month.
    for di, day in enumerate(instance.days):
        for shift in day.shifts:
            counted = _counted(model, (di, shift.key))
            slack = model.cp.new_int_var(0, shift.headcount, f"short_{di}_{shift.key}")
            model.cp.add(sum(counted) + slack == shift.headcount)
            model.derived.append((slack, _shortfall(shift.headcount, counted)))
            model.objective.append(weights.uncovered * slack)
            model.shortfall.append(slack)


def _add_promotion_pairs(instance: Instance, model: Model) -> None:
    # R-ROSTER-7: one primary; backups only beside a primary, so any staffed shift has its A role.
    for di, day in enumerate(instance.days):
        if not day.promotion:
            continue
        for shift in day.shifts:
            primary = sum(_counted(model, (di, shift.key), [ROLE_PRIMARY]))
            backup = sum(_counted(model, (di, shift.key), [ROLE_BACKUP]))
            model.cp.add(primary <= 1)
            model.cp.add(backup <= (shift.headcount - 1) * primary)


def _add_shadow_rules(instance: Instance, model: Model) -> None:
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


def _add_agent_limits(instance: Instance, model: Model) -> None:
    # R-ROSTER-8: at most one role per shift, max shifts per date, never two overlapping shifts.
    limit = instance.settings.max_shifts_per_day
    conflicts = _overlapping_slots(instance)
    for entries in model.by_agent.values():
        by_slot: dict[Slot, list[cp_model.IntVar]] = defaultdict(list)
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


def _overlapping_slots(instance: Instance) -> list[tuple[Slot, Slot]]:
    """Pairs of distinct slots sharing time: same day, or a night running into the next calendar day."""
    slots = [(di, day, shift) for di, day in enumerate(instance.days) for shift in day.shifts]
    pairs = []
    for i, (di, day, shift) in enumerate(slots):
        for dj, other_day, other in slots[i + 1 :]:
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


def _add_night_limit(instance: Instance, model: Model) -> None:
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
            window = nights[start : start + limit + 1]
            if sum(1 for n in window if not isinstance(n, int)) > limit:
                model.cp.add(sum(window) <= limit)
        for k in range(min(limit, len(nights))):
            # Days 0..k all nights would make a run of trailing + k + 1.
            if agent.trailing_nights + k + 1 > limit:
                model.cp.add(sum(nights[: k + 1]) <= k)


def _add_law(instance: Instance, model: Model) -> None:
    """R-LAW-2: each person's rest-day and holiday hours within what the cap leaves them; R-LAW-1: each week keeps a
    rest date no shift of the month takes. Shadows count (they are at work)."""
    terms = law.terms_for(instance)
    if not terms.on:
        return
    per_day = instance.settings.max_shifts_per_day
    for agent in instance.agents:
        entries = model.by_agent.get(agent.id, [])
        if not entries:
            continue
        mine = terms.agent(agent)
        facts = {}
        for slot, _, _ in entries:
            shift = instance.days[slot[0]].shift(slot[1])
            assert shift is not None  # the model has a variable only for a shift of that day
            facts[slot] = terms.slot(instance.days[slot[0]], shift)
        if mine.budget_centi is not None:
            weighted = [(terms.extended_centi(agent, facts[slot]), var) for slot, _, var in entries]
            weighted = [(centi, var) for centi, var in weighted if centi]
            if sum(centi for centi, _ in weighted) > mine.budget_centi:
                model.cp.add(sum(centi * var for centi, var in weighted) <= max(mine.budget_centi, 0))
        for week in mine.weeks:
            if not week.open:
                # Other months' rosters took every rest date of the week: this month may add no duty on one.
                for (di, _key), _, var in entries:
                    if instance.days[di].date in week.candidates:
                        model.cp.add(var == 0)
                continue
            on_date: dict[date, list[cp_model.IntVar]] = {d: [] for d in week.open}
            for (di, _key), _, var in entries:
                if instance.days[di].date in on_date:
                    on_date[instance.days[di].date].append(var)
            if any(not found for found in on_date.values()):
                continue  # a rest date no shift of this month can take: the week keeps it whatever the roster
            busy = []
            for vars_ in on_date.values():
                if per_day == 1:
                    busy.append(sum(vars_))  # at most one shift a date (_add_agent_limits): 0 or 1
                else:
                    taken = model.cp.new_bool_var("")
                    for var in vars_:
                        model.cp.add_implication(var, taken)
                    model.derived.append((taken, _any_of(vars_)))
                    busy.append(taken)
            model.cp.add(sum(busy) <= len(busy) - 1)


def _night_worked(model: Model, vars_: list[cp_model.IntVar]) -> cp_model.LinearExprT:
    if len(vars_) <= 1:
        return vars_[0] if vars_ else 0
    worked = model.cp.new_bool_var("")
    for var in vars_:
        model.cp.add_implication(var, worked)
    model.derived.append((worked, lambda val: max(map(val, vars_))))
    return worked


# --- balance (R-ROSTER-4) ------------------------------------------------------------------------------------------


def category_slots(instance: Instance, category: str) -> set[Slot] | None:
    """The slots a category counts (None: every slot, for duty)."""
    if category == "duty":
        return None
    if category == "night":
        return {(di, s.key) for di, d in enumerate(instance.days) for s in d.shifts if s.night}
    return {(di, s.key) for di, d in enumerate(instance.days) if d.holiday for s in d.shifts}


def history_of(agent: Agent, category: str) -> int:
    count: int = getattr(agent.history, category)
    return count


def _add_balance(instance: Instance, model: Model, weights: Weights) -> None:
    # R-ROSTER-4 compares the qualified agents who can take a share (law.balanced_agents).
    qualified = law.balanced_agents(instance)
    if not qualified:
        return
    per_day = instance.settings.max_shifts_per_day
    for category in CATEGORIES:
        slots = category_slots(instance, category)
        if slots is not None and not slots:
            continue
        entries = [_agent_entries(model, a, slots) for a in qualified]
        counts = [[var for _, var in e] for e in entries]
        # This month, every qualified agent against every other (R-ROSTER-4: skills do not split the team).
        _add_spread(model, [(v, 0) for v in counts], weights.spread[category])
        # max - min only sees the two ends, and one agent on leave all month fixes an end. So each agent who can
        # take shifts of the category also pays for every shift above or below the share of those agents: the
        # search then gains from each single move towards balance, not only from moving a whole end at once.
        demand = sum(
            s.headcount for di, d in enumerate(instance.days) for s in d.shifts if slots is None or (di, s.key) in slots
        )
        capable = [v for v, e in zip(counts, entries, strict=True) if _capacity(e, per_day) > 0]
        if capable and demand:
            _add_deviation(model, capable, demand / len(capable), weights.deviation[category])
        # The previous 3 months plus this month, and a push towards whoever worked less before.
        history = [history_of(a, category) for a in qualified]
        _add_spread(model, [(v, h) for v, h in zip(counts, history, strict=True)], W_HISTORY_SPREAD)
        lowest = min(history)
        for vars_, h in zip(counts, history, strict=True):
            extra = min(h - lowest, HISTORY_CAP)
            if extra and vars_:
                model.objective.append(W_HISTORY_LOAD * extra * sum(vars_))


def _add_deviation(model: Model, counts: list[list[cp_model.IntVar]], share: float, weight: int) -> None:
    """weight per shift above ceil(share) or below floor(share), per agent."""
    above, below = math.ceil(share), math.floor(share)
    for vars_ in counts:
        if not vars_:
            continue
        if len(vars_) > above:
            over = model.cp.new_int_var(0, len(vars_) - above, "")
            model.cp.add(over >= sum(vars_) - above)
            model.derived.append((over, _above(vars_, above)))
            model.objective.append(weight * over)
        if below > 0:
            under = model.cp.new_int_var(0, below, "")
            model.cp.add(under >= below - sum(vars_))
            model.derived.append((under, _below(vars_, below)))
            model.objective.append(weight * under)


def _agent_entries(model: Model, agent: Agent, slots: set[Slot] | None) -> list[tuple[Slot, cp_model.IntVar]]:
    """The agent's counted variables with their slots, on `slots` only if given."""
    return [
        (slot, var)
        for slot, role, var in model.by_agent.get(agent.id, [])
        if role in COUNTED_ROLES and (slots is None or slot in slots)
    ]


def _capacity(entries: list[tuple[Slot, cp_model.IntVar]], per_day: int) -> int:
    """The most shifts these variables allow: distinct slots, at most `per_day` a date."""
    days: dict[int, set[str]] = defaultdict(set)
    for (di, key), _ in entries:
        days[di].add(key)
    return sum(min(per_day, len(keys)) for keys in days.values())


def _add_spread(model: Model, counts: list[tuple[list[cp_model.IntVar], int]], weight: int) -> None:
    """Add weight * (high - low) with every `sum(vars) + offset` between low and high (minimised: max - min)."""
    lowest = min(offset for _, offset in counts)
    highest = max(len(vars_) + offset for vars_, offset in counts)
    high = model.cp.new_int_var(lowest, highest, "")
    low = model.cp.new_int_var(lowest, highest, "")
    for vars_, offset in counts:
        model.cp.add(sum(vars_) + offset <= high)
        model.cp.add(sum(vars_) + offset >= low)
    model.derived.append((high, lambda val: max(sum(map(val, v)) + o for v, o in counts)))
    model.derived.append((low, lambda val: min(sum(map(val, v)) + o for v, o in counts)))
    model.objective.append(weight * (high - low))


def _add_wishes(instance: Instance, model: Model) -> None:
    # Soft: honour "I'd like to work that date" and "I'd rather be off that date".
    index = {day.date: di for di, day in enumerate(instance.days)}
    for agent, day, wants_work in wishes(instance):
        vars_ = [var for (di, _), _, var in model.by_agent.get(agent.id, []) if di == index[day]]
        if not vars_:
            continue  # nothing the agent may do that day (e.g. a new hire with no shadow shifts left to do)
        worked = model.cp.new_bool_var("")
        model.derived.append((worked, _any_of(vars_)))
        if wants_work:
            # Minimising (1 - worked) pushes worked up; it may only be 1 if some shift is taken.
            model.cp.add(worked <= sum(vars_))
            model.objective.append(W_PREFERENCE * (1 - worked))
        else:
            for var in vars_:
                model.cp.add_implication(var, worked)
            model.objective.append(W_PREFERENCE * worked)


def wishes(instance: Instance) -> list[tuple[Agent, date, bool]]:
    """(agent, date, wants to work) for each wish on a duty date when the agent is free (leave decides otherwise)."""
    found: list[tuple[Agent, date, bool]] = []
    for agent in instance.agents:
        for day in instance.days:
            if not agent.is_free(day.date):
                continue
            if day.date in agent.preferred:
                found.append((agent, day.date, True))
            elif day.date in agent.prefer_off:
                found.append((agent, day.date, False))
    return found


# --- the wish window (issue 26): objective terms only, no constraint ------------------------------------------------


def wish_costs(instance: Instance, agent: Agent) -> tuple[int, int]:
    """(cost of working a wished day off, cost of a shift of the wrong kind) for `agent`: the team's weight times
    the person's priority (refused last month: more)."""
    unit = instance.settings.wish_weight * agent.wishes.priority
    has_kind_wishes = bool(agent.wishes.prefer_shifts or agent.wishes.avoid_shifts)
    return W_WISH_OFF * unit, W_SHIFT_WISH * unit if has_kind_wishes else 0


def _add_wish_window(instance: Instance, model: Model) -> None:
    index = {day.date: di for di, day in enumerate(instance.days)}
    for agent in instance.agents:
        off_cost, kind_cost = wish_costs(instance, agent)
        entries = model.by_agent.get(agent.id, [])
        if off_cost:
            for day in agent.wishes.days_off:
                di = index.get(day)
                worked = [var for (d, _), _, var in entries if d == di]
                # At most one shift a date is counted here, so the sum is 0 or 1 (R-ROSTER-8 makes it so).
                model.objective.extend(off_cost * var for var in worked)
        if kind_cost:
            prefer, avoid = agent.wishes.prefer_shifts, agent.wishes.avoid_shifts
            for (_, key), role, var in entries:
                if role in COUNTED_ROLES and (key in avoid or (prefer and key not in prefer)):
                    model.objective.append(kind_cost * var)


# --- what a derived variable is worth, given the values of the variables it stands for (Model.derived) -----------

Value = Callable[[cp_model.IntVar], int]


def _shortfall(headcount: int, counted: list[cp_model.IntVar]) -> Callable[[Value], int]:
    return lambda val: headcount - sum(map(val, counted))


def _above(vars_: list[cp_model.IntVar], above: int) -> Callable[[Value], int]:
    return lambda val: max(0, sum(map(val, vars_)) - above)


def _below(vars_: list[cp_model.IntVar], below: int) -> Callable[[Value], int]:
    return lambda val: max(0, below - sum(map(val, vars_)))


def _any_of(vars_: list[cp_model.IntVar]) -> Callable[[Value], int]:
    return lambda val: max(map(val, vars_))
