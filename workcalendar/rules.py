"""The import's rules and the comparison of two versions of a year, as pure functions (R-CAL-1, R-CAL-2).

A file's rows arrive as text (`Row`); `check_rows` turns them into the year's days or lists every problem with its
line, so that the manager sees all of them at once and nothing is written until there is none. `compare` says which
dates changed from what to what: the change that R-CAL-2 follows into rosters and statements.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from workcalendar.days import KINDS, Day

NAME_LENGTH = 60
MAX_ROWS = 400  # a year has at most 366 dates; a little room, so that a repeated date is reported as such

# Problem codes (workcalendar.messages words them for people).
BAD_DATE = "bad_date"
OUTSIDE_YEAR = "outside_year"
DUPLICATE = "duplicate"
UNKNOWN_KIND = "unknown_kind"
NAME_TOO_LONG = "name_too_long"
MISSING = "missing"
EXTRA_CELLS = "extra_cells"
NO_ROWS = "no_rows"
NOT_A_ROW = "not_a_row"
BAD_YEAR = "bad_year"
CONTROL_CHARACTER = "control_character"

# What PostgreSQL (NUL) or XML cannot hold, as dutydesk.spreadsheets.CONTROL_CHARACTERS stops it in a CSV: a JSON
# file's "\u0000" arrives here past that reader.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_character(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text or ""))


@dataclass(frozen=True)
class Row:
    line: int  # the file's line (CSV) or the row's position (JSON), as the manager finds it
    date: str
    kind: str
    name: str = ""
    extra: int = 0  # cells after the name


@dataclass(frozen=True)
class Problem:
    line: int | None
    code: str
    value: str = ""
    other_line: int | None = None  # DUPLICATE: where the date came first


@dataclass(frozen=True)
class DateChange:
    date: date
    before: Day | None
    after: Day | None


def parse_date(text: str) -> date | None:
    """A date written YYYY-MM-DD (the notice's dates as the format asks for them), else None."""
    text = text.strip()
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def check_rows(rows: list[Row], year: int) -> tuple[dict[date, Day], list[Problem]]:
    """The days of `year` the rows list, and every problem (empty: the file may be imported)."""
    days: dict[date, Day] = {}
    first_line: dict[date, int] = {}
    problems: list[Problem] = []
    if not rows:
        return {}, [Problem(None, NO_ROWS)]
    for row in rows:
        if any(has_control_character(text) for text in (row.date, row.kind, row.name)):
            problems.append(Problem(row.line, CONTROL_CHARACTER))
            continue
        found: list[Problem] = []
        if not row.date.strip() or not row.kind.strip():
            found.append(Problem(row.line, MISSING))
        on = parse_date(row.date) if row.date.strip() else None
        if row.date.strip() and on is None:
            found.append(Problem(row.line, BAD_DATE, row.date.strip()))
        elif on is not None and on.year != year:
            found.append(Problem(row.line, OUTSIDE_YEAR, on.isoformat()))
        elif on is not None and on in first_line:
            found.append(Problem(row.line, DUPLICATE, on.isoformat(), other_line=first_line[on]))
        kind = row.kind.strip().lower()
        if kind and kind not in KINDS:
            found.append(Problem(row.line, UNKNOWN_KIND, row.kind.strip()))
        name = row.name.strip()
        if len(name) > NAME_LENGTH:
            found.append(Problem(row.line, NAME_TOO_LONG, name[:20]))
        if row.extra:
            found.append(Problem(row.line, EXTRA_CELLS))
        if on is not None and on not in first_line:
            first_line[on] = row.line
        if found:
            problems.extend(found)
        elif on is not None:
            days[on] = Day(kind, name)
    return dict(sorted(days.items())), problems


def compare(before: Mapping[date, Day], after: Mapping[date, Day]) -> list[DateChange]:
    """Every date whose listed day differs (added, removed, or another kind or name), by date."""
    return [
        DateChange(on, before.get(on), after.get(on))
        for on in sorted(set(before) | set(after))
        if before.get(on) != after.get(on)
    ]


def change_to_json(change: DateChange) -> dict:
    def side(day: Day | None):
        return None if day is None else {"kind": day.kind, "name": day.name}

    return {"date": change.date.isoformat(), "before": side(change.before), "after": side(change.after)}


def change_from_json(data: dict) -> DateChange:
    def side(value):
        return None if value is None else Day(value["kind"], value.get("name", ""))

    return DateChange(date.fromisoformat(data["date"]), side(data["before"]), side(data["after"]))


def net_changes(revisions: list[list[DateChange]]) -> dict[date, DateChange]:
    """Several revisions in order as one change per date: the first `before`, the last `after`; dates that came
    back to what they were drop out."""
    net: dict[date, DateChange] = {}
    for changes in revisions:
        for change in changes:
            first = net.get(change.date)
            net[change.date] = DateChange(change.date, first.before if first else change.before, change.after)
    return {on: c for on, c in sorted(net.items()) if c.before != c.after}
