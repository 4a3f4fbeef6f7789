"""The month grid as plain rows and cells for the templates: agents down, duty dates across.

Built from the plain `Instance` and the version's plain assignments only, so the page costs the same few queries
for 10 agents or 200 (queries.solver_instance reads everything in a fixed number of queries).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from roster import instance as plain
from roster import rules
from roster.messages import describe, summarise

ROLE_SUFFIX = {
    plain.ROLE_MEMBER: "",
    plain.ROLE_PRIMARY: "A",
    plain.ROLE_BACKUP: "B",
    plain.ROLE_SHADOW: "跟",
}


def role_suffix(role: str) -> str:
    if role == plain.ROLE_SHADOW:
        return _("(shadow)")
    return ROLE_SUFFIX.get(role, "")


@dataclass
class Cell:
    date: date
    value: str  # "key|role", or "" for no shift
    label: str
    options: list[tuple[str, str]]
    options_html: str = ""  # the <option>s with this cell's value selected, rendered once per (day, value)
    mark: str = ""  # leave / unavailable / preferred / prefer_off
    problems: list[str] = field(default_factory=list)
    night: bool = False

    @property
    def dom_id(self) -> str:
        return f"{self.date:%Y%m%d}"

    @property
    def iso(self) -> str:
        return self.date.isoformat()

    @property
    def short(self) -> str:
        return f"{self.date:%m-%d}"


@dataclass
class Row:
    agent: plain.Agent
    cells: list[Cell]
    totals: rules.Totals
    problems: bool

    # R-ROSTER-4 across months: the previous 3 months' published rosters plus this month, as the balance panel
    # counts them.
    @property
    def duty_4_months(self) -> int:
        return self.agent.history.duty + self.totals.duty

    @property
    def night_4_months(self) -> int:
        return self.agent.history.night + self.totals.night

    @property
    def holiday_4_months(self) -> int:
        return self.agent.history.holiday + self.totals.holiday


@dataclass
class Grid:
    days: tuple[plain.DutyDay, ...]
    rows: list[Row]
    coverage: list[dict]  # one per shift key: {"name", "cells": [{"text", "short", "over"} per day]}
    day_problems: set[date]
    problems: list[str]  # one sentence per cause (roster.messages.summarise)
    problem_count: int  # hard-rule problems, however many sentences say them
    warnings: list[str] = field(default_factory=list)  # publishable after confirming (more people than needed)

    def row(self, agent_id: int) -> Row:
        return next(r for r in self.rows if r.agent.id == agent_id)


def _options(day: plain.DutyDay, qualified: bool) -> list[tuple[str, str]]:
    options = [("", "—")]
    for shift in day.shifts:
        options.append((f"{shift.key}|{plain.ROLE_MEMBER}", shift.name))
        if day.promotion:  # R-ROSTER-7: an A/B pair on promotion days
            options.append((f"{shift.key}|{plain.ROLE_PRIMARY}", f"{shift.name} A"))
            options.append((f"{shift.key}|{plain.ROLE_BACKUP}", f"{shift.name} B"))
        if not qualified:  # R-ROSTER-6: a new hire shadows a qualified agent
            options.append((f"{shift.key}|{plain.ROLE_SHADOW}", f"{shift.name} {_('(shadow)')}"))
    return options


def _options_html(options: list[tuple[str, str]], selected: str) -> str:
    return mark_safe("".join(
        f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(label)}</option>'
        for value, label in options
    ))


def _mark(agent: plain.Agent, day: date) -> str:
    if day in agent.leave:
        return "leave"
    if day in agent.unavailable:
        return "unavailable"
    if day in agent.preferred:
        return "preferred"
    if day in agent.prefer_off:
        return "prefer_off"
    return ""


def violations_by_agent(violations: list[plain.Violation]) -> dict[int, set[tuple]]:
    """What each agent's row shows as a problem; used to re-render only the rows an edit changed."""
    result: dict[int, set[tuple]] = defaultdict(set)
    for v in violations:
        if v.agent is not None:
            result[v.agent].add((v.code, v.date, v.shift))
    return result


def build(instance: plain.Instance, assignments: list[plain.Assignment],
          violations: list[plain.Violation] | None = None) -> Grid:
    if violations is None:
        violations = rules.check_roster(instance, assignments)
    held = {(a.agent, a.date): a for a in assignments}
    totals = rules.agent_totals(instance, assignments)
    coverage = rules.shift_coverage(instance, assignments)
    options = {(d.date, q): _options(d, q) for d in instance.days for q in (True, False)}
    names = {(d.date, s.key): s for d in instance.days for s in d.shifts}
    # 200 agents × 10 days is 2,000 selects: render each distinct option list once, not per cell.
    rendered: dict[tuple, str] = {}

    cell_problems: dict[tuple[int, date], list[str]] = defaultdict(list)
    day_problems: set[date] = set()
    for v in violations:
        if v.agent is not None and v.date is not None:
            cell_problems[(v.agent, v.date)].append(describe(v, instance))
        if v.date is not None:
            day_problems.add(v.date)

    rows = []
    for agent in instance.agents:
        cells = []
        for day in instance.days:
            a = held.get((agent.id, day.date))
            shift = names.get((day.date, a.shift)) if a else None
            label = ""
            if a is not None:
                label = f"{shift.name if shift else a.shift}{' ' if a.role != plain.ROLE_MEMBER else ''}" \
                        f"{role_suffix(a.role)}"
            value = f"{a.shift}|{a.role}" if a else ""
            key = (day.date, agent.qualified, value)
            if key not in rendered:
                rendered[key] = _options_html(options[(day.date, agent.qualified)], value)
            cells.append(Cell(
                date=day.date,
                value=value,
                label=label,
                options=options[(day.date, agent.qualified)],
                options_html=rendered[key],
                mark=_mark(agent, day.date),
                problems=cell_problems.get((agent.id, day.date), []),
                night=bool(shift and shift.night),
            ))
        rows.append(Row(agent=agent, cells=cells, totals=totals[agent.id],
                        problems=any(c.problems for c in cells)))

    keys = []
    for day in instance.days:
        for shift in day.shifts:
            if shift.key not in [k for k, _n in keys]:
                keys.append((shift.key, shift.name))
    coverage_rows = []
    for key, name in keys:
        cells = []
        for day in instance.days:
            counted, needed = coverage.get((day.date, key), (None, None))
            if counted is None:
                cells.append({"text": "", "short": False, "over": False, "iso": day.date.isoformat()})
            else:
                cells.append({"text": f"{counted}/{needed}", "short": counted < needed, "over": counted > needed,
                              "iso": day.date.isoformat()})
        coverage_rows.append({"key": key, "name": name, "cells": cells})
    return Grid(days=instance.days, rows=rows, coverage=coverage_rows, day_problems=day_problems,
                problems=summarise(violations, instance), problem_count=len(violations),
                warnings=summarise(rules.roster_warnings(instance, assignments), instance))
