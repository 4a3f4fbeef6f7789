"""Duty hours and compensation rules, no database. Every expected figure is worked out by hand in the comment
beside it (PRC Labour Law art. 44; R-ATT-2..5; China's 2026 calendar: National Day 10-01..10-03 statutory,
10-04..10-07 days off, Saturday 10-10 a 调休 working day)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from compensation import rules
from compensation.rules import (
    HOLIDAY,
    REST_DAY,
    WORKDAY,
    Attendance,
    Lot,
    Policy,
    PolicyProblem,
    Source,
    Spend,
)
from testdata import at, package_calendar

ZONE = ZoneInfo("Asia/Shanghai")
CHINA = package_calendar(2026, 2027)  # the package's days, as the migration seeds them
NOW = datetime(2026, 12, 15, 12, 0, tzinfo=ZONE)  # every shift below is over
D = Decimal


def day_shift(day: date, attendance=None, *, overrides=None):
    return rules.shift_hours(
        starts=at(day, 9),
        ends=at(day, 18),
        is_night=False,
        attendance=attendance,
        now=NOW,
        zone=ZONE,
        calendar=CHINA,
        overrides=overrides,
    )


def signed(day: date, in_at=(8, 45), out_at=(18, 5), away=()):
    return Attendance(signed_in_at=at(day, *in_at), signed_out_at=at(day, *out_at), away=away)


# --- the calendar ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 11, 7), REST_DAY),  # an ordinary Saturday
        (date(2026, 11, 8), REST_DAY),  # an ordinary Sunday
        (date(2026, 11, 9), WORKDAY),  # a Monday
        (date(2026, 10, 1), HOLIDAY),  # National Day, statutory
        (date(2026, 10, 3), HOLIDAY),  # a Saturday that is a statutory holiday: the holiday wins
        (date(2026, 10, 5), REST_DAY),  # a Monday off in the National Day break, not a statutory day
        (date(2026, 10, 6), REST_DAY),  # a Tuesday off, moved from Sunday 09-20 (调休)
        (date(2026, 10, 10), WORKDAY),  # a 调休 working Saturday: not a rest day
        (date(2026, 9, 20), WORKDAY),  # a 调休 working Sunday
        (date(2026, 2, 16), HOLIDAY),  # 除夕, statutory since 2025
    ],
)
def test_day_kind_follows_china_calendar(day, kind):
    assert rules.day_kind(day, CHINA) == kind


def test_day_kind_team_override_holiday_wins_even_on_a_working_day():
    # R-ROSTER-1: the team marked 11-11 (a Wednesday) as a holiday duty day.
    assert rules.day_kind(date(2026, 11, 11), CHINA, override="holiday") == HOLIDAY
    assert rules.day_kind(date(2026, 11, 11), CHINA, override="promotion") == WORKDAY


# --- hours of a shift ----------------------------------------------------------------------------------------


def test_weekend_shift_signed_in_early_out_late_counts_the_rostered_nine_hours():
    # Saturday 11-07 09:00-18:00, in 08:45 (R-ATT-1), out 18:05: 9.00 h, all rest-day hours.
    hours = day_shift(date(2026, 11, 7), signed(date(2026, 11, 7)))
    assert (hours.planned, hours.actual, hours.rest_day, hours.holiday, hours.workday, hours.source) == (
        D("9.00"),
        D("9.00"),
        D("9.00"),
        D("0.00"),
        D("0.00"),
        Source.SIGNED,
    )


def test_late_sign_in_shortens_the_shift():
    # R-ATT-2: in at 09:20 → 8 h 40 min = 8.666… → 8.67 h.
    hours = day_shift(date(2026, 11, 7), signed(date(2026, 11, 7), in_at=(9, 20)))
    assert (hours.planned, hours.actual, hours.rest_day) == (D("9.00"), D("8.67"), D("8.67"))


def test_early_leave_and_time_away_from_post_are_deducted_night_breaks_are_not():
    # R-ATT-4: out at 17:00 (1 h early) and away 12:00-12:30 → 9 − 1 − 0.5 = 7.50 h.
    day = date(2026, 11, 7)
    hours = day_shift(day, signed(day, out_at=(17, 0), away=((at(day, 12), at(day, 12, 30)),)))
    assert hours.actual == D("7.50")


def test_away_without_return_counts_until_sign_out():
    day = date(2026, 11, 7)
    hours = day_shift(day, signed(day, out_at=(18, 0), away=((at(day, 17), None),)))
    assert hours.actual == D("8.00")  # 09:00-17:00


def test_absence_counts_nothing_and_no_record_counts_the_planned_hours():
    day = date(2026, 11, 7)
    assert day_shift(day, Attendance(absent=True)).actual == D("0.00")  # R-ATT-3
    assert day_shift(day, Attendance(absent=True)).source == Source.ABSENT
    unrecorded = day_shift(day, None)
    assert (unrecorded.actual, unrecorded.source) == (D("9.00"), Source.UNRECORDED)


def test_late_arrival_after_an_absence_record_counts_from_sign_in():
    # Marked absent at 09:16 by the job, arrived 09:40, stayed to the end: 8 h 20 min = 8.33 h.
    day = date(2026, 11, 7)
    hours = day_shift(day, Attendance(signed_in_at=at(day, 9, 40), signed_out_at=at(day, 18), absent=True))
    assert (hours.actual, hours.source) == (D("8.33"), Source.SIGNED)


def test_no_sign_out_counts_to_the_end_and_says_so():
    day = date(2026, 11, 7)
    hours = day_shift(day, Attendance(signed_in_at=at(day, 8, 50)))
    assert (hours.actual, hours.source) == (D("9.00"), Source.NO_SIGN_OUT)


def test_a_shift_not_over_counts_nothing_yet():
    day = date(2026, 11, 7)
    hours = rules.shift_hours(
        starts=at(day, 9),
        ends=at(day, 18),
        is_night=False,
        attendance=signed(day),
        now=at(day, 12),
        zone=ZONE,
        calendar=CHINA,
    )
    assert (hours.planned, hours.actual, hours.source) == (D("9.00"), D("0.00"), Source.NOT_YET)


def test_holiday_shift_hours_are_holiday_hours():
    day = date(2026, 10, 1)
    hours = day_shift(day, signed(day))
    assert (hours.holiday, hours.rest_day, hours.actual) == (D("9.00"), D("0.00"), D("9.00"))


def test_working_saturday_shift_is_not_rest_day_work():
    # 2026-10-10 is a 调休 working Saturday: 9 working-day hours, no rest-day hours.
    day = date(2026, 10, 10)
    hours = day_shift(day, signed(day))
    assert (hours.workday, hours.rest_day, hours.holiday) == (D("9.00"), D("0.00"), D("0.00"))


def test_night_shift_hours_and_a_shift_past_midnight_split_by_date():
    # Night 18:00-24:00 on Saturday 11-07: 6 night hours, all on the Saturday.
    day = date(2026, 11, 7)
    night = rules.shift_hours(
        starts=at(day, 18),
        ends=at(day, 18) + timedelta(hours=6),
        is_night=True,
        attendance=Attendance(at(day, 17, 45), at(day + timedelta(days=1), 0, 5)),
        now=NOW,
        zone=ZONE,
        calendar=CHINA,
    )
    assert (night.night, night.rest_day, night.workday) == (D("6.00"), D("6.00"), D("0.00"))
    # 22:00 Sunday 11-08 to 06:00 Monday 11-09: 2 rest-day hours, then 6 working-day hours.
    sunday = date(2026, 11, 8)
    split = rules.shift_hours(
        starts=at(sunday, 22),
        ends=at(sunday, 22) + timedelta(hours=8),
        is_night=True,
        attendance=None,
        now=NOW,
        zone=ZONE,
        calendar=CHINA,
    )
    assert (split.rest_day, split.workday, split.night, split.actual) == (D("2.00"), D("6.00"), D("8.00"), D("8.00"))


def test_hours_are_rounded_once_per_kind_of_day_not_per_date():
    # 23:40 Saturday to 00:20 Sunday: 20 + 20 minutes of rest day = 40 min = 0.67 h (not 0.33 + 0.33 = 0.66).
    day = date(2026, 11, 7)
    hours = rules.shift_hours(
        starts=at(day, 23, 40),
        ends=at(day, 23, 40) + timedelta(minutes=40),
        is_night=True,
        attendance=None,
        now=NOW,
        zone=ZONE,
        calendar=CHINA,
    )
    assert hours.rest_day == D("0.67")


def test_holiday_eve_night_into_a_holiday():
    # 09-30 (Wednesday) 20:00 to 10-01 04:00: 4 working-day hours, then 4 statutory-holiday hours.
    day = date(2026, 9, 30)
    hours = rules.shift_hours(
        starts=at(day, 20),
        ends=at(day, 20) + timedelta(hours=8),
        is_night=True,
        attendance=None,
        now=NOW,
        zone=ZONE,
        calendar=CHINA,
    )
    assert (hours.workday, hours.holiday) == (D("4.00"), D("4.00"))


# --- what the hours earn -------------------------------------------------------------------------------------


def test_weekend_shift_earns_comp_time_one_to_one_by_default():
    day = date(2026, 11, 7)
    pay = rules.shift_compensation(day_shift(day, signed(day)), Policy())
    assert (pay.comp_time, pay.pay_units) == (D("9.00"), D("0.00"))


def test_weekend_shift_under_overtime_pay_earns_pay_units_not_comp_time():
    day = date(2026, 11, 7)
    pay = rules.shift_compensation(day_shift(day, signed(day)), Policy(rest_day_treatment=rules.OVERTIME_PAY))
    assert (pay.comp_time, pay.pay_units) == (D("0.00"), D("18.00"))  # 9 h × 2.0


def test_holiday_shift_is_paid_three_times_and_earns_comp_time_only_where_chosen():
    day = date(2026, 10, 1)
    worked = day_shift(day, signed(day))
    assert rules.shift_compensation(worked, Policy()) == rules.ShiftPay(D("0.00"), D("27.00"))  # 9 h × 3.0
    both = Policy(holiday_comp_time=True, holiday_ratio=D("0.5"))
    assert rules.shift_compensation(worked, both) == rules.ShiftPay(D("4.50"), D("27.00"))


def test_late_weekend_shift_at_ratio_one_and_a_half():
    # 8.67 h × 1.5 = 13.005 → 13.01 h of comp time (half up).
    day = date(2026, 11, 7)
    worked = day_shift(day, signed(day, in_at=(9, 20)))
    assert rules.shift_compensation(worked, Policy(rest_day_ratio=D("1.5"))).comp_time == D("13.01")


def test_working_saturday_earns_nothing():
    day = date(2026, 10, 10)
    assert rules.shift_compensation(day_shift(day, signed(day)), Policy()) == rules.ShiftPay(D("0.00"), D("0.00"))


def test_person_month_totals_are_sums_of_the_rounded_rows():
    # Three Saturdays each 20 minutes short: 8.67 h each (8.666… rounded) → 26.01 h, not 26.00.
    days = [date(2026, 11, 7), date(2026, 11, 14), date(2026, 11, 21)]
    shifts = [
        rules.ShiftInput(i, d, "白班", at(d, 9), at(d, 18), False, signed(d, in_at=(9, 20))) for i, d in enumerate(days)
    ]
    month = rules.person_month(shifts, Policy(), now=NOW, zone=ZONE, calendar=CHINA)
    assert (month.total("rest_day"), month.total("comp_time"), month.total("planned")) == (
        D("26.01"),
        D("26.01"),
        D("27.00"),
    )


# --- exceptions and the policy's bounds ----------------------------------------------------------------------


def test_exception_replaces_only_what_it_sets():
    team = Policy()
    mine = rules.effective_policy(
        team,
        {
            "rest_day_treatment": rules.OVERTIME_PAY,
            "rest_day_ratio": None,
            "holiday_multiplier": D("3.5"),
            "rest_day_multiplier": None,
            "holiday_comp_time": None,
            "holiday_ratio": None,
        },
    )
    assert (mine.rest_day_treatment, mine.rest_day_multiplier, mine.holiday_multiplier, mine.expiry_months) == (
        rules.OVERTIME_PAY,
        D("2.00"),
        D("3.5"),
        6,
    )
    assert rules.effective_policy(team, None) is team


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"rest_day_ratio": D("0")}, PolicyProblem.RATIO_NOT_POSITIVE),
        ({"rest_day_ratio": D("-1")}, PolicyProblem.RATIO_NOT_POSITIVE),
        ({"holiday_ratio": D("0")}, PolicyProblem.RATIO_NOT_POSITIVE),
        ({"rest_day_ratio": D("15")}, PolicyProblem.RATIO_TOO_LARGE),
        ({"rest_day_multiplier": D("1.5")}, PolicyProblem.REST_DAY_BELOW_LAW),
        ({"holiday_multiplier": D("2.99")}, PolicyProblem.HOLIDAY_BELOW_LAW),
        ({"expiry_months": 0}, PolicyProblem.EXPIRY_OUT_OF_RANGE),
        ({"expiry_months": 61}, PolicyProblem.EXPIRY_OUT_OF_RANGE),
        ({"rest_day_treatment": "cash"}, PolicyProblem.TREATMENT_UNKNOWN),
    ],
)
def test_policy_problems_refuse_bad_values(values, problem):
    assert [p for _field, p in rules.policy_problems(values)] == [problem]


def test_policy_defaults_and_never_expiring_are_fine():
    assert rules.policy_problems(Policy().__dict__) == []
    assert rules.policy_problems({"expiry_months": None, "rest_day_ratio": D("0.5")}) == []


# --- the ledger: expiry ------------------------------------------------------------------------------------------


def test_expiry_date_is_the_same_day_months_later_or_the_month_end():
    assert rules.expires_on(date(2026, 3, 7), 6) == date(2026, 9, 7)
    assert rules.expires_on(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert rules.expires_on(date(2026, 3, 7), None) is None


def test_expired_balance():
    # Earned 9 h on 03-07 (expires 09-07) and 9 h on 06-06 (expires 12-06); took 4 h on 05-01 and 3 h on 08-01.
    # Both spends take from the March lot (it expires first): 9 − 4 − 3 = 2 h left of it, which expire on 09-07.
    lots = [
        Lot("march", D("9"), date(2026, 3, 7), date(2026, 9, 7)),
        Lot("june", D("9"), date(2026, 6, 6), date(2026, 12, 6)),
    ]
    spends = [Spend(D("4"), date(2026, 5, 1)), Spend(D("3"), date(2026, 8, 1))]
    before = rules.run_ledger(lots, spends, today=date(2026, 9, 6))
    assert (before.balance, before.expired) == (D("11"), {})
    after = rules.run_ledger(lots, spends, today=date(2026, 9, 7))
    assert (after.balance, after.expired) == (D("9"), {"march": D("2")})


def test_a_spend_after_an_expiry_cannot_use_the_expired_lot():
    lots = [Lot("old", D("5"), date(2026, 1, 3), date(2026, 2, 3)), Lot("new", D("2"), date(2026, 2, 7), None)]
    state = rules.run_ledger(lots, [Spend(D("2"), date(2026, 2, 10))], today=date(2026, 3, 1))
    assert (state.balance, state.expired, state.overdrawn) == (D("0"), {"old": D("5")}, D("0"))


def test_never_expiring_comp_time_stays():
    lots = [Lot("a", D("8"), date(2020, 1, 4), None)]
    assert rules.run_ledger(lots, [], today=date(2026, 1, 1)).balance == D("8")


def test_month_is_over_from_the_first_of_next_month():
    assert not rules.month_is_over(date(2026, 11, 1), date(2026, 11, 30))
    assert rules.month_is_over(date(2026, 11, 1), date(2026, 12, 1))


def test_plain_strings_equal_the_choices():
    from compensation.models import Treatment
    from roster.models import DayKind

    assert (rules.COMP_TIME, rules.OVERTIME_PAY) == (Treatment.COMP_TIME, Treatment.OVERTIME_PAY)
    assert rules.roster_calendar.HOLIDAY == DayKind.HOLIDAY  # the override that makes a date a holiday
