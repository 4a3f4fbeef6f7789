"""Duty hours and their compensation as pure functions on plain values (no ORM).

Sources: PRC Labour Law art. 44 — work on a rest day is compensated with time off (调休 / 补休) or at least 200 %
pay, work on a statutory holiday with at least 300 % pay; the company holiday calendar (workcalendar.days: China's
statutory holidays, the days off of a holiday break, 调休 working days) and the team's overrides of R-ROSTER-1; the
attendance rules R-ATT-2 (late), R-ATT-3 (absence), R-ATT-4 (early leave, leaving the post) and R-ATT-5 (a night
break is part of the shift, not time off it).

Hours are Decimals rounded to 0.01 h per shift and per kind of day; every total is the sum of the rounded shift
figures, so that a total on a page is what a reader adds up from the rows above it.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from roster import calendar as roster_calendar

# One definition of an hour for statements and the working-time law (R-LAW-2): roster.hours.
from roster.hours import hours, seconds_by_date  # noqa: F401  (part of this module's interface)
from workcalendar import days as company

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

HOLIDAY, REST_DAY, WORKDAY = "holiday", "rest_day", "workday"
COMP_TIME, OVERTIME_PAY = "comp_time", "overtime_pay"

# Art. 44: the least a rest day (200 %) and a statutory holiday (300 %) may be paid.
LEGAL_REST_DAY_MULTIPLIER = Decimal("2.00")
LEGAL_HOLIDAY_MULTIPLIER = Decimal("3.00")
MAX_RATIO = Decimal("10.00")  # a typo (15 for 1.5) rather than a policy
MAX_EXPIRY_MONTHS = 60


def times(value: Decimal, factor: Decimal) -> Decimal:
    return (value * factor).quantize(CENT, rounding=ROUND_HALF_UP)


# --- the calendar ------------------------------------------------------------------------------------------------


def day_kind(day: date, calendar: company.Calendar, *, override: str | None = None) -> str:
    """Whether work on `day` is statutory-holiday, rest-day or working-day work (R-LAW-3), by the company calendar.

    A statutory holiday (10-01..10-03, 除夕 ...) or a date the team marked as a holiday (R-ROSTER-1 override) is a
    holiday. A 调休 working day is a working day even on a Saturday. Otherwise Saturdays, Sundays and the days off
    of a holiday break (10-04..10-07) are rest days.
    """
    if override == roster_calendar.HOLIDAY:
        return HOLIDAY
    return {company.HOLIDAY: HOLIDAY, company.REST: REST_DAY, company.WORKDAY: WORKDAY}[company.kind_of(calendar, day)]


# --- what happened on a shift ----------------------------------------------------------------------------------


class Source(StrEnum):
    """Where a shift's actual hours come from."""

    SIGNED = "signed"  # signed in and out (late and early leave included, time away from the post deducted)
    NO_SIGN_OUT = "no_sign_out"  # signed in, never signed out: counted to the end of the shift
    ABSENT = "absent"  # R-ATT-3: no sign-in, an absence record: no hours
    UNRECORDED = "unrecorded"  # no sign-in and no absence record (e.g. before the logbook was used): planned hours
    NOT_YET = "not_yet"  # the shift has not ended: nothing counted yet


@dataclass(frozen=True)
class Attendance:
    signed_in_at: datetime | None = None
    signed_out_at: datetime | None = None
    # R-ATT-4: time away from the post (start, end or None while away). Night breaks (R-ATT-5) are not listed.
    away: tuple[tuple[datetime, datetime | None], ...] = ()
    absent: bool = False  # R-ATT-3


Interval = tuple[datetime, datetime]


def worked_intervals(
    starts: datetime, ends: datetime, attendance: Attendance | None, *, now: datetime
) -> tuple[list[Interval], Source]:
    """The parts of the shift [starts, ends) the person was at the post, and where that comes from.

    Signing in early or out late adds nothing (the roster sets the hours); signing in late (R-ATT-2) or out early
    (R-ATT-4) shortens the shift, and so does time away from the post.
    """
    if ends > now:
        return [], Source.NOT_YET
    attendance = attendance or Attendance()
    if attendance.signed_in_at is None:
        if attendance.absent:
            return [], Source.ABSENT
        return [(starts, ends)], Source.UNRECORDED
    source = Source.SIGNED if attendance.signed_out_at is not None else Source.NO_SIGN_OUT
    begin = max(starts, attendance.signed_in_at)
    finish = min(ends, attendance.signed_out_at or ends)
    if finish <= begin:
        return [], source
    intervals = [(begin, finish)]
    for away_from, away_until in attendance.away:
        intervals = _cut(intervals, away_from, away_until or finish)
    return intervals, source


def _cut(intervals: list[Interval], start: datetime, end: datetime) -> list[Interval]:
    result = []
    for a, b in intervals:
        if end <= a or start >= b:
            result.append((a, b))
            continue
        if a < start:
            result.append((a, start))
        if end < b:
            result.append((end, b))
    return result


@dataclass(frozen=True)
class ShiftHours:
    planned: Decimal
    workday: Decimal
    rest_day: Decimal
    holiday: Decimal
    night: Decimal  # actual hours of a night shift
    source: Source

    @property
    def actual(self) -> Decimal:
        return self.workday + self.rest_day + self.holiday


def shift_hours(
    *,
    starts: datetime,
    ends: datetime,
    is_night: bool,
    attendance: Attendance | None,
    now: datetime,
    zone: tzinfo,
    calendar: company.Calendar,
    overrides: dict[date, str] | None = None,
) -> ShiftHours:
    """Planned and actual hours of one person's duty shift, the actual split by the kind of each date."""
    overrides = overrides or {}
    intervals, source = worked_intervals(starts, ends, attendance, now=now)
    seconds_by_kind = {WORKDAY: 0.0, REST_DAY: 0.0, HOLIDAY: 0.0}
    for day, seconds in seconds_by_date(intervals, zone).items():
        seconds_by_kind[day_kind(day, calendar, override=overrides.get(day))] += seconds
    # Rounded once per kind of day: the shift's row shows one figure per kind, and the total is their sum.
    by_kind = {kind: hours(seconds) for kind, seconds in seconds_by_kind.items()}
    actual = sum(by_kind.values(), ZERO)
    return ShiftHours(
        planned=hours((ends - starts).total_seconds()),
        workday=by_kind[WORKDAY],
        rest_day=by_kind[REST_DAY],
        holiday=by_kind[HOLIDAY],
        night=actual if is_night else ZERO,
        source=source,
    )


# --- the team's policy -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    rest_day_treatment: str = COMP_TIME  # comp time at rest_day_ratio, or overtime pay at rest_day_multiplier
    rest_day_ratio: Decimal = Decimal("1.00")  # hours of comp time per hour worked (1:1)
    rest_day_multiplier: Decimal = Decimal("2.00")
    holiday_multiplier: Decimal = Decimal("3.00")  # a statutory holiday is always paid
    holiday_comp_time: bool = False  # ... and, where the team chooses, also earns comp time
    holiday_ratio: Decimal = Decimal("1.00")
    expiry_months: int | None = 6  # None: comp time never expires

    def as_dict(self) -> dict[str, Any]:
        return {name: str(value) if isinstance(value, Decimal) else value for name, value in self.__dict__.items()}


EXCEPTION_FIELDS = (
    "rest_day_treatment",
    "rest_day_ratio",
    "rest_day_multiplier",
    "holiday_multiplier",
    "holiday_comp_time",
    "holiday_ratio",
)


def effective_policy(team: Policy, exception: dict[str, Any] | None) -> Policy:
    """A person's exception replaces the team's values it sets (None or "" = as the team)."""
    if not exception:
        return team
    values = {name: exception[name] for name in EXCEPTION_FIELDS if exception.get(name) not in (None, "")}
    return Policy(**{**team.__dict__, **values})


class PolicyProblem(StrEnum):
    RATIO_NOT_POSITIVE = "ratio_not_positive"
    RATIO_TOO_LARGE = "ratio_too_large"
    REST_DAY_BELOW_LAW = "rest_day_below_law"
    HOLIDAY_BELOW_LAW = "holiday_below_law"
    EXPIRY_OUT_OF_RANGE = "expiry_out_of_range"
    TREATMENT_UNKNOWN = "treatment_unknown"


def policy_problems(values: dict[str, Any]) -> list[tuple[str, PolicyProblem]]:
    """(field, problem) for each value a policy (or a person's exception) may not hold; missing values are fine."""
    problems = []
    for name in ("rest_day_ratio", "holiday_ratio"):
        value = values.get(name)
        if value is None:
            continue
        if value <= 0:
            problems.append((name, PolicyProblem.RATIO_NOT_POSITIVE))
        elif value > MAX_RATIO:
            problems.append((name, PolicyProblem.RATIO_TOO_LARGE))
    if values.get("rest_day_multiplier") is not None and values["rest_day_multiplier"] < LEGAL_REST_DAY_MULTIPLIER:
        problems.append(("rest_day_multiplier", PolicyProblem.REST_DAY_BELOW_LAW))
    if values.get("holiday_multiplier") is not None and values["holiday_multiplier"] < LEGAL_HOLIDAY_MULTIPLIER:
        problems.append(("holiday_multiplier", PolicyProblem.HOLIDAY_BELOW_LAW))
    months = values.get("expiry_months")
    if months is not None and not 1 <= months <= MAX_EXPIRY_MONTHS:
        problems.append(("expiry_months", PolicyProblem.EXPIRY_OUT_OF_RANGE))
    if values.get("rest_day_treatment") not in (None, "", COMP_TIME, OVERTIME_PAY):
        problems.append(("rest_day_treatment", PolicyProblem.TREATMENT_UNKNOWN))
    return problems


@dataclass(frozen=True)
class ShiftPay:
    comp_time: Decimal  # hours of comp time earned
    pay_units: Decimal  # overtime pay in hour units (hours × multiplier); HR multiplies by the hourly wage


def shift_compensation(worked: ShiftHours, policy: Policy) -> ShiftPay:
    """What one shift's rest-day and holiday hours earn under the person's policy (art. 44). Working-day hours
    earn nothing here: they are ordinary working time."""
    comp, units = ZERO, ZERO
    if worked.rest_day:
        if policy.rest_day_treatment == COMP_TIME:
            comp += times(worked.rest_day, policy.rest_day_ratio)
        else:
            units += times(worked.rest_day, policy.rest_day_multiplier)
    if worked.holiday:
        units += times(worked.holiday, policy.holiday_multiplier)
        if policy.holiday_comp_time:
            comp += times(worked.holiday, policy.holiday_ratio)
    return ShiftPay(comp, units)


# --- the comp-time ledger (调休余额) ----------------------------------------------------------------------------


def expires_on(earned_on: date, months: int | None) -> date | None:
    """The first day comp time earned on `earned_on` can no longer be taken: the same date `months` later (the
    month's last day where that date does not exist). None: it never expires."""
    if months is None:
        return None
    index = earned_on.year * 12 + earned_on.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(earned_on.day, pycalendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Lot:
    """Comp time that arrived at once: one shift's earnings (with their corrections) or one reward."""

    key: object
    hours: Decimal
    on: date
    expires_on: date | None = None


@dataclass(frozen=True)
class Spend:
    hours: Decimal  # positive
    on: date


@dataclass
class LedgerState:
    remaining: dict[object, Decimal] = field(default_factory=dict)  # lot key -> hours still available
    expired: dict[object, Decimal] = field(default_factory=dict)  # lot key -> hours that expired unused
    overdrawn: Decimal = ZERO  # spent beyond what was there (only after a downward correction)

    @property
    def balance(self) -> Decimal:
        return sum(self.remaining.values(), ZERO) - self.overdrawn


def run_ledger(lots: list[Lot], spends: list[Spend], *, today: date) -> LedgerState:
    """Replay a person's comp time up to `today`: lots arrive on their date, each spend takes from the lot that
    expires soonest (the person's best interest), and what is left of a lot on its expiry date expires."""
    state = LedgerState()
    events = sorted(
        {lot.on for lot in lots} | {s.on for s in spends} | {lot.expires_on for lot in lots if lot.expires_on} | {today}
    )
    order = sorted(lots, key=lambda lot: (lot.expires_on or date.max, lot.on, str(lot.key)))
    for day in (d for d in events if d <= today):
        for lot in order:
            if lot.expires_on is not None and lot.expires_on <= day and lot.key in state.remaining:
                left = state.remaining.pop(lot.key)
                if left > 0:
                    state.expired[lot.key] = left
        for lot in order:
            if lot.on == day and (lot.expires_on is None or lot.expires_on > day):
                state.remaining[lot.key] = max(lot.hours, ZERO)
        for spend in (s for s in spends if s.on == day):
            need = spend.hours
            for lot in order:
                if need <= 0:
                    break
                have = state.remaining.get(lot.key, ZERO)
                take = min(have, need)
                if take > 0:
                    state.remaining[lot.key] = have - take
                    need -= take
            state.overdrawn += max(need, ZERO)
    return state


# --- the monthly statement -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftInput:
    """One duty shift a person holds in the roster in force, with what the duty day recorded."""

    duty_shift_id: int
    date: date
    name: str
    starts: datetime
    ends: datetime
    is_night: bool
    attendance: Attendance | None = None


@dataclass(frozen=True)
class ShiftResult:
    shift: ShiftInput
    hours: ShiftHours
    pay: ShiftPay

    def as_row(self) -> dict[str, Any]:
        """The shift as stored with a statement (JSON), for "how was this computed"."""
        return {
            "duty_shift": self.shift.duty_shift_id,
            "date": self.shift.date.isoformat(),
            "name": self.shift.name,
            "night": self.shift.is_night,
            "planned": str(self.hours.planned),
            "actual": str(self.hours.actual),
            "workday": str(self.hours.workday),
            "rest_day": str(self.hours.rest_day),
            "holiday": str(self.hours.holiday),
            "source": str(self.hours.source),
            "comp_time": str(self.pay.comp_time),
            "pay_units": str(self.pay.pay_units),
        }


@dataclass(frozen=True)
class MonthFigures:
    shifts: tuple[ShiftResult, ...]

    def total(self, name: str) -> Decimal:
        if name in ("comp_time", "pay_units"):
            return sum((getattr(s.pay, name) for s in self.shifts), ZERO)
        return sum((getattr(s.hours, name) for s in self.shifts), ZERO)

    def count(self, source: Source) -> int:
        return sum(1 for s in self.shifts if s.hours.source == source)


def person_month(
    shifts: list[ShiftInput],
    policy: Policy,
    *,
    now: datetime,
    zone: tzinfo,
    calendar: company.Calendar,
    overrides: dict[date, str] | None = None,
) -> MonthFigures:
    """One person's month: every shift's hours and what they earn, in time order."""
    results = []
    for shift in sorted(shifts, key=lambda s: (s.starts, s.duty_shift_id)):
        worked = shift_hours(
            starts=shift.starts,
            ends=shift.ends,
            is_night=shift.is_night,
            attendance=shift.attendance,
            now=now,
            zone=zone,
            calendar=calendar,
            overrides=overrides,
        )
        results.append(ShiftResult(shift, worked, shift_compensation(worked, policy)))
    return MonthFigures(tuple(results))


def month_is_over(month: date, today: date) -> bool:
    """A month's statement may be finalised from the day after its last day."""
    last = month.replace(day=pycalendar.monthrange(month.year, month.month)[1])
    return today > last
