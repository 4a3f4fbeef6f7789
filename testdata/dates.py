"""Dates and moments for tests and benchmarks, fixed or computed so that they always exist (any day the suite runs:
the 1st, a month's end, December, a 31-day month)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from dutydesk.months import add_months, month_end, next_month

# A month without statutory holidays or adjusted working days: 8 weekend duty days.
MONTH = date(2027, 3, 1)
WEEKENDS = [date(2027, 3, d) for d in (6, 7, 13, 14, 20, 21, 27, 28)]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """`day` at `hour`:`minute` in the site's time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def open_month(today: date) -> date:
    """A month whose availability is still open on `today`, whatever today is: the one after next (declarations
    close about ten days before a month starts, R-ROSTER-2). For views that read the real clock; MONTH's closes in
    February 2027."""
    return next_month(next_month(today))


def weekends(month: date, count: int) -> list[date]:
    """The first `count` Saturdays and Sundays from `month` (its first day), into the next month if need be."""
    days: list[date] = []
    day = month
    while len(days) < count:
        if day.weekday() >= 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def saturdays(month: date, count: int = 5) -> list[date]:
    """The month's first `count` Saturdays (fewer if it has fewer)."""
    days: list[date] = []
    day = month
    while len(days) < count and day.month == month.month:
        if day.weekday() == 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def saturdays_before(day: date, n: int) -> list[date]:
    """The n Saturdays before `day`, latest first."""
    last = day - timedelta(days=(day.weekday() - 5) % 7 or 7)
    return [last - timedelta(weeks=k) for k in range(n)]


def past_weekend_days(count: int, *, before: date | None = None) -> list[date]:
    """The last `count` Saturdays and Sundays before `before` (default today), oldest first."""
    day = (before or timezone.localdate()) - timedelta(days=1)
    days: list[date] = []
    while len(days) < count:
        if day.weekday() >= 5:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def future_weekend_days(today: date | None = None) -> list[date]:
    """Saturdays and Sundays of the first two weekends of the month after next (always more than 24 h away)."""
    today = today or timezone.localdate()
    month = add_months(today, 2)
    saturday = month + timedelta(days=(5 - month.weekday()) % 7)
    return [saturday, saturday + timedelta(days=1), saturday + timedelta(days=7), saturday + timedelta(days=8)]


def rest_day_in(month: date) -> date:
    """The month's first rest day by the company calendar (not a statutory holiday, not a 调休 working day)."""
    from compensation.rules import REST_DAY, day_kind
    from workcalendar.queries import calendar_between

    calendar = calendar_between(month, month_end(month))
    day = month
    while day_kind(day, calendar) != REST_DAY:
        day += timedelta(days=1)
    return day
