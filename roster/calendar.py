"""Which dates of a month are duty days (R-ROSTER-1), which are holidays and which promotion days (R-ROSTER-7).

Pure: takes the company holiday calendar as plain data (workcalendar.days, loaded by workcalendar.queries), the
team's settings as plain values and its overrides as a dict. The company calendar says what a date is (statutory
holiday, rest day of a break, adjusted working day 调休上班); this module only adds what the team decides on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dutydesk.months import month_days
from workcalendar import days as company

# The big e-commerce promotions: 618, Double 11 (双11), Double 12 (双12).
PROMOTION_PRESETS = ((6, 18), (11, 11), (12, 12))

DUTY, NO_DUTY, PROMOTION, HOLIDAY = "duty", "no_duty", "promotion", "holiday"


@dataclass(frozen=True)
class CalendarDay:
    date: date
    holiday: bool = False
    promotion: bool = False
    holiday_name: str = ""


def duty_days(
    month: date,
    calendar: company.Calendar,
    *,
    duty_weekdays: frozenset[int] | set[int] | list[int] = (5, 6),
    holidays_are_duty_days: bool = True,
    workdays_are_not_duty_days: bool = True,
    preset_promotion_days: bool = True,
    overrides: dict[date, str] | None = None,
) -> list[CalendarDay]:
    """The duty days of `month` in date order.

    A date is a duty day when its weekday is a duty weekday (R-ROSTER-1), or it is a day off of a holiday break
    (statutory holiday or rest day of the break) and the team staffs holidays; an adjusted working day (调休) is
    not, when the team says so. A day of a holiday break counts as a holiday shift (R-ROSTER-4). A team's override for
    a date wins: "duty", "no_duty", "holiday" (a duty day counted as a holiday shift) or "promotion" (a duty day with
    A/B pairs).
    """
    overrides = overrides or {}
    weekdays = set(duty_weekdays)
    result = []
    for day in month_days(month):
        on_break = company.is_holiday_break(calendar, day)
        holiday_name = company.name_of(calendar, day) if on_break else ""
        is_duty = day.weekday() in weekdays or (holidays_are_duty_days and on_break)
        if workdays_are_not_duty_days and company.is_adjusted_working_day(calendar, day):
            is_duty = False
        promotion = preset_promotion_days and (day.month, day.day) in PROMOTION_PRESETS
        holiday = on_break
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


# --- what a change of the company calendar does to a laid-out month (R-CAL-2) -----------------------------------


@dataclass(frozen=True)
class LaidOutDay:
    """A duty date as the month is laid out now, with how many people hold its shifts in the version shown."""

    date: date
    holiday: bool
    held: int = 0


@dataclass(frozen=True)
class HeldShift:
    date: date
    shift: str  # the shift's name (白班)
    people: int


@dataclass(frozen=True)
class PayChange:
    """A held shift whose pay class (R-LAW-3: statutory holiday, rest day, working day) changes."""

    date: date
    shift: str
    people: int
    before: str  # workcalendar.days.HOLIDAY / REST / WORKDAY
    after: str


@dataclass(frozen=True)
class MonthImpact:
    month: date
    added: tuple[date, ...] = ()  # duty days the calendar now gives that the month has not laid out
    removed: tuple[LaidOutDay, ...] = ()  # laid-out duty days that are no longer duty days
    now_holiday: tuple[date, ...] = ()  # laid-out duty days that become holiday shifts (R-ROSTER-4)
    no_longer_holiday: tuple[date, ...] = ()
    pay: tuple[PayChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.now_holiday or self.no_longer_holiday or self.pay)


def pay_class(calendar: company.Calendar, on: date, override: str | None = None) -> str:
    """The pay class of duty on `on` (R-LAW-3): the company calendar's kind, a team's holiday override on top."""
    return company.HOLIDAY if override == HOLIDAY else company.kind_of(calendar, on)


def month_impact(
    month: date,
    *,
    wanted: list[CalendarDay],
    laid_out: list[LaidOutDay],
    held: list[HeldShift],
    before: company.Calendar,
    after: company.Calendar,
    overrides: dict[date, str] | None = None,
) -> MonthImpact:
    """How the month laid out as `laid_out` (and held as `held`) differs from what the calendar `after` gives
    (`wanted`, from duty_days), and which held shifts change pay class from the calendar `before` to `after`."""
    overrides = overrides or {}
    wanted_by_date = {d.date: d for d in wanted}
    laid = {d.date: d for d in laid_out}
    removed = tuple(d for on, d in sorted(laid.items()) if on not in wanted_by_date)
    staying = [on for on in sorted(laid) if on in wanted_by_date]
    pay = tuple(
        PayChange(s.date, s.shift, s.people, was, now)
        for s in sorted(held, key=lambda s: (s.date, s.shift))
        if s.date in wanted_by_date
        and (was := pay_class(before, s.date, overrides.get(s.date)))
        != (now := pay_class(after, s.date, overrides.get(s.date)))
    )
    return MonthImpact(
        month=month,
        added=tuple(on for on in sorted(wanted_by_date) if on not in laid),
        removed=removed,
        now_holiday=tuple(on for on in staying if wanted_by_date[on].holiday and not laid[on].holiday),
        no_longer_holiday=tuple(on for on in staying if laid[on].holiday and not wanted_by_date[on].holiday),
        pay=pay,
    )
