"""The company holiday calendar as plain data, and the one answer to "what kind of day is this date" (R-CAL-1).

No Django here: a caller loads a `Calendar` once (workcalendar.queries.calendar_between) and asks these functions.
A calendar holds, per year, its status (official: from the State Council's notice; provisional: an estimate or
empty) and its listed days, each with its kind:

- `holiday`: a statutory holiday (法定节假日, e.g. 10-01..10-03, 除夕), paid 300 % (Labour Law art. 44);
- `rest`: a rest day of a holiday break that is not statutory (10-04..10-07, a 补假 day);
- `workday`: an adjusted working day (调休上班), a Saturday or Sunday worked as an ordinary day.

A date not listed is what its weekday makes it: a working day in the regular week (Monday-Friday unless a team says
otherwise), a rest day outside it. `kind_of` answers that for any date; the other functions are its special cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

HOLIDAY, REST, WORKDAY = "holiday", "rest", "workday"
KINDS = (HOLIDAY, REST, WORKDAY)
OFFICIAL, PROVISIONAL = "official", "provisional"
STATUSES = (OFFICIAL, PROVISIONAL)
# Python weekday numbers, Monday 0 ... Sunday 6: the regular working week of the standard working-time system.
MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


@dataclass(frozen=True)
class Day:
    kind: str
    name: str = ""


@dataclass(frozen=True)
class Source:
    """Where a year's days come from: the notice's title and date, or the package that estimated them."""

    title: str = ""
    date: date | None = None


@dataclass(frozen=True)
class Year:
    year: int
    status: str
    days: Mapping[date, Day] = field(default_factory=dict)
    source: Source = Source()
    # Changes with every change of the year's days or status: a cache compares it (workcalendar.queries).
    stamp: str = ""

    @property
    def is_official(self) -> bool:
        return self.status == OFFICIAL


class YearNotLoaded(LookupError):
    """A date was asked of a calendar loaded without its year: a bug in the caller, never a "normal day"."""


@dataclass(frozen=True)
class Calendar:
    """The years a caller loaded, by year number."""

    years: Mapping[int, Year]

    def year(self, number: int) -> Year:
        try:
            return self.years[number]
        except KeyError:
            raise YearNotLoaded(f"the calendar was loaded without {number}") from None

    def day(self, on: date) -> Day | None:
        """The listed day on `on`, or None for a date that is only its weekday."""
        return self.year(on.year).days.get(on)

    @property
    def provisional_years(self) -> tuple[int, ...]:
        return tuple(sorted(number for number, year in self.years.items() if not year.is_official))


def calendar_of(
    days: Mapping[date, Day | tuple[str, str] | str] | None = None,
    *,
    years: Iterable[int] = (),
    status: str = OFFICIAL,
) -> Calendar:
    """A calendar from a plain mapping (date → Day, (kind, name) or kind), for tests and callers holding rows: every
    year of the mapping and of `years` is loaded, with `status`."""
    by_year: dict[int, dict[date, Day]] = {number: {} for number in years}
    for on, value in (days or {}).items():
        if isinstance(value, str):
            value = Day(value)
        elif not isinstance(value, Day):
            value = Day(*value)
        by_year.setdefault(on.year, {})[on] = value
    return Calendar(MappingProxyType({n: Year(n, status, MappingProxyType(d)) for n, d in by_year.items()}))


def kind_of(calendar: Calendar, on: date, *, week: Iterable[int] = MONDAY_TO_FRIDAY) -> str:
    """HOLIDAY, REST or WORKDAY: what `on` is for a person whose regular working week is `week` (R-CAL-1, R-LAW-3).

    A listed day is its kind (a statutory holiday on a Saturday is a holiday; an adjusted working Sunday is a working
    day); any other date is a working day on a weekday of `week` and a rest day otherwise.
    """
    listed = calendar.day(on)
    if listed is not None:
        return listed.kind
    return WORKDAY if on.weekday() in set(week) else REST


def is_statutory_holiday(calendar: Calendar, on: date) -> bool:
    """True only for the statutory days themselves (10-01..10-03), not the rest of the break."""
    listed = calendar.day(on)
    return listed is not None and listed.kind == HOLIDAY


def is_adjusted_working_day(calendar: Calendar, on: date) -> bool:
    """True for a date the notice makes a working day (调休上班), usually a Saturday or Sunday."""
    listed = calendar.day(on)
    return listed is not None and listed.kind == WORKDAY


def is_holiday_break(calendar: Calendar, on: date) -> bool:
    """True for a listed day off: a statutory holiday or a rest day of its break."""
    listed = calendar.day(on)
    return listed is not None and listed.kind in (HOLIDAY, REST)


def is_working_day(calendar: Calendar, on: date, *, week: Iterable[int] = MONDAY_TO_FRIDAY) -> bool:
    return kind_of(calendar, on, week=week) == WORKDAY


def is_rest_day(calendar: Calendar, on: date, *, week: Iterable[int] = MONDAY_TO_FRIDAY) -> bool:
    """A rest day, not a statutory holiday: a weekend outside the notice, or a day off of a holiday break."""
    return kind_of(calendar, on, week=week) == REST


def name_of(calendar: Calendar, on: date) -> str:
    """The listed day's name (春节, 国庆节调休上班 ...), or ""."""
    listed = calendar.day(on)
    return listed.name if listed is not None else ""


def replaced(calendar: Calendar, days: Mapping[date, Day | None]) -> Calendar:
    """`calendar` with some dates listed differently (None: not listed), e.g. the calendar as it was before a change."""
    years = dict(calendar.years)
    by_year: dict[int, dict[date, Day | None]] = {}
    for on, day in days.items():
        by_year.setdefault(on.year, {})[on] = day
    for number, changes in by_year.items():
        year = calendar.year(number)
        listed = dict(year.days)
        for on, day in changes.items():
            if day is None:
                listed.pop(on, None)
            else:
                listed[on] = day
        years[number] = Year(number, year.status, MappingProxyType(listed), year.source, year.stamp)
    return Calendar(MappingProxyType(years))
