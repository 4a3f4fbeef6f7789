"""Month arithmetic, once: every app names a month by its first day (date(2026, 12, 1)).

Pure functions on `datetime.date`; no Django. URL converters use `MonthConverter`, which answers 404 (not 500) for
a month outside the years a roster can exist in.
"""

from __future__ import annotations

import calendar
from datetime import date

# Rosters, appraisals and statements exist for these years; anything else in an address is a typo or a probe.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, count: int) -> date:
    """The first day of the month `count` months after (or before, if negative) the month of `day`."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def next_month(day: date) -> date:
    return add_months(day, 1)


def previous_month(day: date) -> date:
    return add_months(day, -1)


def months_back(month: date, count: int) -> list[date]:
    """`count` months ending with the month of `month`, oldest first."""
    return [add_months(month, -offset) for offset in range(count - 1, -1, -1)]


def month_days(month: date) -> list[date]:
    """Every day of the month, in order."""
    start = month_start(month)
    return [start.replace(day=number) for number in range(1, month_end(start).day + 1)]


def parse_month(text: str) -> date:
    """ "2026-12" → date(2026, 12, 1); ValueError for anything else, including years outside FIRST..LAST_YEAR."""
    year_text, sep, month_text = text.partition("-")
    if not (sep and len(year_text) == 4 and len(month_text) == 2 and year_text.isdigit() and month_text.isdigit()):
        raise ValueError(f"not a month: {text!r}")
    year, month = int(year_text), int(month_text)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise ValueError(f"month out of range: {text!r}")
    return date(year, month, 1)


def in_range(day: date) -> bool:
    """Whether a date from the outside world (a query parameter, a form) lies in the years dutydesk handles."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


class MonthConverter:
    """ "2026-12" in an address, the first day of that month in the view; an impossible month answers 404."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return parse_month(value)  # ValueError → Django answers 404

    def to_url(self, value: date | str) -> str:
        return value if isinstance(value, str) else f"{value:%Y-%m}"
