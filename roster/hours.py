"""Duty hours as dutydesk counts them, once for everyone: the seconds of a shift on each calendar date (a shift past
midnight counts on two dates) and the rounding of seconds to hours (0.01 h).

Pure and low, so that both the working-time law (roster.law, R-LAW-2: rest-day and holiday hours of a month) and
the duty-hours statements (compensation.rules, R-LAW-3) count an hour the same way; compensation imports these
from here (the house's direction: compensation builds on roster, never the other way).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

Interval = tuple[datetime, datetime]


def hours(seconds: float | int) -> Decimal:
    """Seconds as hours, rounded to 0.01 h (half up)."""
    return (Decimal(int(round(seconds))) / Decimal(3600)).quantize(CENT, rounding=ROUND_HALF_UP)


def seconds_by_date(intervals: list[Interval], zone: tzinfo | None = None) -> dict[date, float]:
    """Seconds of the intervals on each local calendar date (a shift past midnight counts on two dates).

    Aware intervals are read in `zone`; naive ones (the roster's plain data, already local) as they are.
    """
    result: dict[date, float] = {}
    for start, end in intervals:
        if zone is not None:
            start, end = start.astimezone(zone), end.astimezone(zone)
        while start < end:
            midnight = datetime.combine(start.date() + timedelta(days=1), time(0), tzinfo=start.tzinfo)
            piece_end = min(end, midnight)
            result[start.date()] = result.get(start.date(), 0.0) + (piece_end - start).total_seconds()
            start = piece_end
    return result
