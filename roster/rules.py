"""The roster's hard rules (R-ROSTER-3, -5, -6, -7, -8; the working-time law R-LAW-1, -2, -4 through roster.law) and its
balance (R-ROSTER-4) as pure functions on plain values.

`check_roster` judges any roster, generated or edited by hand, and shares nothing with the solver's model but
the dataclasses, so it can serve as the solver's independent guard; `spreads` likewise recounts the balance the
solver claims. The smaller functions are what the roster grid calls on each edit. Every `Violation` has an
English `message`; `code` + `params` (docs/solver-format.md) carry what the Chinese UI needs to say the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dutydesk.months import month_start
from roster import law
from roster.instance import (
    COUNTED_ROLES,
    ROLE_BACKUP,
    ROLE_MEMBER,
    ROLE_PRIMARY,
    ROLE_SHADOW,
    ROLES,
    Agent,
    Assignment,
    DutyDay,
    Instance,
    Shift,
    Violation,
)

# R-ROSTER-6: one new hire at a time beside the experienced agent(s).
MAX_SHADOWS_PER_SHIFT = 1


@dataclass(frozen=True)
class Totals:
    """One agent's shifts in a roster. duty/night/holiday count shifts that count toward headcount (R-ROSTER-4)."""

    duty: int = 0
    night: int = 0
    holiday: int = 0
    shadow: int = 0


# --- public functions -----------------------------------------------------------------------------------------


def check_roster(instance: Instance, assignments: Iterable[Assignment]) -> list[Violation]:
    """Every hard-rule violation of `assignments`, ordered by date, shift, agent."""
    known, violations = _split_unknown(instance, assignments)
    by_slot: dict[tuple[date, str], list[Assignment]] = defaultdict(list)
    for a in known:
        by_slot[(a.date, a.shift)].append(a)
    by_agent = _by_agent(known)
    # A short shift's explanation asks the law about every free agent (_blocked_counts): one state for them all.
    claims = law.Claims(instance, known)
    for day in instance.days:
        for shift in day.shifts:
            violations += _shift_violations(instance, by_agent, claims, day, shift, by_slot[(day.date, shift.key)])
    for agent in instance.agents:
        violations += _agent_violations(instance, agent, by_agent.get(agent.id, []))
    # R-LAW-1, -2, -4: the working-time law, decided in one place for every caller.
    violations += law.labour_violations(instance, known)
    return sorted(violations, key=_order_key(instance))


def roster_warnings(instance: Instance, assignments: Iterable[Assignment]) -> list[Violation]:
    """What a supervisor should look at but may publish past: shifts with more people than their headcount.

    R-ROSTER-5: the headcount is the minimum; a busy night may get an extra person on purpose.
    """
    known = _known(instance, assignments)
    counted: dict[tuple[date, str], set[int]] = defaultdict(set)
    for a in known:
        if a.role in COUNTED_ROLES:
            counted[(a.date, a.shift)].add(a.agent)
    warnings = []
    for day in instance.days:
        for shift in day.shifts:
            n = len(counted[(day.date, shift.key)])
            if n > shift.headcount:
                warnings.append(
                    _shift_violation(
                        "R-ROSTER-5",
                        "over_headcount",
                        f"{_label(day, shift)} has {n} agents, {shift.headcount} needed ({n - shift.headcount} extra)",
                        day,
                        shift,
                        counted=n,
                        headcount=shift.headcount,
                        extra=n - shift.headcount,
                    )
                )
    return warnings


def edit_refusal(
    instance: Instance, assignments: Iterable[Assignment], agent_id: int, day: date, shift_key: str
) -> Violation | None:
    """Why `agent_id` cannot be put on `shift_key` on `day` at all (R-ROSTER-8), or None if they can.

    Only the reasons a person physically cannot hold the shift: unknown slot, leave, declared unavailable,
    already on an overlapping shift, day already full. Skills, nights and coverage are for `check_roster`.
    """
    agent = instance.agents_by_id.get(agent_id)
    duty_day = instance.days_by_date.get(day)
    shift = duty_day.shift(shift_key) if duty_day else None
    if agent is None or duty_day is None or shift is None:
        return _unknown(Assignment(agent_id, day, shift_key), instance)
    if day in agent.leave or day in agent.unavailable:
        return _absence(agent, duty_day, shift)
    # Re-placing an agent on a slot they already hold is not a conflict with itself.
    others = [
        a for a in _known(instance, assignments) if a.agent == agent_id and not (a.date == day and a.shift == shift_key)
    ]
    return _placement_conflict(instance, agent, duty_day, shift, others)


def take_refusal(
    instance: Instance, assignments: Iterable[Assignment], agent_id: int, day: date, shift_key: str
) -> Violation | None:
    """Why `agent_id` may not take a place on `shift_key` on `day`, given the roster `assignments` without the place
    being handed over (its holder already off it), or None: the one question every taking of a shift asks (a
    substitute for leave, a colleague named in a swap, a claim of an open or given-away shift in the marketplace).

    In this order, the first reason found: R-ROSTER-6 (a new hire never works a place alone), R-ROSTER-5 (every
    skill the shift needs), R-ROSTER-8 (leave, a day declared unavailable, another shift at the same time or that
    day), already on this very shift, R-ROSTER-3 (nights in a row, from the previous month's roster on) and the
    working-time law (R-LAW-1, -2, -4: roster.law.claim_refusal). A/B pairs (R-ROSTER-7) are a matter of the role
    the taker is given, which the final check (check_roster, in roster.services.revise_published) judges.
    """
    mine = list(assignments)
    agent = instance.agents_by_id.get(agent_id)
    duty_day = instance.days_by_date.get(day)
    shift = duty_day.shift(shift_key) if duty_day else None
    if agent is None or duty_day is None or shift is None:
        return _unknown(Assignment(agent_id, day, shift_key), instance)
    if not agent.qualified:
        return _agent_violation(
            "R-ROSTER-6",
            "unqualified_alone",
            f"{_label(duty_day, shift)}: {agent.name} is not qualified yet and may only shadow",
            duty_day,
            shift,
            agent,
            role=ROLE_MEMBER,
        )
    missing = sorted(shift.skills - agent.skills)
    if missing:
        return _agent_violation(
            "R-ROSTER-5",
            "missing_skill",
            f"{_label(duty_day, shift)}: {agent.name} lacks skill {', '.join(missing)}",
            duty_day,
            shift,
            agent,
            missing=missing,
            required=sorted(shift.skills),
        )
    refusal = edit_refusal(instance, mine, agent_id, day, shift_key)
    if refusal is not None:
        return refusal
    if any(a.agent == agent_id and a.date == day and a.shift == shift_key for a in mine):
        return Violation(
            rule="R-ROSTER-8",
            code="already_on_shift",
            message="already on this shift",
            date=day,
            shift=shift_key,
            agent=agent_id,
        )
    limit = instance.settings.max_consecutive_nights
    if shift.night:
        others = [a for a in _known(instance, mine) if a.agent == agent_id and a.date != day]
        run = _night_run_if_added(instance, agent, duty_day, others)
        if run > limit:
            return Violation(
                rule="R-ROSTER-3",
                code="consecutive_nights",
                message=f"{day.isoformat()}: {run} night shifts in a row, at most {limit}",
                date=day,
                shift=shift_key,
                agent=agent_id,
                params={"nights": run, "max": limit},
            )
    return law.claim_refusal(instance, mine, agent_id, day, shift_key)


def agent_totals(instance: Instance, assignments: Iterable[Assignment]) -> dict[int, Totals]:
    """Per agent (every agent of the instance, zeros included): duty, night, holiday and shadow shifts."""
    counts: dict[int, list[int]] = {a.id: [0, 0, 0, 0] for a in instance.agents}
    for a in _known(instance, assignments):
        day = instance.days_by_date[a.date]
        shift = _shift_of(instance, a)
        row = counts[a.agent]
        if a.role == ROLE_SHADOW:
            row[3] += 1
            continue
        row[0] += 1
        row[1] += shift.night
        row[2] += day.holiday
    return {agent_id: Totals(*row) for agent_id, row in counts.items()}


# R-ROSTER-4: the counts compared across the team, this month and over the previous 3 months plus this month.
SPREADS = (
    "duty_spread",
    "night_spread",
    "holiday_spread",
    "history_duty_spread",
    "history_night_spread",
    "history_holiday_spread",
)


@dataclass(frozen=True)
class Spread:
    """The most minus the fewest of one count over every qualified agent, and who is at each end."""

    value: int = 0
    most: int = 0
    fewest: int = 0
    most_agents: tuple[int, ...] = ()
    fewest_agents: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "most": self.most,
            "most_agents": list(self.most_agents),
            "fewest": self.fewest,
            "fewest_agents": list(self.fewest_agents),
        }


def spreads(
    instance: Instance, assignments: Iterable[Assignment], *, totals: dict[int, Totals] | None = None
) -> dict[str, Spread]:
    """R-ROSTER-4 balance as a supervisor recounts it from the grid: max - min over every qualified agent of the
    month (new hires, who only shadow, excluded; so is whoever the working-time law keeps off every shift,
    law.excluded), whatever their skills; keys are SPREADS. `totals`: agent_totals of the same assignments, when
    the caller has them already."""
    if totals is None:
        totals = agent_totals(instance, assignments)
    qualified = law.balanced_agents(instance)
    counts: dict[str, Callable[[Agent], int]] = {
        "duty_spread": lambda a: totals[a.id].duty,
        "night_spread": lambda a: totals[a.id].night,
        "holiday_spread": lambda a: totals[a.id].holiday,
        "history_duty_spread": lambda a: a.history.duty + totals[a.id].duty,
        "history_night_spread": lambda a: a.history.night + totals[a.id].night,
        "history_holiday_spread": lambda a: a.history.holiday + totals[a.id].holiday,
    }
    result = {}
    for key in SPREADS:
        values = {a.id: counts[key](a) for a in qualified}
        if not values:
            result[key] = Spread()
            continue
        most, fewest = max(values.values()), min(values.values())
        result[key] = Spread(
            value=most - fewest,
            most=most,
            fewest=fewest,
            most_agents=tuple(i for i, v in values.items() if v == most),
            fewest_agents=tuple(i for i, v in values.items() if v == fewest),
        )
    return result


def shift_coverage(instance: Instance, assignments: Iterable[Assignment]) -> dict[tuple[date, str], tuple[int, int]]:
    """(date, shift key) -> (agents counted toward headcount, headcount), for every shift of the month."""
    counted: dict[tuple[date, str], set[int]] = defaultdict(set)
    for a in _known(instance, assignments):
        if a.role in COUNTED_ROLES:
            counted[(a.date, a.shift)].add(a.agent)
    return {
        (day.date, shift.key): (len(counted[(day.date, shift.key)]), shift.headcount)
        for day in instance.days
        for shift in day.shifts
    }


def shifts_overlap(day_a: date, shift_a: Shift, day_b: date, shift_b: Shift) -> bool:
    """True if the two shifts share any time; a night running past midnight can meet the next day's shift."""
    start_a, end_a = shift_a.interval(day_a)
    start_b, end_b = shift_b.interval(day_b)
    return start_a < end_b and start_b < end_a


def eligible_agents(instance: Instance, day: DutyDay, shift: Shift) -> list[Agent]:
    """Qualified agents free on the day who hold every skill the shift needs (R-ROSTER-5, -6, -8)."""
    return [a for a in instance.agents if a.qualified and a.is_free(day.date) and shift.skills <= a.skills]


# --- unknown references ----------------------------------------------------------------------------------------


def _split_unknown(instance: Instance, assignments: Iterable[Assignment]) -> tuple[list[Assignment], list[Violation]]:
    known, violations = [], []
    for a in assignments:
        problem = _unknown(a, instance)
        if problem:
            violations.append(problem)
        else:
            known.append(a)
    return known, violations


def _known(instance: Instance, assignments: Iterable[Assignment]) -> list[Assignment]:
    return _split_unknown(instance, assignments)[0]


def _unknown(a: Assignment, instance: Instance) -> Violation | None:
    day = instance.days_by_date.get(a.date)
    field: str
    value: int | str
    if a.agent not in instance.agents_by_id:
        field, value = "agent", a.agent
    elif day is None:
        field, value = "date", a.date.isoformat()
    elif day.shift(a.shift) is None:
        field, value = "shift", a.shift
    elif a.role not in ROLES:
        field, value = "role", a.role
    else:
        return None
    return Violation(
        rule="R-ROSTER-1",
        code="unknown",
        message=f"Assignment of agent {a.agent} to {a.date.isoformat()} {a.shift} ({a.role}): unknown {field} {value}",
        date=a.date,
        shift=a.shift,
        agent=a.agent,
        params={"field": field, "value": value},
    )


# --- one shift: coverage, skills, shadows, A/B pair --------------------------------------------------------------


def _shift_violations(
    instance: Instance,
    by_agent: dict[int, list[Assignment]],
    claims: law.Claims,
    day: DutyDay,
    shift: Shift,
    on_shift: list[Assignment],
) -> list[Violation]:
    counted_ids = sorted({a.agent for a in on_shift if a.role in COUNTED_ROLES})
    counted = [instance.agents_by_id[i] for i in counted_ids]
    violations = _coverage(instance, by_agent, claims, day, shift, counted)
    violations += _skills(day, shift, counted)
    violations += _shadows(instance, day, shift, on_shift, counted)
    violations += _promotion(day, shift, on_shift)
    return violations


def _coverage(
    instance: Instance,
    by_agent: dict[int, list[Assignment]],
    claims: law.Claims,
    day: DutyDay,
    shift: Shift,
    counted: list[Agent],
) -> list[Violation]:
    # R-ROSTER-5: at least `headcount` agents count toward the shift (shadows excluded, R-ROSTER-6); more is
    # allowed and only warned about (roster_warnings).
    n = len(counted)
    if n < shift.headcount:
        return [_explain_shortfall(instance, by_agent, claims, day, shift, n)]
    return []


def _explain_shortfall(
    instance: Instance,
    by_agent: dict[int, list[Assignment]],
    claims: law.Claims,
    day: DutyDay,
    shift: Shift,
    n: int,
) -> Violation:
    """Why a shift is short, found by counting agents, independently of how the roster was made."""
    label, needed, short = _label(day, shift), shift.headcount, shift.headcount - n
    shortage = _skill_shortage(instance, day, shift)
    if shortage is not None:
        skills, available = shortage
        skill = " + ".join(skills)
        return _shift_violation(
            "R-ROSTER-5",
            "skill_shortage",
            f"{label} needs skill {skill}: {_agents(available, 'qualified agent')} available, {needed} needed",
            day,
            shift,
            skill=skill,
            skills=list(skills),
            available=available,
            needed=needed,
            counted=n,
        )
    eligible = eligible_agents(instance, day, shift)
    common = {"counted": n, "headcount": needed, "short": short, "free": len(eligible)}
    head = f"{label} has {n} of {needed} agents ({short} short)"
    if len(eligible) < needed:
        return _shift_violation(
            "R-ROSTER-5",
            "under_headcount",
            f"{head}: only {_agents(len(eligible), 'qualified agent')} free",
            day,
            shift,
            reason="too_few_free",
            elsewhere=0,
            nights=0,
            addable=0,
            **common,
        )
    elsewhere, nights, by_law, addable = _blocked_counts(instance, by_agent, claims, day, shift, eligible)
    if addable:
        return _shift_violation(
            "R-ROSTER-5",
            "under_headcount",
            f"{head}: {_agents(addable, 'eligible agent')} not assigned",
            day,
            shift,
            reason="not_filled",
            elsewhere=elsewhere,
            nights=nights,
            addable=addable,
            **common,
        )
    if any(by_law.values()):
        # The month is short because of the law: say which rule keeps how many of the free agents off it.
        return _shift_violation(
            "R-ROSTER-5",
            "under_headcount",
            f"{head}: the working-time law keeps the free agents off it (no rest day left {by_law['rest']}, "
            f"extended-hours cap {by_law['cap']}, protection period {by_law['protected']}; elsewhere {elsewhere}, "
            f"night limit {nights})",
            day,
            shift,
            reason="law",
            elsewhere=elsewhere,
            nights=nights,
            addable=0,
            **{f"law_{kind}": count for kind, count in by_law.items()},
            **common,
        )
    return _shift_violation(
        "R-ROSTER-5",
        "under_headcount",
        f"{head}: agents needed elsewhere ({elsewhere}) or at the consecutive-night limit ({nights})",
        day,
        shift,
        reason="blocked",
        elsewhere=elsewhere,
        nights=nights,
        addable=0,
        **common,
    )


def _skill_shortage(instance: Instance, day: DutyDay, shift: Shift) -> tuple[tuple[str, ...], int] | None:
    """(skills, free qualified holders) when fewer free agents hold the skills than the headcount needs."""
    if not shift.skills:
        return None
    free = [a for a in instance.agents if a.qualified and a.is_free(day.date)]
    # Name the scarcest single skill (ties: alphabetical): "needs skill VIP" is what a supervisor can act on.
    scarcest = min(sorted(shift.skills), key=lambda skill: sum(skill in a.skills for a in free))
    holders = sum(scarcest in a.skills for a in free)
    if holders < shift.headcount:
        return (scarcest,), holders
    # Enough holders of each skill, but too few hold all of them together.
    holders = sum(shift.skills <= a.skills for a in free)
    if holders < shift.headcount:
        return tuple(sorted(shift.skills)), holders
    return None


# Why the law keeps a free agent off a shift (roster.law codes), as the shortfall's params name them.
_LAW_KIND = {
    law.NO_REST_DAY: "rest",
    law.EXTENDED_HOURS: "cap",
    law.PROTECTED_NIGHT: "protected",
    law.PROTECTED_EXTENDED: "protected",
}
_LAW_BLOCKS = ("rest", "cap", "protected")


def _blocked_counts(
    instance: Instance,
    by_agent: dict[int, list[Assignment]],
    claims: law.Claims,
    day: DutyDay,
    shift: Shift,
    eligible: list[Agent],
) -> tuple[int, int, dict[str, int], int]:
    """Of the eligible agents not on the shift: how many are busy elsewhere, at the night limit, kept off by the
    working-time law (per rule: rest, cap, protected), or addable."""
    elsewhere = nights = addable = 0
    by_law = dict.fromkeys(_LAW_BLOCKS, 0)
    for agent in eligible:
        mine = by_agent.get(agent.id, [])
        if any(a.date == day.date and a.shift == shift.key for a in mine):
            continue
        if _placement_conflict(instance, agent, day, shift, mine):
            elsewhere += 1
        elif shift.night and _night_run_if_added(instance, agent, day, mine) > instance.settings.max_consecutive_nights:
            nights += 1
        elif (code := claims.refusal_code(agent.id, day.date, shift.key)) is not None:
            by_law[_LAW_KIND[code]] += 1
        else:
            addable += 1
    return elsewhere, nights, by_law, addable


def _skills(day: DutyDay, shift: Shift, counted: list[Agent]) -> list[Violation]:
    # R-ROSTER-5: every counted agent holds all of the shift's skills.
    violations = []
    for agent in counted:
        missing = sorted(shift.skills - agent.skills)
        if missing:
            violations.append(
                _agent_violation(
                    "R-ROSTER-5",
                    "missing_skill",
                    f"{_label(day, shift)}: {agent.name} lacks skill {', '.join(missing)}",
                    day,
                    shift,
                    agent,
                    missing=missing,
                    required=sorted(shift.skills),
                )
            )
    return violations


def _shadows(
    instance: Instance, day: DutyDay, shift: Shift, on_shift: list[Assignment], counted: list[Agent]
) -> list[Violation]:
    label, violations = _label(day, shift), []
    shadow_ids = sorted({a.agent for a in on_shift if a.role == ROLE_SHADOW})
    for agent in counted:
        if not agent.qualified:
            # R-ROSTER-6: a new hire never works a shift alone, i.e. never counts toward headcount.
            role = next(a.role for a in on_shift if a.agent == agent.id and a.role in COUNTED_ROLES)
            violations.append(
                _agent_violation(
                    "R-ROSTER-6",
                    "unqualified_alone",
                    f"{label}: {agent.name} is not qualified yet and may only shadow",
                    day,
                    shift,
                    agent,
                    role=role,
                )
            )
    for agent_id in shadow_ids:
        agent = instance.agents_by_id[agent_id]
        if agent.qualified:
            violations.append(
                _agent_violation(
                    "R-ROSTER-6",
                    "qualified_as_shadow",
                    f"{label}: {agent.name} is qualified and should not shadow",
                    day,
                    shift,
                    agent,
                )
            )
    if shadow_ids and not any(a.qualified for a in counted):
        violations.append(
            _shift_violation(
                "R-ROSTER-6",
                "shadow_alone",
                f"{label}: a shadow needs a qualified agent on the shift",
                day,
                shift,
                shadows=len(shadow_ids),
            )
        )
    if len(shadow_ids) > MAX_SHADOWS_PER_SHIFT:
        violations.append(
            _shift_violation(
                "R-ROSTER-6",
                "too_many_shadows",
                f"{label} has {len(shadow_ids)} shadows, at most {MAX_SHADOWS_PER_SHIFT}",
                day,
                shift,
                shadows=len(shadow_ids),
                max=MAX_SHADOWS_PER_SHIFT,
            )
        )
    return violations


def _promotion(day: DutyDay, shift: Shift, on_shift: list[Assignment]) -> list[Violation]:
    label = _label(day, shift)
    counts = {
        role: len({a.agent for a in on_shift if a.role == role}) for role in (ROLE_PRIMARY, ROLE_BACKUP, ROLE_MEMBER)
    }
    if not day.promotion:
        # R-ROSTER-7: A/B roles belong to promotion days only.
        if counts["primary"] or counts["backup"]:
            return [
                _shift_violation(
                    "R-ROSTER-7",
                    "promotion_pair",
                    f"{label} is not a promotion day: use role member, not primary/backup",
                    day,
                    shift,
                    promotion=False,
                    **counts,
                )
            ]
        return []
    if shift.headcount < 2:
        return [
            _shift_violation(
                "R-ROSTER-7",
                "promotion_headcount",
                f"{label} is on a promotion day and needs a headcount of at least 2 for an A/B pair, "
                f"has {shift.headcount}",
                day,
                shift,
                headcount=shift.headcount,
            )
        ]
    # R-ROSTER-7: one primary who answers, backups who assist and record; no plain members.
    if counts["primary"] != 1 or counts["backup"] < 1 or counts["member"]:
        return [
            _shift_violation(
                "R-ROSTER-7",
                "promotion_pair",
                f"{label} is a promotion day and needs exactly 1 primary and at least 1 backup "
                f"(has {counts['primary']} primary, {counts['backup']} backup, "
                f"{counts['member']} member)",
                day,
                shift,
                promotion=True,
                **counts,
            )
        ]
    return []


# --- one agent: absence, overlap, per-day limit, consecutive nights ------------------------------------------------


def _agent_violations(instance: Instance, agent: Agent, mine: list[Assignment]) -> list[Violation]:
    violations = []
    for a in mine:
        day = instance.days_by_date[a.date]
        if not agent.is_free(a.date):
            violations.append(_absence(agent, day, _shift_of(instance, a)))
    violations += _overlaps(instance, agent, mine)
    violations += _per_day(instance, agent, mine)
    violations += _night_runs(instance, agent, mine)
    return violations


def _absence(agent: Agent, day: DutyDay, shift: Shift) -> Violation:
    # R-ROSTER-8: approved leave wins over a mere declaration when both apply.
    if day.date in agent.leave:
        return _agent_violation(
            "R-ROSTER-8", "on_leave", f"{_label(day, shift)}: {agent.name} is on leave", day, shift, agent
        )
    return _agent_violation(
        "R-ROSTER-8",
        "unavailable",
        f"{_label(day, shift)}: {agent.name} declared this date unavailable",
        day,
        shift,
        agent,
    )


def _overlaps(instance: Instance, agent: Agent, mine: list[Assignment]) -> list[Violation]:
    # R-ROSTER-8: one shift at a time; reported once per pair, on the later shift.
    # Each shift's time worked out once (shifts_overlap's test on them): an agent's grid row asks it of every pair.
    slots = sorted(
        (
            (shift.interval(day.date), day, shift)
            for day, shift in ((instance.days_by_date[a.date], _shift_of(instance, a)) for a in mine)
        ),
        key=lambda slot: slot[0],
    )
    violations = []
    for i, ((start, end), day, shift) in enumerate(slots):
        for (other_start, other_end), other_day, other in slots[:i]:
            if start < other_end and other_start < end:
                violations.append(_overlap(agent, day, shift, other_day, other))
    return violations


def _overlap(agent: Agent, day: DutyDay, shift: Shift, other_day: DutyDay, other: Shift) -> Violation:
    return _agent_violation(
        "R-ROSTER-8",
        "overlap",
        f"{_label(day, shift)}: {agent.name} is already on {_label(other_day, other)} at the same time",
        day,
        shift,
        agent,
        other_date=other_day.date.isoformat(),
        other_shift=other.key,
    )


def _per_day(instance: Instance, agent: Agent, mine: list[Assignment]) -> list[Violation]:
    limit, violations = instance.settings.max_shifts_per_day, []
    keys_by_date: dict[date, set[str]] = defaultdict(set)
    for a in mine:
        keys_by_date[a.date].add(a.shift)
    for day_date, keys in sorted(keys_by_date.items()):
        if len(keys) > limit:
            violations.append(
                Violation(
                    rule="R-ROSTER-8",
                    code="too_many_per_day",
                    message=f"{day_date.isoformat()}: {agent.name} has {len(keys)} shifts, at most {limit} a day",
                    date=day_date,
                    agent=agent.id,
                    params={"shifts": len(keys), "max": limit},
                )
            )
    return violations


def _night_runs(instance: Instance, agent: Agent, mine: list[Assignment]) -> list[Violation]:
    # R-ROSTER-3: runs of nights over consecutive duty days, continuing the previous roster's trailing nights.
    # One violation per run, dated on the first night past the limit.
    limit, violations = instance.settings.max_consecutive_nights, []
    run, trailing, first_excess = agent.trailing_nights, agent.trailing_nights, None
    for i, worked in enumerate(_night_flags(instance, mine) + [False]):
        if worked:
            run += 1
            if run > limit and first_excess is None:
                first_excess = i
            continue
        if first_excess is not None:
            day = instance.days[first_excess]
            violations.append(
                Violation(
                    rule="R-ROSTER-3",
                    code="consecutive_nights",
                    message=f"{day.date.isoformat()}: {agent.name} works {run} night shifts in a row, at most {limit}",
                    date=day.date,
                    agent=agent.id,
                    params={"nights": run, "max": limit, "trailing": trailing},
                )
            )
        run, trailing, first_excess = 0, 0, None
    return violations


def _night_flags(instance: Instance, mine: list[Assignment]) -> list[bool]:
    # Shadows count: a shadow on a night shift is at work that night.
    nights = {a.date for a in mine if _shift_of(instance, a).night}
    return [day.date in nights for day in instance.days]


def _night_run_if_added(instance: Instance, agent: Agent, day: DutyDay, mine: list[Assignment]) -> int:
    worked = _night_flags(instance, mine)
    i = instance.days.index(day)
    before = 0
    while before < i and worked[i - 1 - before]:
        before += 1
    if before == i:
        before += agent.trailing_nights
    after = 0
    while i + 1 + after < len(worked) and worked[i + 1 + after]:
        after += 1
    return before + 1 + after


def _placement_conflict(
    instance: Instance, agent: Agent, day: DutyDay, shift: Shift, others: list[Assignment]
) -> Violation | None:
    """R-ROSTER-8: the agent's other assignments leave no room for this shift."""
    # A shift lasts at most a day (it ends by its start time the next day), so only the dates beside it can overlap.
    near = [a for a in others if abs((a.date - day.date).days) <= 1]
    for a in sorted(near, key=lambda a: (a.date, a.shift)):
        other_day = instance.days_by_date[a.date]
        other = _shift_of(instance, a)
        if shifts_overlap(day.date, shift, other_day.date, other):
            return _overlap(agent, day, shift, other_day, other)
    same_day = {a.shift for a in others if a.date == day.date}
    limit = instance.settings.max_shifts_per_day
    if len(same_day) >= limit:
        return Violation(
            rule="R-ROSTER-8",
            code="too_many_per_day",
            message=f"{day.date.isoformat()}: {agent.name} has {len(same_day) + 1} shifts, at most {limit} a day",
            date=day.date,
            shift=shift.key,
            agent=agent.id,
            params={"shifts": len(same_day) + 1, "max": limit},
        )
    return None


# --- small helpers ---------------------------------------------------------------------------------------------


def _shift_of(instance: Instance, a: Assignment) -> Shift:
    """The shift a known assignment (see `_known`) holds."""
    shift = instance.days_by_date[a.date].shift(a.shift)
    if shift is None:
        raise KeyError(f"{a.date.isoformat()} has no shift {a.shift}")
    return shift


def _by_agent(assignments: list[Assignment]) -> dict[int, list[Assignment]]:
    grouped: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        grouped[a.agent].append(a)
    return grouped


def _label(day: DutyDay, shift: Shift) -> str:
    return f"{day.date.isoformat()} {shift.name}"


def _agents(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _shift_violation(rule: str, code: str, message: str, day: DutyDay, shift: Shift, **params: Any) -> Violation:
    return Violation(rule=rule, code=code, message=message, date=day.date, shift=shift.key, params=params)


def _agent_violation(
    rule: str, code: str, message: str, day: DutyDay, shift: Shift, agent: Agent, **params: Any
) -> Violation:
    return Violation(
        rule=rule, code=code, message=message, date=day.date, shift=shift.key, agent=agent.id, params=params
    )


def _order_key(instance: Instance) -> Callable[[Violation], tuple[date, int, str, int, str, str]]:
    """By date, then the shift's position in its day (day-level first), then agent (shift-level first)."""

    def key(v: Violation) -> tuple[date, int, str, int, str, str]:
        day = instance.days_by_date.get(v.date) if v.date else None
        keys = [s.key for s in day.shifts] if day else []
        shift_pos = -1 if v.shift is None else (keys.index(v.shift) if v.shift in keys else len(keys))
        return (v.date or date.min, shift_pos, v.shift or "", -1 if v.agent is None else v.agent, v.code, v.message)

    return key


# --- deadlines (R-ROSTER-2) -----------------------------------------------------------------------------------


def publish_deadline(month: date, publish_days_ahead: int) -> date:
    """R-ROSTER-2: the last day to publish the roster of `month`, `publish_days_ahead` days before it starts."""
    return month_start(month) - timedelta(days=publish_days_ahead)


def availability_deadline(month: date, *, publish_days_ahead: int, closes_days: int) -> date:
    """The last day to declare availability for `month`: `closes_days` before the publish deadline, so the
    supervisor builds the roster from what was declared."""
    return publish_deadline(month, publish_days_ahead) - timedelta(days=closes_days)


# --- a generation run's status ---------------------------------------------------------------------------------

RUN_QUEUED, RUN_RUNNING, RUN_DONE, RUN_FAILED, RUN_CANCELLED = "queued", "running", "done", "failed", "cancelled"

# Every move a generation run's status may make; done, failed and cancelled are final. queued → failed: the broker
# refused the task, or the sweep gave up re-queueing it; running → failed: the solve failed, or the sweep found its
# worker gone; queued or running → cancelled: the supervisor stopped it.
GENERATION_MOVES: dict[str, frozenset[str]] = {
    RUN_QUEUED: frozenset({RUN_RUNNING, RUN_FAILED, RUN_CANCELLED}),
    RUN_RUNNING: frozenset({RUN_DONE, RUN_FAILED, RUN_CANCELLED}),
}
RUN_ACTIVE = frozenset(GENERATION_MOVES)


def run_may_move(current: str, to: str) -> bool:
    return to in GENERATION_MOVES.get(current, frozenset())
