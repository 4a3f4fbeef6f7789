"""Duty days from the company calendar, the team's weekdays and its corrections (R-ROSTER-1, R-ROSTER-7). No DB."""

from datetime import date

from roster import calendar
from testdata import package_calendar, sample_days
from workcalendar import days as company

CHINA = package_calendar(2026, 2027)  # the package's days, as the migration seeds them


def _dates(days):
    return [(d.date.day, d.holiday, d.promotion) for d in days]


def test_plain_month_has_its_weekends():
    assert _dates(calendar.duty_days(date(2027, 3, 1), CHINA)) == [
        (6, False, False),
        (7, False, False),
        (13, False, False),
        (14, False, False),
        (20, False, False),
        (21, False, False),
        (27, False, False),
        (28, False, False),
    ]


def test_national_day_holidays_are_duty_days_and_adjusted_working_weekend_is_not():
    days = {d.date: d for d in calendar.duty_days(date(2026, 10, 1), CHINA)}
    assert [n for n in range(1, 8) if days[date(2026, 10, n)].holiday] == [1, 2, 3, 5, 6, 7]
    # 2026-10-10 (Saturday) is an official working day (调休).
    assert (company.is_adjusted_working_day(CHINA, date(2026, 10, 10)), date(2026, 10, 10) in days) == (True, False)


def test_adjusted_working_day_stays_a_duty_day_when_the_team_says_so():
    days = [d.date for d in calendar.duty_days(date(2026, 10, 1), CHINA, workdays_are_not_duty_days=False)]
    assert date(2026, 10, 10) in days


def test_double_12_is_a_promotion_day_when_presets_are_on():
    days = {d.date: d for d in calendar.duty_days(date(2026, 12, 1), CHINA)}
    assert days[date(2026, 12, 12)].promotion is True
    off = {d.date: d for d in calendar.duty_days(date(2026, 12, 1), CHINA, preset_promotion_days=False)}
    assert off[date(2026, 12, 12)].promotion is False


def test_overrides_add_remove_and_mark_days():
    days = calendar.duty_days(
        date(2027, 3, 1),
        CHINA,
        overrides={
            date(2027, 3, 6): calendar.NO_DUTY,
            date(2027, 3, 10): calendar.PROMOTION,
            date(2027, 3, 8): calendar.HOLIDAY,
        },
    )
    assert _dates(days)[:4] == [(7, False, False), (8, True, False), (10, False, True), (13, False, False)]


def test_custom_duty_weekdays():
    days = calendar.duty_days(date(2027, 3, 1), CHINA, duty_weekdays=[4])  # Fridays
    assert [d.date.day for d in days] == [5, 12, 19, 26]


def test_an_imported_notice_moves_duty_days_and_holiday_shifts():
    # The sample 2027 notice: 01-02 and 01-03 (a weekend) are days of the New Year break, Sunday 01-31 is worked.
    notice = company.calendar_of(sample_days())
    estimate = {d.date: d for d in calendar.duty_days(date(2027, 1, 1), CHINA)}
    official = {d.date: d for d in calendar.duty_days(date(2027, 1, 1), notice)}
    assert (date(2027, 1, 31) in estimate, date(2027, 1, 31) in official) == (True, False)
    assert (estimate[date(2027, 1, 2)].holiday, official[date(2027, 1, 2)].holiday) == (False, True)
    assert official[date(2027, 1, 2)].holiday_name == "元旦"


def test_a_team_override_stays_on_top_of_the_company_calendar():
    notice = company.calendar_of(sample_days())
    days = calendar.duty_days(date(2027, 1, 1), notice, overrides={date(2027, 1, 31): calendar.DUTY})
    assert date(2027, 1, 31) in [d.date for d in days]


def test_a_calendar_loaded_without_the_year_refuses_rather_than_guess():
    import pytest

    with pytest.raises(company.YearNotLoaded):
        calendar.duty_days(date(2028, 1, 1), CHINA)
