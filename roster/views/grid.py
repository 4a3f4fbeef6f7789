"""The month grid as plain rows for the templates: agents down, duty dates across.

Built from the plain `Instance` and the version's plain assignments only, so the page costs the same few queries
for 10 agents or 200 (queries.month_data reads everything in a fixed number of queries).

A month of 200 agents is 2,000 cells; the draft page must render about as fast as a bare table of the same data
(issue 14). So the cells are text, rendered here in one pass (`_row_html`), not a template node per cell nor a
<select> per cell: the page brings one shared editor to the cell being edited (static/roster/roster.js), with the
choices of each date from `Grid.options`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html import escape  # the standard library's: Django's adds a lazy-string check per call, 2,000 calls a page

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from roster import instance as plain
from roster import law, rules
from roster.messages import describe, summarise
from roster.views.balance import balance_panel

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


def shift_label(name: str, role: str) -> str:
    """What a cell says for a shift and role, e.g. 白班, 白班 A; the editor's choices say the same (`_options`), so
    the editor finds a cell's value from its text."""
    suffix = role_suffix(role)
    return f"{name} {suffix}" if suffix else name


@dataclass
class Row:
    agent: plain.Agent
    totals: rules.Totals
    problems: bool
    html: SafeString  # the whole <tr>, rendered by _row_html

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
    # One per shift key: {"key", "name", "cells": [{"text", "short", "over", "iso"} per day], "html": the <td>s}.
    coverage: list[dict]
    day_problems: set[date]
    problems: list[str]  # one sentence per cause (roster.messages.summarise)
    problem_count: int  # hard-rule problems, however many sentences say them
    # The editor's choices per date (ISO): "q" for a qualified agent, "n" for a new hire, each [[value, label]].
    options: dict[str, dict[str, list[list[str]]]]
    warnings: list[str] = field(default_factory=list)  # publishable after confirming (more people than needed)

    @property
    def body(self) -> SafeString:
        """Every row's <tr>, one string for the template (each was escaped as it was made)."""
        return mark_safe("".join(row.html for row in self.rows))


def _options(day: plain.DutyDay, qualified: bool, labels: dict) -> list[list[str]]:
    options = [["", "—"]]
    for shift in day.shifts:
        roles = [plain.ROLE_MEMBER]
        if day.promotion:  # R-ROSTER-7: an A/B pair on promotion days
            roles += [plain.ROLE_PRIMARY, plain.ROLE_BACKUP]
        if not qualified:  # R-ROSTER-6: a new hire shadows a qualified agent
            roles.append(plain.ROLE_SHADOW)
        options += [[f"{shift.key}|{role}", labels[(day.date, shift.key, role)]] for role in roles]
    return options


def _marks() -> dict[str, str]:
    """The mark shown in a cell for each kind of wish or absence, in the user's language."""
    marks = {
        "leave": (_("On approved leave"), pgettext("grid mark: on approved leave", "leave")),
        "unavailable": (_("Cannot work"), _("off")),
        "preferred": (_("Would like to work"), "+"),
        "prefer_off": (_("Would rather not work"), "−"),
    }
    return {
        kind: f'<span class="mark" title="{escape(title)}">{escape(text)}</span>'
        for kind, (title, text) in marks.items()
    }


def _marks_of(agent: plain.Agent) -> dict[date, str]:
    """The mark of each date where the agent has one; approved leave wins over a wish."""
    marks = {}
    for kind, days in (
        ("prefer_off", agent.prefer_off),
        ("preferred", agent.preferred),
        ("unavailable", agent.unavailable),
        ("leave", agent.leave),
    ):
        marks.update(dict.fromkeys(days, kind))
    return marks


class _Rows:
    """Renders the grid's <tr>s: the name, the shift's name as text in each date's cell (classes only where there
    is something to see), the totals. 200 rows of 10 cells as template nodes would cost more than all the rest of
    the page, so the markup is put together here, every value escaped as it goes in; what is the same for every
    row (labels, marks, the plain cells) is worked out once."""

    def __init__(
        self,
        instance: plain.Instance,
        assignments: list[plain.Assignment],
        problems: dict[tuple[int, date], list[str]],
        *,
        viewer: int | None,
        oob: bool,
        history: bool,
    ):
        suffixes = {role: role_suffix(role) for role in plain.ROLES}
        self.labels = {
            (d.date, s.key, role): f"{s.name} {suffixes[role]}" if suffixes[role] else s.name
            for d in instance.days
            for s in d.shifts
            for role in plain.ROLES
        }
        nights = {(d.date, s.key) for d in instance.days for s in d.shifts if s.night}
        # A cell with nothing but its shift, the most common by far: one lookup.
        self.plain = {
            key: f'<td class="night">{escape(label)}</td>' if key[:2] in nights else f"<td>{escape(label)}</td>"
            for key, label in self.labels.items()
        }
        self.nights = nights
        self.dates = [d.date for d in instance.days]
        self.held: dict[int, dict[date, tuple[str, str]]] = defaultdict(dict)
        for a in assignments:
            self.held[a.agent][a.date] = (a.shift, a.role)
        self.problems: dict[int, dict[date, list[str]]] = defaultdict(dict)
        for (agent_id, day), said in problems.items():
            self.problems[agent_id][day] = said
        self.marks = _marks()
        new_hire = _("new hire")  # outside the f-string: xgettext does not read inside one
        self.new_hire = f' <span class="badge text-bg-info">{escape(new_hire)}</span>'
        self.viewer, self.oob, self.history = viewer, oob, history

    def html(self, agent: plain.Agent, totals: rules.Totals) -> tuple[SafeString, bool]:
        """The agent's <tr>, and whether it shows a problem."""
        held = self.held.get(agent.id, {})
        problems = self.problems.get(agent.id, {})
        marks = _marks_of(agent)
        cells = "".join(
            self._cell(day, held.get(day), problems.get(day), marks.get(day, ""))
            if day in problems or day in marks
            else (self.plain.get((day, *held[day])) or self._cell(day, held[day], None, ""))
            if day in held
            else "<td></td>"
            for day in self.dates
        )
        name = escape(agent.name)
        tr = f'<tr id="row-{agent.id}"'
        if self.oob:
            tr += ' hx-swap-oob="true"'
        tr += f' data-testid="row-{name}"'
        row_classes = [c for c, on in (("new-hire", not agent.qualified), ("mine", agent.id == self.viewer)) if on]
        if row_classes:
            tr += f' class="{" ".join(row_classes)}"'
        th = '<th scope="row" class="text-danger">' if problems else '<th scope="row">'
        html = (
            f"{tr}>{th}{name}{'' if agent.qualified else self.new_hire}</th>{cells}"
            f'<td class="total">{totals.duty}</td><td class="total">{totals.night}</td>'
            f'<td class="total">{totals.holiday}</td>'
        )
        if self.history:  # R-ROSTER-4 across months: the previous 3 months' published rosters plus this month
            earlier = agent.history
            html += (
                f'<td class="total history">{earlier.duty + totals.duty}</td>'
                f'<td class="total history">{earlier.night + totals.night}</td>'
                f'<td class="total history">{earlier.holiday + totals.holiday}</td>'
            )
        html += "</tr>"
        return SafeString(html), bool(problems)  # every value in it was escaped above (mark_safe's lazy check: 200x)

    def _cell(self, day: date, held: tuple[str, str] | None, said: list[str] | None, mark: str) -> str:
        classes, label = [], ""
        if held is not None:
            # A shift the month no longer has still shows what it was (its key).
            label = escape(self.labels.get((day, *held)) or shift_label(*held))
            if (day, held[0]) in self.nights:
                classes.append("night")
        if said:
            classes.append("table-danger problem")
        if mark:
            classes.append(f"mark-{mark}")
        attrs = f' class="{" ".join(classes)}"' if classes else ""
        if said:
            attrs += f' title="{escape("; ".join(said))}"'
        return f"<td{attrs}>{label}{self.marks[mark] if mark else ''}</td>"


@dataclass(frozen=True)
class Checked:
    """What the rules say of one roster: its hard-rule problems, each agent's totals, each shift's coverage, and
    what they warn about."""

    violations: tuple[plain.Violation, ...]
    totals: dict[int, rules.Totals]
    coverage: dict[tuple[date, str], tuple[int, int]]
    warnings: tuple[plain.Violation, ...]  # what may be published after confirming (rules.roster_warnings)


@lru_cache(maxsize=16)
def _checked(instance: plain.Instance, assignments: frozenset[plain.Assignment]) -> Checked:
    # One order for one roster, whichever order its assignments were read in.
    ordered = sorted(assignments, key=lambda a: (a.date, a.shift, a.agent, a.role))
    return Checked(
        violations=tuple(rules.check_roster(instance, ordered)),
        totals=rules.agent_totals(instance, ordered),
        coverage=rules.shift_coverage(instance, ordered),
        warnings=tuple(rules.roster_warnings(instance, ordered)),
    )


def checked(instance: plain.Instance, assignments: list[plain.Assignment]) -> Checked:
    """The rules run on a roster, remembered for the last few rosters this process checked (read-only).

    The draft page shown again, and the state a cell edit starts from (the page the edit was made on), are then
    not checked twice. The key is the whole plain input (the month and every assignment), so any change, in the
    draft or around it (leave, wishes, staff, skills), is a new check: only identical inputs share a result.
    """
    return _checked(instance, _state(assignments))


def state(assignments) -> frozenset[plain.Assignment]:
    """The assignments as the key `checked` and `balance` remember them by: a caller that asks both for the same
    roster makes it once (hashing 1,000 assignments is not free)."""
    return _state(assignments)


def _state(assignments) -> frozenset[plain.Assignment]:
    return assignments if isinstance(assignments, frozenset) else frozenset(assignments)


def balance(instance: plain.Instance, assignments: list[plain.Assignment]) -> dict:
    """The balance panel of the roster (roster.views.balance), remembered like `checked`, per language (it is
    text): 10 ms of counting on 200 agents that a page shown again, or an edit's answer, need not redo."""
    return _balance(instance, _state(assignments), get_language())


@lru_cache(maxsize=16)
def _balance(instance: plain.Instance, assignments: frozenset[plain.Assignment], language: str) -> dict:
    # The grid's own check of the same roster has each agent's totals already (remembered by _checked).
    ordered = sorted(assignments, key=lambda a: (a.date, a.shift, a.agent, a.role))
    return balance_panel(instance, ordered, totals=_checked(instance, assignments).totals)


def check(instance: plain.Instance, assignments: list[plain.Assignment]) -> list[plain.Violation]:
    """rules.check_roster of the roster (see `checked`)."""
    return list(checked(instance, assignments).violations)


def _coverage_html(key: str, cells: list[dict]) -> SafeString:
    """A coverage line's date cells (on duty / needed), rendered like the rows (see _Rows)."""
    parts = []
    for c in cells:
        state = " table-warning" if c["short"] else " table-info" if c["over"] else ""
        parts.append(f'<td class="text-center{state}" data-testid="coverage-{escape(key)}-{c["iso"]}">{c["text"]}</td>')
    return mark_safe("".join(parts))  # the key is escaped; the rest are numbers and dates


def violations_by_agent(violations: list[plain.Violation]) -> dict[int, set[tuple]]:
    """What each agent's row shows as a problem; used to re-render only the rows an edit changed."""
    result: dict[int, set[tuple]] = defaultdict(set)
    for v in violations:
        if v.agent is not None:
            result[v.agent].add((v.code, v.date, v.shift))
    return result


def build(
    instance: plain.Instance,
    assignments: list[plain.Assignment],
    violations: list[plain.Violation] | None = None,
    *,
    only: set[int] | None = None,
    viewer: int | None = None,
    oob: bool = False,
    history: bool = False,
    private: bool = True,
) -> Grid:
    """The grid of `assignments`; with `only`, the rows of those agents alone (a cell edit re-renders a few rows,
    the coverage and the problem list; `oob`: as htmx out-of-band swaps). `viewer`: the profile id whose row is
    marked as theirs; `history`: the rows end with the 4-month totals (the draft's). `private` False: for a reader
    who may not know of anyone's protection period (R-LAW-4: the person, supervisors and managers only), the
    problems that would tell one are left out."""
    if violations is None and only is None:
        # The whole grid of a roster is remembered like `checked`, by everything it is made of (the month, every
        # assignment, who views it, the language): the same draft shown again is not put together again.
        return _whole(instance, _state(assignments), viewer, oob, history, private, get_language())
    return _build(
        instance, assignments, violations, only=only, viewer=viewer, oob=oob, history=history, private=private
    )


@lru_cache(maxsize=8)
def _whole(
    instance: plain.Instance,
    assignments: frozenset[plain.Assignment],
    viewer: int | None,
    oob: bool,
    history: bool,
    private: bool,
    language: str,
) -> Grid:
    return _build(instance, assignments, None, only=None, viewer=viewer, oob=oob, history=history, private=private)


def _build(
    instance: plain.Instance,
    assignments,
    violations: list[plain.Violation] | None,
    *,
    only: set[int] | None,
    viewer: int | None,
    oob: bool,
    history: bool,
    private: bool = True,
) -> Grid:
    said = checked(instance, assignments)
    if violations is None:
        violations = said.violations
    if not private:
        violations = law.without_protection(violations)
    totals, coverage = said.totals, said.coverage

    cell_problems: dict[tuple[int, date], list[str]] = {}
    day_problems: set[date] = set()
    for v in violations:
        if v.agent is not None and v.date is not None:
            cell_problems.setdefault((v.agent, v.date), []).append(describe(v, instance))
        if v.date is not None:
            day_problems.add(v.date)

    render = _Rows(instance, assignments, cell_problems, viewer=viewer, oob=oob, history=history)
    rows = []
    for agent in instance.agents:
        if only is None or agent.id in only:
            html, problems = render.html(agent, totals[agent.id])
            rows.append(Row(agent=agent, totals=totals[agent.id], problems=problems, html=html))

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
                cells.append(
                    {
                        "text": f"{counted}/{needed}",
                        "short": counted < needed,
                        "over": counted > needed,
                        "iso": day.date.isoformat(),
                    }
                )
        coverage_rows.append({"key": key, "name": name, "cells": cells, "html": _coverage_html(key, cells)})
    options = {
        d.date.isoformat(): {"q": _options(d, True, render.labels), "n": _options(d, False, render.labels)}
        for d in instance.days
    }
    return Grid(
        days=instance.days,
        rows=rows,
        coverage=coverage_rows,
        day_problems=day_problems,
        problems=summarise(violations, instance),
        problem_count=len(violations),
        options=options,
        warnings=summarise(said.warnings, instance),
    )
