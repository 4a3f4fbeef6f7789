"""Working-time law on the plain month (R-LAW-1, R-LAW-2, R-LAW-4): the one place that decides it.

- `labour_violations(instance, assignments)`: every problem at once. `roster.rules.check_roster` includes them, so
  the grid, publication (refused while one stands), revisions, swaps and the generator's final guard all judge
  by this.
- `claim_refusal(instance, assignments, agent_id, day, shift_key)`: why one more shift would break the law for that
  person, or None: substitutes, swaps and any future claim of a shift ask this.
- `excluded(instance)`: people in a protection period on every duty day of the month; they are left out of the
  month's balance (R-ROSTER-4), and the balance panel says why.
- `Terms(instance)`: the definitions all of these are made of: which shifts a protected person may not take, the
  rest-day and holiday hours of a shift, each person's hours left under the cap, the rest days each week can still
  give. The generator builds its hard constraints (roster.solver_model) and its moves (solver_greedy,
  solver_local, through `Tracker`) from them; `make bench` re-checks with code that shares none of this.

The rules, as the brief of issue 21 and DOMAIN.md put them:
- R-LAW-1 (劳动法第三十八条), standard system only: each calendar week (Monday to Sunday) keeps at least one date with
  neither regular work nor duty. A date's kind comes with the instance (WorkingTime.days: the team's working week,
  调休上班 days added, holidays and holiday-break days removed). Approved leave is not duty, so a duty date on leave
  is a rest day. A shift belongs to its date, as the roster shows it: a Saturday night that ends at 06:00 on
  Sunday leaves Sunday the week's rest date (more than 24 h free from Friday evening on). A week whose last rest
  day was already taken by another month's roster is that roster's problem, until this month adds duty on one of
  its rest dates.
- R-LAW-2 (第四十一条), standard and comprehensive systems: a person's rest-day and holiday duty hours (counted as
  duty hours are, roster.hours) of the month stay within `cap_hours`; under comprehensive hours, the hours of the
  settlement period (this month and the other months' rosters in force) within `cap_hours` x `period_months`. A
  shift counts in the month of its date. Rest-day hours compensated with comp time count unless the team says not.
- R-LAW-4 (女职工劳动保护特别规定第六条、第九条), every system: on a date in a protection period, no night shift (marked
  night, or overlapping 22:00-06:00) and no extended hours, so no duty touching a rest day or a holiday.
Shadows (R-ROSTER-6) are at work: their shifts count for all three. Without `instance.working_time` nothing here
applies (an instance written before the law was checked).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from roster.hours import hours, seconds_by_date
from roster.instance import (
    HOLIDAY,
    NURSING,
    PREGNANCY,
    REST_DAY,
    SYSTEM_COMPREHENSIVE,
    SYSTEM_FLEXIBLE,
    SYSTEM_STANDARD,
    WORKDAY,
    Agent,
    Assignment,
    DutyDay,
    Instance,
    Protection,
    Shift,
    Violation,
)

NO_REST_DAY, EXTENDED_HOURS = "no_rest_day", "extended_hours"
PROTECTED_NIGHT, PROTECTED_EXTENDED = "protected_night", "protected_extended"
CODES = frozenset({NO_REST_DAY, EXTENDED_HOURS, PROTECTED_NIGHT, PROTECTED_EXTENDED})
# Problems that tell a protection period: shown only to whoever may see it (the person, supervisors, managers).
PRIVATE_CODES = frozenset({PROTECTED_NIGHT, PROTECTED_EXTENDED})
RULES = {NO_REST_DAY: "R-LAW-1", EXTENDED_HOURS: "R-LAW-2", PROTECTED_NIGHT: "R-LAW-4", PROTECTED_EXTENDED: "R-LAW-4"}
# The article of 女职工劳动保护特别规定 behind each kind of protection period.
ARTICLE = {PREGNANCY: 6, NURSING: 9}
# R-LAW-4: night work is work between 22:00 and 06:00.
NIGHT_FROM, NIGHT_UNTIL = time(22, 0), time(6, 0)

Slot = tuple[date, str]


@dataclass(frozen=True)
class Facts:
    """What the law sees in one shift on one date."""

    dates: tuple[date, ...]  # the calendar dates it touches
    rest: Decimal  # hours on rest days
    holiday: Decimal  # hours on statutory holidays
    night: bool  # marked night, or overlapping 22:00-06:00

    @property
    def extended(self) -> Decimal:
        return self.rest + self.holiday


@dataclass(frozen=True)
class Week:
    """One calendar week for one person: the dates that may be its rest day (neither regular work nor, through
    another month's roster, duty), and all its non-working dates."""

    monday: date
    candidates: frozenset[date]  # rest days and holidays of the week
    open: frozenset[date]  # of those, not already taken by another month's shifts


def without_protection(violations: Iterable[Violation]) -> list[Violation]:
    """The problems as readers who may not know of protection periods see them (R-LAW-4: the person, supervisors
    and managers only): a protected person's own problems left out, and a short shift's count of people in a
    protection period told among its other reasons."""
    shown = []
    for v in violations:
        if v.code in PRIVATE_CODES:
            continue
        if v.code == "under_headcount" and v.params.get("reason") == "law":
            params = dict(v.params)
            hidden = params.pop("law_protected", 0) or 0
            others = sum(params.get(k) or 0 for k in ("elsewhere", "nights")) + hidden
            head = v.message.split(": the working-time law")[0]
            message = (
                f"{head}: the working-time law keeps the free agents off it (no rest day left "
                f"{params.get('law_rest', 0)}, extended-hours cap {params.get('law_cap', 0)}; other reasons {others})"
            )
            v = replace(v, message=message, params={**params, "reason": "law_public", "others": others})
        shown.append(v)
    return shown


def is_night(shift_start: datetime, shift_end: datetime, marked: bool) -> bool:
    """R-LAW-4: a night shift is one marked night or one that overlaps 22:00-06:00 on any date."""
    if marked:
        return True
    day = shift_start.date() - timedelta(days=1)
    while day <= shift_end.date():
        night_start = datetime.combine(day, NIGHT_FROM)
        night_end = datetime.combine(day + timedelta(days=1), NIGHT_UNTIL)
        if shift_start < night_end and night_start < shift_end:
            return True
        day += timedelta(days=1)
    return False


def _centi(value: Decimal) -> int:
    return int(value * 100)


class Terms:
    """The law's definitions for one month, worked out once (see the module docstring)."""

    def __init__(self, instance: Instance) -> None:
        self.instance = instance
        self.working_time = instance.working_time
        self.on = self.working_time is not None
        wt = self.working_time
        first = date.fromisoformat(f"{instance.month}-01")
        self.month_first = first
        self.month_last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        self.rest_rule = self.on and wt.system == SYSTEM_STANDARD
        self.cap_rule = self.on and wt.system != SYSTEM_FLEXIBLE
        if self.on and wt.system == SYSTEM_COMPREHENSIVE and wt.period_start is not None:
            self.period = (wt.period_start, wt.period_end)
            self.cap_centi = wt.cap_hours * wt.period_months * 100
        else:
            self.period = (self.month_first, self.month_last)
            self.cap_centi = (wt.cap_hours * 100) if self.on else 0
        self._facts: dict[tuple, Facts] = {}
        self._slots: dict[Slot, Facts] = {}
        self._agents: dict[int, _AgentTerms] = {}
        # Every (date, shift key) of the month with its day and shift, found once.
        self.where: dict[Slot, tuple[DutyDay, Shift]] = {
            (d.date, s.key): (d, s) for d in instance.days for s in d.shifts
        }
        # R-LAW-1: the weeks touching the month, each with its rest dates (the same for everyone; a person's
        # other shifts may take some, _AgentTerms).
        self.weeks: list[Week] = []
        if self.rest_rule:
            monday = first - timedelta(days=first.weekday())
            while monday <= self.month_last:
                candidates = frozenset(
                    d for d in (monday + timedelta(days=i) for i in range(7)) if wt.kind(d) != WORKDAY
                )
                if candidates:
                    self.weeks.append(Week(monday, candidates, candidates))
                monday += timedelta(days=7)
        # Each date's week, for everyone whose other months' shifts take none of its rest dates (_AgentTerms).
        self.week_of = _week_of(self.weeks)
        self._slot_centi: dict[bool, dict[Slot, int]] = {}

    # --- shifts ----------------------------------------------------------------------------------------------

    def facts(self, day: date, start: time, end: time, marked_night: bool) -> Facts:
        key = (day, start, end, marked_night)
        found = self._facts.get(key)
        if found is None:
            found = self._facts[key] = self._work_out(day, start, end, marked_night)
        return found

    def _work_out(self, day: date, start: time, end: time, marked_night: bool) -> Facts:
        begins = datetime.combine(day, start)
        ends = datetime.combine(day, end)
        if ends <= begins:
            ends += timedelta(days=1)
        seconds = seconds_by_date([(begins, ends)])
        by_kind = {REST_DAY: 0.0, HOLIDAY: 0.0}
        for touched, count in seconds.items():
            kind = self.working_time.kind(touched) if self.on else None
            if kind in by_kind:
                by_kind[kind] += count
        # Rounded once per kind of day, as duty-hours statements round them (compensation.rules.shift_hours).
        return Facts(
            dates=tuple(sorted(d for d, count in seconds.items() if count > 0)),
            rest=hours(by_kind[REST_DAY]),
            holiday=hours(by_kind[HOLIDAY]),
            night=is_night(begins, ends, marked_night),
        )

    def slot(self, day: DutyDay, shift: Shift) -> Facts:
        found = self._slots.get((day.date, shift.key))
        if found is None:
            found = self._slots[(day.date, shift.key)] = self.facts(day.date, shift.start, shift.end, shift.night)
        return found

    def slot_at(self, day: date, key: str) -> Facts:
        duty_day, shift = self.where[(day, key)]
        return self.slot(duty_day, shift)

    # --- people ----------------------------------------------------------------------------------------------

    def agent(self, agent: Agent) -> _AgentTerms:
        found = self._agents.get(agent.id)
        if found is None:
            found = self._agents[agent.id] = _AgentTerms(self, agent)
        return found

    def extended_centi(self, agent: Agent, facts: Facts) -> int:
        """R-LAW-2: the hours (x100) of this shift that count toward the agent's cap."""
        if not self.cap_rule:
            return 0
        rest = facts.rest
        if agent.comp_time and not self.working_time.count_comp_time:
            rest = Decimal(0)
        return _centi(rest + facts.holiday)

    def slot_centi(self, agent: Agent) -> dict[Slot, int]:
        """extended_centi of every slot of the month for the agent, worked out once per kind of person (it depends
        on the person only through whether their comp-time hours count, R-LAW-2)."""
        key = bool(agent.comp_time and self.on and not self.working_time.count_comp_time)
        found = self._slot_centi.get(key)
        if found is None:
            found = self._slot_centi[key] = {
                slot: self.extended_centi(agent, self.slot(day, shift)) for slot, (day, shift) in self.where.items()
            }
        return found

    def forbidden(self, agent: Agent, day: DutyDay, shift: Shift) -> tuple[str, Protection] | None:
        """R-LAW-4: (code, protection period) when a protection period forbids the shift, else None."""
        if not self.on or not agent.protections:
            return None
        facts = self.slot(day, shift)
        for protection in agent.protections:
            if any(protection.covers(d) for d in facts.dates) or protection.covers(day.date):
                if facts.night:
                    return PROTECTED_NIGHT, protection
                if facts.extended > 0:
                    return PROTECTED_EXTENDED, protection
        return None


class _AgentTerms:
    """One person's side of the law this month: hours left under the cap, their weeks."""

    def __init__(self, terms: Terms, agent: Agent) -> None:
        self.agent = agent
        start, end = terms.period
        outside_busy: set[date] = set()
        used = 0
        for other in agent.other_shifts:
            if terms.month_first <= other.date <= terms.month_last:
                continue  # a shift of this month is an assignment, never "other"
            facts = terms.facts(other.date, other.start, other.end, other.night)
            outside_busy.add(other.date)
            if start <= other.date <= end:
                used += terms.extended_centi(agent, facts)
        self.used_centi = used  # extended hours x100 already held in the period by other months' rosters
        # None: no cap applies. May be negative: other months already hold more than the cap.
        self.budget_centi = terms.cap_centi - used if terms.cap_rule else None
        self.weeks = terms.weeks
        self.week_of = terms.week_of  # the month's, shared: most people's other months take no rest date of it
        if outside_busy:
            self.weeks = [Week(w.monday, w.candidates, w.candidates - outside_busy) for w in terms.weeks]
            self.week_of = _week_of(self.weeks)
        self.outside_busy = frozenset(outside_busy)

    def weeks_of(self, day: date) -> list[Week]:
        """The week whose rest dates a shift on `day` takes one of (none on a working day)."""
        week = self.week_of.get(day)
        return [week] if week is not None and day in week.candidates else []


def _week_of(weeks: list[Week]) -> dict[date, Week]:
    return {w.monday + timedelta(days=i): w for w in weeks for i in range(7)}


def terms_for(instance: Instance) -> Terms:
    """The month's Terms, worked out once per instance object and kept with it (an instance is immutable; hashing
    a 1,000-agent month to look it up would cost more than most of the questions asked of it)."""
    found = instance.__dict__.get("_law_terms")
    if found is None:
        found = instance.__dict__["_law_terms"] = Terms(instance)
    return found


# --- the check -----------------------------------------------------------------------------------------------


def labour_violations(instance: Instance, assignments: Iterable[Assignment]) -> list[Violation]:
    """Every working-time problem of the roster (R-LAW-1, -2, -4), per person in time order. Assignments naming an
    unknown agent, date or shift are left to check_roster (it reports them)."""
    if instance.working_time is None:
        return []
    terms = terms_for(instance)
    mine: dict[int, list[Assignment]] = defaultdict(list)
    for a in assignments:
        day = instance.days_by_date.get(a.date)
        if a.agent in instance.agents_by_id and day is not None and day.shift(a.shift) is not None:
            mine[a.agent].append(a)
    violations = []
    for agent in instance.agents:
        if mine.get(agent.id):
            violations += agent_violations(terms, agent, mine[agent.id])
    return violations


def agent_violations(terms: Terms, agent: Agent, mine: list[Assignment]) -> list[Violation]:
    """One person's working-time problems (their assignments of the month in `mine`)."""
    held = sorted(((a, *terms.where[(a.date, a.shift)]) for a in mine), key=_in_time_order)
    violations = []
    for _a, day, shift in held:
        found = terms.forbidden(agent, day, shift)
        if found is not None:
            violations.append(_protected(agent, day, shift, *found))
    mine_terms = terms.agent(agent)
    if mine_terms.budget_centi is not None:
        # Dated on the first shift that takes the hours past the cap; none when this month adds no such hours
        # (other months' rosters alone are over: theirs to revise).
        total, over = 0, None
        for _a, day, shift in held:
            extra = terms.extended_centi(agent, terms.slot(day, shift))
            total += extra
            if over is None and extra and total > mine_terms.budget_centi:
                over = (day, shift)
        if over is not None:
            violations.append(_over_cap(terms, agent, *over, month_centi=total))
    for week in mine_terms.weeks:
        touching = [(day, shift) for _a, day, shift in held if day.date in week.candidates]
        if not touching:
            continue
        busy = set(mine_terms.outside_busy) | {day.date for day, _shift in touching}
        if week.candidates <= busy:
            violations.append(_no_rest(agent, week, touching))
    return violations


def _in_time_order(item) -> tuple:
    _a, day, shift = item
    return (day.date, shift.start)


def claim_refusal(
    instance: Instance, assignments: Iterable[Assignment], agent_id: int, day: date, shift_key: str
) -> Violation | None:
    """Why `agent_id` may not take `shift_key` on `day` under the working-time law, given their other shifts in
    `assignments` (the ones on the same date are set aside: taking this shift replaces them), or None."""
    agent = instance.agents_by_id.get(agent_id)
    duty_day = instance.days_by_date.get(day)
    shift = duty_day.shift(shift_key) if duty_day else None
    if instance.working_time is None or agent is None or shift is None:
        return None
    terms = terms_for(instance)
    tracker = Tracker(terms)
    for a in assignments:
        if a.agent == agent_id and a.date != day:
            found = terms.where.get((a.date, a.shift))
            if found is not None:
                tracker.add(agent, *found)
    return tracker.refusal(agent, duty_day, shift)


_Answer = TypeVar("_Answer")


class Claims:
    """`claim_refusal` asked of many people about one roster (the shortfall explanation asks it of every free
    agent): the roster's law state worked out once, not once per question. The same answers as claim_refusal."""

    def __init__(self, instance: Instance, assignments: Iterable[Assignment]) -> None:
        self.instance = instance
        self.assignments = assignments
        self._tracker: Tracker | None = None
        self._held: dict[tuple[int, date], list[tuple[DutyDay, Shift]]] = defaultdict(list)

    def _built(self) -> Tracker:
        if self._tracker is None:
            terms = terms_for(self.instance)
            self._tracker = Tracker(terms)
            for a in self.assignments:
                agent, found = self.instance.agents_by_id.get(a.agent), terms.where.get((a.date, a.shift))
                if agent is not None and found is not None:
                    self._tracker.add(agent, *found)
                    self._held[(a.agent, a.date)].append(found)
        return self._tracker

    def refusal(self, agent_id: int, day: date, shift_key: str) -> Violation | None:
        return self._ask(agent_id, day, shift_key, Tracker.refusal)

    def refusal_code(self, agent_id: int, day: date, shift_key: str) -> str | None:
        """The code of `refusal` without its sentence: what the shortfall explanation counts, for every free agent
        of a short shift (issue 22 item 8: writing 200 sentences nobody reads cost a millisecond a view)."""
        problem = self._ask(agent_id, day, shift_key, Tracker._problem)
        return None if problem is None else problem[0]

    def _ask(self, agent_id: int, day: date, shift_key: str, question: Callable[..., _Answer]) -> _Answer | None:
        instance = self.instance
        agent = instance.agents_by_id.get(agent_id)
        duty_day = instance.days_by_date.get(day)
        shift = duty_day.shift(shift_key) if duty_day else None
        if instance.working_time is None or agent is None or duty_day is None or shift is None:
            return None
        tracker = self._built()
        # As claim_refusal: the person's shifts on the same date are set aside (taking this one replaces them).
        same_date = self._held.get((agent_id, day), [])
        for held in same_date:
            tracker.remove(agent, *held)
        try:
            return question(tracker, agent, duty_day, shift)
        finally:
            for held in same_date:
                tracker.add(agent, *held)


def excluded(instance: Instance) -> dict[int, Protection]:
    """Qualified agents whose protection periods cover every duty day of the month, each with the period (the
    first that covers a duty day): the law exempts them from the month's night, rest-day and holiday duty, so the
    month's balance (R-ROSTER-4) does not compare them with the others. They may still take what the law allows
    (a working day's day shift); a period covering part of the month leaves the person in the balance, their
    smaller share explained (spread_limits: working_time)."""
    if instance.working_time is None or not instance.days:
        return {}
    found = {}
    for agent in instance.agents:
        if not agent.qualified or not agent.protections:
            continue
        covering = [next((p for p in agent.protections if p.covers(d.date)), None) for d in instance.days]
        if all(covering):
            found[agent.id] = covering[0]
    return found


def balanced_agents(instance: Instance) -> list[Agent]:
    """The agents the month's balance compares: qualified (R-ROSTER-6) and not kept off every shift by the law."""
    out = excluded(instance)
    return [a for a in instance.agents if a.qualified and a.id not in out]


# --- keeping the law while building a roster --------------------------------------------------------------------


class Tracker:
    """The law's running state of a roster being built or changed: per person, the hours held against the cap and
    the duty dates. `refusal` says whether one more shift keeps every rule (the same definitions as
    labour_violations); the greedy start and the local search ask it before every move."""

    def __init__(self, terms: Terms) -> None:
        self.terms = terms
        self.centi: dict[int, int] = {}
        self.busy: dict[int, dict[date, int]] = {}

    def add(self, agent: Agent, day: DutyDay, shift: Shift) -> None:
        self.centi[agent.id] = self.centi.get(agent.id, 0) + self.terms.extended_centi(
            agent, self.terms.slot(day, shift)
        )
        busy = self.busy.setdefault(agent.id, {})
        busy[day.date] = busy.get(day.date, 0) + 1

    def remove(self, agent: Agent, day: DutyDay, shift: Shift) -> None:
        self.centi[agent.id] = self.centi.get(agent.id, 0) - self.terms.extended_centi(
            agent, self.terms.slot(day, shift)
        )
        busy = self.busy.setdefault(agent.id, {})
        busy[day.date] = busy.get(day.date, 0) - 1

    def allows(self, agent: Agent, day: DutyDay, shift: Shift) -> bool:
        return self._problem(agent, day, shift) is None

    def refusal(self, agent: Agent, day: DutyDay, shift: Shift) -> Violation | None:
        problem = self._problem(agent, day, shift)
        if problem is None:
            return None
        kind, detail = problem
        if kind in PRIVATE_CODES:
            return _protected(agent, day, shift, kind, detail)
        if kind == EXTENDED_HOURS:
            return _over_cap(self.terms, agent, day, shift, month_centi=detail)
        return _no_rest(agent, detail, [(day, shift)])

    def _problem(self, agent: Agent, day: DutyDay, shift: Shift) -> tuple[str, object] | None:
        terms = self.terms
        if not terms.on:
            return None
        found = terms.forbidden(agent, day, shift)
        if found is not None:
            return found
        facts = terms.slot(day, shift)
        mine = terms.agent(agent)
        if mine.budget_centi is not None:
            extra = terms.extended_centi(agent, facts)
            held = self.centi.get(agent.id, 0)
            if extra and held + extra > mine.budget_centi:
                return EXTENDED_HOURS, held + extra
        if mine.weeks:
            busy = self.busy.get(agent.id, {})
            for week in mine.weeks_of(day.date):
                if all(busy.get(d, 0) > 0 or d in mine.outside_busy or d == day.date for d in week.candidates):
                    return NO_REST_DAY, week
        return None


# --- how much a person can legally work: an upper bound, for roster.spread_limits ---------------------------------


def capacity(instance: Instance, agent: Agent, slots: list[Slot], per_day: int) -> int:
    """The most of these slots the agent could hold under the law, per_day a date at most: an upper bound (each
    rule is counted on its own, so no roster of them does better)."""
    if instance.working_time is None:
        return _per_date(slots, per_day)
    terms = terms_for(instance)
    allowed = slots
    if agent.protections:
        allowed = [(d, k) for d, k in slots if terms.forbidden(agent, *terms.where[(d, k)]) is None]
    by_date: dict[date, int] = {}
    for d, _k in allowed:
        by_date[d] = by_date.get(d, 0) + 1
    best = sum(min(per_day, n) for n in by_date.values())
    mine = terms.agent(agent)
    if mine.weeks:
        # R-LAW-1: of a week's rest dates, all but one at most.
        limit, resting = 0, defaultdict(list)
        for d, n in by_date.items():
            week = mine.week_of.get(d)
            if week is None or d not in week.candidates:
                limit += min(per_day, n)
            else:
                resting[week].append(min(per_day, n))
        for week, counts in resting.items():
            room = max(len(week.open) - 1, 0)
            limit += sum(sorted(counts, reverse=True)[:room])
        best = min(best, limit)
    if mine.budget_centi is not None:
        # R-LAW-2: the cheapest shift of each date, cheapest dates first, within the hours left.
        cheapest: dict[date, int] = {}
        centi_of = terms.slot_centi(agent)
        for slot in allowed:
            centi, d = centi_of[slot], slot[0]
            if centi < cheapest.get(d, centi + 1):
                cheapest[d] = centi
        budget, count = max(mine.budget_centi, 0), 0
        for centi in sorted(cheapest.values()):
            if centi > budget:
                break
            budget -= centi
            count += 1
        best = min(best, count * per_day)
    return best


def _per_date(slots: list[Slot], per_day: int) -> int:
    by_date: dict[date, int] = defaultdict(int)
    for d, _k in slots:
        by_date[d] += 1
    return sum(min(per_day, n) for n in by_date.values())


# --- the problems, as Violations (English message; code + params for the user's language, roster.messages) ----------


def _hours_text(centi: int) -> str:
    value = Decimal(centi) / 100
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _protected(agent: Agent, day: DutyDay, shift: Shift, code: str, protection: Protection) -> Violation:
    what = "a night shift" if code == PROTECTED_NIGHT else "rest-day or holiday duty (extended hours)"
    return Violation(
        rule="R-LAW-4",
        code=code,
        message=f"{day.date.isoformat()} {shift.name}: {agent.name} is in a protection period and may not work {what}",
        date=day.date,
        shift=shift.key,
        agent=agent.id,
        params={
            "kind": protection.kind,
            "article": ARTICLE.get(protection.kind, 6),
            "start": protection.start.isoformat(),
            "end": protection.end.isoformat(),
        },
    )


def _over_cap(terms: Terms, agent: Agent, day: DutyDay, shift: Shift, *, month_centi: int) -> Violation:
    mine = terms.agent(agent)
    total = month_centi + mine.used_centi
    cap = terms.cap_centi
    period = terms.period != (terms.month_first, terms.month_last)
    where = f"{terms.period[0].isoformat()}..{terms.period[1].isoformat()}" if period else terms.instance.month
    return Violation(
        rule="R-LAW-2",
        code=EXTENDED_HOURS,
        message=(
            f"{day.date.isoformat()} {shift.name}: {agent.name} reaches {_hours_text(total)} h of rest-day and "
            f"holiday duty in {where}, more than {_hours_text(cap)} h"
        ),
        date=day.date,
        shift=shift.key,
        agent=agent.id,
        params={
            "hours": _hours_text(total),
            "cap": _hours_text(cap),
            "monthly_cap": terms.working_time.cap_hours,
            "period": period,
            "period_start": terms.period[0].isoformat(),
            "period_end": terms.period[1].isoformat(),
        },
    )


def _no_rest(agent: Agent, week: Week, touching: list[tuple[DutyDay, Shift]]) -> Violation:
    day, shift = max(touching, key=lambda item: item[1].interval(item[0].date))
    sunday = week.monday + timedelta(days=6)
    return Violation(
        rule="R-LAW-1",
        code=NO_REST_DAY,
        message=(
            f"{day.date.isoformat()} {shift.name}: {agent.name} has no rest day in the week "
            f"{week.monday.isoformat()}..{sunday.isoformat()}"
        ),
        date=day.date,
        shift=shift.key,
        agent=agent.id,
        params={
            "week_start": week.monday.isoformat(),
            "week_end": sunday.isoformat(),
            "dates": sorted(d.isoformat() for d in week.candidates),
        },
    )
