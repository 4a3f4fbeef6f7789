"""Demand from history, as pure functions on plain values: contacts per hour → agents per shift (Erlang C).

No Django here. `forecast.queries` gathers the history (the logbook's entries by hour, or imported volume) and the
month's planned shifts; these functions turn them into a suggested headcount per duty shift with the sentence
that explains it. R-ROSTER-1: the team sets each shift's headcount; this only suggests one, the supervisor applies
it. R-ROSTER-7: a promotion day is staffed by A/B pairs, so its suggestion is never below two.

Erlang C is written here once rather than taken from `pyworkforce` (0.5.1, its last release in 2023): that package
pulls in pandas, numpy and joblib for the thirty lines below, and names the answer-time target `asa`, which in
workforce planning means something else (average speed of answer). The formula and its test against a published
worked example: forecast/tests/test_rules.py.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

# The most agents a suggestion may name: beyond it the volume is not a weekend duty team's (and Erlang C's search
# must stop somewhere).
MAX_AGENTS = 200
# A baseline uses the most recent ordinary days of the same weekday, at most this many.
BASELINE_DAYS = 8
# A past promotion day is compared with the ordinary days of the 8 weeks before it.
UPLIFT_WINDOW_DAYS = 56


# --- Erlang C ------------------------------------------------------------------------------------------------------


def erlang_c(agents: int, traffic: float) -> float:
    """The probability that a contact waits (Erlang C) with `agents` agents and `traffic` Erlangs offered.

    Computed through Erlang B's recursion, B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)), then
    C = N·B / (N - A·(1 - B)): no factorials, so no overflow for large N. With N <= A the queue never empties.
    """
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    return agents * blocking / (agents - traffic * (1 - blocking))


def service_level(agents: int, traffic: float, *, handling_s: float, answer_s: float) -> float:
    """The share of contacts answered within `answer_s` seconds: 1 - C · e^(-(N - A) · t / AHT)."""
    if traffic <= 0:
        return 1.0
    if agents <= traffic:
        return 0.0
    return 1 - erlang_c(agents, traffic) * math.exp(-(agents - traffic) * answer_s / handling_s)


def traffic_of(contacts_per_hour: float, handling_s: float) -> float:
    """Erlangs offered: arrivals per second times the average handling time in seconds."""
    return contacts_per_hour * handling_s / 3600


def required_agents(
    contacts_per_hour: float, *, handling_s: float, answered_pct: float, answer_s: float, most: int = MAX_AGENTS
) -> int:
    """The fewest agents that answer `answered_pct` % of the contacts within `answer_s` seconds (0 for no
    contacts); `most` when even that many do not."""
    traffic = traffic_of(contacts_per_hour, handling_s)
    if traffic <= 0:
        return 0
    target = answered_pct / 100
    for agents in range(max(1, math.floor(traffic) + 1), most + 1):
        if service_level(agents, traffic, handling_s=handling_s, answer_s=answer_s) >= target:
            return agents
    return most


# --- history --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hourly:
    """Contacts in one hour of one date, and the handling seconds they took in total (None: not known, as for
    the logbook, which records no handling time)."""

    contacts: int
    handling_total_s: int | None = None


History = dict[date, dict[int, Hourly]]  # date -> hour (0-23) -> volume


@dataclass(frozen=True)
class Target:
    """The team's service target (e.g. 80 % answered within 20 s) and the handling time to assume where the
    history does not say."""

    answered_pct: int = 80
    answer_s: int = 20
    handling_s: int = 240


@dataclass(frozen=True)
class PlannedShift:
    """One shift of a coming duty day, with the headcount the team set for it."""

    date: date
    shift_type_id: int
    name: str
    start: time
    end: time  # time(0) = 24:00
    headcount: int
    night: bool = False
    promotion: bool = False
    holiday: bool = False

    def hours(self) -> list[int]:
        """The clock hours the shift covers (09:00-18:00 → 9 … 17; 18:00-24:00 → 18 … 23; 22:00-06:00 → 22, 23,
        0 … 5), an hour counting when the shift covers any of it."""
        start = self.start.hour
        end_minutes = 24 * 60 if self.end == time(0) else self.end.hour * 60 + self.end.minute
        if end_minutes <= start * 60 + self.start.minute:
            end_minutes += 24 * 60
        last = math.ceil(end_minutes / 60)
        return [hour % 24 for hour in range(start, last)]


@dataclass(frozen=True)
class Uplift:
    """How much busier promotion days were than the ordinary days before them (1.0: no promotion day known)."""

    factor: float = 1.0
    days: tuple[date, ...] = ()


@dataclass
class Suggestion:
    shift: PlannedShift
    contacts_per_hour: float  # expected at the busiest hour of the shift
    peak_hour: int | None
    handling_s: int
    agents: int  # what Erlang C asks for at the peak hour, at least 1 (2 on a promotion day)
    basis_days: int  # how many past days the baseline averages
    uplift: float = 1.0
    hourly: dict[int, float] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return shift_key(self.shift.date, self.shift.shift_type_id)

    @property
    def differs(self) -> bool:
        return self.agents != self.shift.headcount


def shift_key(day: date, shift_type_id: int) -> str:
    """How a form names one planned shift: 2027-01-02:7."""
    return f"{day.isoformat()}:{shift_type_id}"


def merge_history(logbook: dict[tuple[date, int], int], imported: History) -> History:
    """Imported volume wins for every date it covers (a phone system counts every contact; the logbook only what
    agents wrote down); the logbook's counts fill the other dates."""
    merged: History = defaultdict(dict)
    for (day, hour), contacts in logbook.items():
        if day not in imported:
            merged[day][hour] = Hourly(contacts)
    for day, hours in imported.items():
        merged[day] = dict(hours)
    return dict(merged)


def _ordinary_days(history: History, promotion_days: set[date], *, before: date) -> list[date]:
    return sorted(day for day in history if day < before and day not in promotion_days)


def baseline(
    history: History, promotion_days: set[date], *, weekday: int, before: date, days: int = BASELINE_DAYS
) -> tuple[dict[int, float], list[date]]:
    """Mean contacts per hour over the most recent `days` ordinary dates of `weekday` before `before` (all
    ordinary weekdays when that weekday has none), and the dates used. An hour a used date has no volume for
    counts as 0 there."""
    ordinary = _ordinary_days(history, promotion_days, before=before)
    same = [day for day in ordinary if day.weekday() == weekday] or ordinary
    used = same[-days:]
    means: dict[int, float] = {}
    if used:
        hours = {hour for day in used for hour in history[day]}
        for hour in hours:
            means[hour] = sum(history[day][hour].contacts if hour in history[day] else 0 for day in used) / len(used)
    return means, used


def learn_uplift(history: History, promotion_days: set[date], *, before: date) -> Uplift:
    """The mean ratio of a past promotion day's contacts to the ordinary days' mean over the same hours, each
    promotion day against the ordinary days of the 8 weeks before it (same weekday where there are any)."""
    ratios, used = [], []
    for day in sorted(d for d in promotion_days if d < before and d in history and history[d]):
        window = {
            d: hours
            for d, hours in history.items()
            if 0 < (day - d).days <= UPLIFT_WINDOW_DAYS and d not in promotion_days
        }
        if not window:
            continue
        means, _used = baseline(window, set(), weekday=day.weekday(), before=day)
        hours = [hour for hour in history[day] if means.get(hour, 0) > 0]
        expected = sum(means[hour] for hour in hours)
        if expected <= 0:
            continue
        ratios.append(sum(history[day][hour].contacts for hour in hours) / expected)
        used.append(day)
    if not ratios:
        return Uplift()
    return Uplift(factor=round(statistics.fmean(ratios), 2), days=tuple(used))


def handling_time(history: History, days: list[date], default_s: int) -> int:
    """Average handling seconds over the contacts of `days` whose handling time is known, else `default_s`."""
    contacts = seconds = 0
    for day in days:
        for hourly in history[day].values():
            if hourly.handling_total_s is not None and hourly.contacts:
                contacts += hourly.contacts
                seconds += hourly.handling_total_s
    return round(seconds / contacts) if contacts else default_s


def suggest(
    shifts: list[PlannedShift], history: History, promotion_days: set[date], target: Target, *, today: date
) -> tuple[list[Suggestion], Uplift]:
    """A suggested headcount for each planned shift, from the history before `today`, and the uplift used."""
    uplift = learn_uplift(history, promotion_days, before=today)
    cache: dict[int, tuple[dict[int, float], list[date], int]] = {}
    suggestions = []
    for shift in shifts:
        weekday = shift.date.weekday()
        if weekday not in cache:
            means, used = baseline(history, promotion_days, weekday=weekday, before=today)
            cache[weekday] = (means, used, handling_time(history, used, target.handling_s))
        means, used, handling_s = cache[weekday]
        factor = uplift.factor if shift.promotion else 1.0
        hourly = {hour: means.get(hour, 0.0) * factor for hour in shift.hours()}
        peak_hour = max(hourly, key=lambda hour: (hourly[hour], -hour)) if any(hourly.values()) else None
        peak = hourly[peak_hour] if peak_hour is not None else 0.0
        agents = required_agents(
            peak, handling_s=handling_s, answered_pct=target.answered_pct, answer_s=target.answer_s
        )
        # The database keeps at least one person on a shift; R-ROSTER-7 asks two on a promotion day.
        agents = max(agents, 2 if shift.promotion else 1)
        suggestions.append(
            Suggestion(
                shift=shift,
                contacts_per_hour=round(peak, 1),
                peak_hour=peak_hour,
                handling_s=handling_s,
                agents=agents,
                basis_days=len(used),
                uplift=factor,
                hourly={hour: round(value, 1) for hour, value in hourly.items()},
            )
        )
    return suggestions, uplift


def fingerprint(suggestions: list[Suggestion]) -> str:
    """What a page showed, as a short text: an "apply" posted from a page whose suggestions have changed since
    (a new import, another supervisor's apply) is refused as stale."""
    import hashlib

    text = ";".join(f"{s.key}={s.agents}/{s.shift.headcount}" for s in suggestions)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- the import file ------------------------------------------------------------------------------------------------

# Column names people write, English or Chinese, normalised (lower case, no spaces or punctuation).
COLUMNS = {
    "date": {"date", "日期", "day"},
    "hour": {"hour", "小时", "时段", "hourofday"},
    "contacts": {"contacts", "咨询量", "进线量", "contactcount", "volume", "calls"},
    "handling_s": {
        "averagehandlingseconds",
        "handlingseconds",
        "ahtseconds",
        "aht",
        "平均处理时长秒",
        "平均处理时长",
        "平均处理秒数",
    },
}
MAX_CONTACTS_PER_HOUR = 100_000
MAX_HANDLING_S = 7_200
_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass(frozen=True)
class VolumeRow:
    line: int
    date: date
    hour: int
    contacts: int
    handling_s: int


@dataclass(frozen=True)
class RowError:
    line: int
    message: str  # already in the user's language (the caller passes translated messages in `words`)


def _normalise(header: str) -> str:
    return re.sub(r"[\s_\-()（）/]+", "", header.strip().lower())


def header_columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    """{field: column index} for the fields found, and the fields missing."""
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _normalise(name)
        for fieldname, names in COLUMNS.items():
            if key in names and fieldname not in found:
                found[fieldname] = index
    return found, [name for name in COLUMNS if name not in found]


def parse_volume(
    table: list[tuple[int, list[str]]],
    *,
    today: date,
    words: dict[str, str],
    column_names: dict[str, str] | None = None,
) -> tuple[list[VolumeRow], list[RowError]]:
    """Every row of a volume file checked: the good rows, and one error per bad row (all of them, so the user
    fixes the file once). `table` is (line, cells) with the header first; `words` holds the translated messages:
    header, date, future, hour, contacts, handling, duplicate, empty (each a %-format with the names used below);
    `column_names` the columns as the user calls them (for a missing one).
    """
    column_names = column_names or {}
    if not table:
        return [], [RowError(1, words["empty"])]
    header_line, header = table[0]
    columns, missing = header_columns(header)
    if missing:
        return [], [
            RowError(
                header_line, words["header"] % {"columns": ", ".join(column_names.get(name, name) for name in missing)}
            )
        ]
    rows, errors = [], []
    seen: dict[tuple[date, int], int] = {}
    for line, cells in table[1:]:

        def cell(name: str, cells=cells) -> str:
            index = columns[name]
            return cells[index].strip() if index < len(cells) else ""

        problems = []
        day = _read_date(cell("date"))
        if day is None:
            problems.append(words["date"] % {"value": cell("date")})
        elif day > today:
            problems.append(words["future"] % {"value": cell("date")})
        hour = _read_int(cell("hour"))
        if hour is None or not 0 <= hour <= 23:
            problems.append(words["hour"] % {"value": cell("hour")})
        contacts = _read_int(cell("contacts"))
        if contacts is None or not 0 <= contacts <= MAX_CONTACTS_PER_HOUR:
            problems.append(words["contacts"] % {"value": cell("contacts"), "most": MAX_CONTACTS_PER_HOUR})
        handling = _read_int(cell("handling_s"))
        if handling is None or not 1 <= handling <= MAX_HANDLING_S:
            problems.append(words["handling"] % {"value": cell("handling_s"), "most": MAX_HANDLING_S})
        if not problems and (day, hour) in seen:
            problems.append(words["duplicate"] % {"line": seen[(day, hour)]})
        if problems:
            errors.append(RowError(line, "; ".join(problems)))
            continue
        seen[(day, hour)] = line
        rows.append(VolumeRow(line, day, hour, contacts, handling))
    if not rows and not errors:
        errors.append(RowError(header_line, words["empty"]))
    return rows, errors


def _read_date(text: str) -> date | None:
    match = _DATE_RE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    try:  # an Excel cell read as a datetime arrives as "2026-11-07 00:00:00"
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _read_int(text: str) -> int | None:
    text = text.strip().replace(",", "")
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    return None
