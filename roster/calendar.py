"""Which dates of a month are duty days (R-ROSTER-1), which are holidays and which promotion days (R-ROSTER-7).

Pure: takes the team's settings as plain values and its overrides as a dict. China's statutory holidays and
adjusted working days (调休) come from the `holidays` package, which follows the State Council's yearly notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from holidays.countries.china import China

from dutydesk.months import month_days

# The big e-commerce promotions: 618, Double 11 (双11), Double 12 (双12).
PROMOTION_PRESETS = ((6, 18), (11, 11), (12, 12))

DUTY, NO_DUTY, PROMOTION, HOLIDAY = "duty", "no_duty", "promotion", "holiday"


@dataclass(frozen=True)
class CalendarDay:
    date: date
    holiday: bool = False
    promotion: bool = False
    holiday_name: str = ""


@lru_cache(maxsize=16)
def _china(year: int) -> China:
    return China(years=year, language="zh_CN") if "zh_CN" in China.supported_languages else China(years=year)


def statutory_holiday(day: date) -> str:
    """The name of the statutory holiday on `day`, or "" (weekends that are just weekends are not holidays)."""
    name: str = _china(day.year).get(day, "")
    return name


@lru_cache(maxsize=16)
def _statutory(year: int) -> frozenset[date]:
    # Without observed days, and without the days off moved from a weekend ("Day off (substituted from ...)"):
    # those are rest days, not statutory holidays (PRC Labour Law art. 44 pays them differently).
    china = China(years=year, observed=False, language="en_US")
    return frozenset(day for day, name in china.items() if not name.startswith("Day off"))


def is_statutory_holiday(day: date) -> bool:
    """True only for the statutory holiday days themselves (e.g. 10-01..10-03), not the rest of the break."""
    return day in _statutory(day.year)


def adjusted_working_day(day: date) -> bool:
    """True for a weekend date that is an official working day (调休上班)."""
    return day in _china(day.year).weekend_workdays


def duty_days(
    month: date,
    *,
    duty_weekdays: frozenset[int] | set[int] | list[int] | tuple[int, ...] = (5, 6),
    holidays_are_duty_days: bool = True,
    workdays_are_not_duty_days: bool = True,
    preset_promotion_days: bool = True,
    overrides: dict[date, str] | None = None,
) -> list[CalendarDay]:
    """The duty days of `month` in date order.

    A date is a duty day when its weekday is a duty weekday (R-ROSTER-1), or it is a statutory holiday and the team
    staffs holidays; an adjusted working day (调休) is not, when the team says so. A team's override for a date wins:
    "duty", "no_duty", "holiday" (a duty day counted as a holiday shift) or "promotion" (a duty day with A/B pairs).
    """
    overrides = overrides or {}
    weekdays = set(duty_weekdays)
    result = []
    for day in month_days(month):
        holiday_name = statutory_holiday(day)
        is_duty = day.weekday() in weekdays or (holidays_are_duty_days and bool(holiday_name))
        if workdays_are_not_duty_days and adjusted_working_day(day):
            is_duty = False
        promotion = preset_promotion_days and (day.month, day.day) in PROMOTION_PRESETS
        holiday = bool(holiday_name)
        override = overrides.get(day)
        if override == NO_DUTY:
            continue
        if override in (DUTY, HOLIDAY, PROMOTION):
            is_duty = True
            holiday = holiday or override == HOLIDAY
            promotion = promotion or override == PROMOTION
        # A promotion date on a weekday is not a duty day unless the team says so (override "promotion").
        if is_duty:
            result.append(CalendarDay(day, holiday=holiday, promotion=promotion, holiday_name=holiday_name))
    return result
