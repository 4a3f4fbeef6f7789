"""The calendar's plain rules: what kind of day a date is, the import's checks, comparing versions. No database."""

from datetime import date

import pytest

from testdata import package_calendar, sample_days
from workcalendar import days as plain
from workcalendar import package, rules
from workcalendar.rules import Problem, Row

CHINA = package_calendar(2026)


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (date(2026, 10, 1), plain.HOLIDAY),  # National Day, statutory
        (date(2026, 10, 3), plain.HOLIDAY),  # a Saturday that is a statutory holiday
        (date(2026, 10, 6), plain.REST),  # a Tuesday off in the break, moved from Sunday 09-20
        (date(2026, 10, 10), plain.WORKDAY),  # a 调休 working Saturday
        (date(2026, 10, 17), plain.REST),  # an ordinary Saturday
        (date(2026, 10, 14), plain.WORKDAY),  # an ordinary Wednesday
    ],
)
def test_kind_of_a_date_in_the_standard_week(day, kind):
    assert plain.kind_of(CHINA, day) == kind


def test_kind_of_follows_a_team_regular_week():
    # A team working Tuesday to Saturday: an ordinary Saturday is a working day, a Monday a rest day.
    week = {1, 2, 3, 4, 5}
    assert (
        plain.kind_of(CHINA, date(2026, 10, 17), week=week),
        plain.kind_of(CHINA, date(2026, 10, 12), week=week),
    ) == (
        plain.WORKDAY,
        plain.REST,
    )


def test_the_special_cases_agree_with_kind_of():
    day = date(2026, 10, 10)
    assert (
        plain.is_adjusted_working_day(CHINA, day),
        plain.is_working_day(CHINA, day),
        plain.is_rest_day(CHINA, day),
        plain.is_statutory_holiday(CHINA, day),
        plain.name_of(CHINA, day),
    ) == (True, True, False, False, "国庆节调休上班")


def test_package_holds_notices_up_to_2026_and_only_estimates_2027():
    assert (package.holds_notice(2026), package.holds_notice(2027)) == (True, False)
    estimate = package.package_year(2027)
    # The estimate has the statutory days and 补假 days but no adjusted working day at all (issue 21).
    assert estimate.status == plain.PROVISIONAL
    assert [d for d, day in estimate.days.items() if day.kind == plain.WORKDAY] == []
    assert estimate.days[date(2027, 2, 5)].kind == plain.HOLIDAY


def test_package_2026_separates_statutory_days_from_rest_days_of_the_break():
    year = package.package_year(2026)
    october = {d.day: day.kind for d, day in year.days.items() if d.month == 10}
    assert october == {1: "holiday", 2: "holiday", 3: "holiday", 5: "rest", 6: "rest", 7: "rest", 10: "workday"}


def rows(*cells):
    return [Row(n, *c) for n, c in enumerate(cells, 2)]


def test_check_rows_lists_every_problem_with_its_line():
    found, problems = rules.check_rows(
        rows(
            ("2027-01-01", "holiday", "元旦"),
            ("2027-01-01", "rest", "元旦"),  # twice
            ("2026-12-31", "rest", ""),  # another year
            ("2027-02-30", "holiday", ""),  # no such date
            ("2027-02-05", "feast", "春节"),  # unknown kind
            ("", "", ""),
        ),
        2027,
    )
    assert found == {date(2027, 1, 1): plain.Day("holiday", "元旦")}
    assert problems == [
        Problem(3, rules.DUPLICATE, "2027-01-01", other_line=2),
        Problem(4, rules.OUTSIDE_YEAR, "2026-12-31"),
        Problem(5, rules.BAD_DATE, "2027-02-30"),
        Problem(6, rules.UNKNOWN_KIND, "feast"),
        Problem(7, rules.MISSING),
    ]


def test_check_rows_accepts_the_sample_notice_and_kinds_in_any_case():
    sample = [Row(n, on.isoformat(), day.kind.upper(), day.name) for n, (on, day) in enumerate(sample_days().items())]
    found, problems = rules.check_rows(sample, 2027)
    assert (problems, found) == ([], sample_days())


def test_an_empty_file_is_a_problem():
    assert rules.check_rows([], 2027) == ({}, [Problem(None, rules.NO_ROWS)])


def test_compare_and_net_changes():
    a = {date(2027, 1, 1): plain.Day("holiday", "元旦"), date(2027, 1, 31): plain.Day("rest", "")}
    b = {date(2027, 1, 1): plain.Day("holiday", "元旦"), date(2027, 1, 31): plain.Day("workday", "调休")}
    c = {date(2027, 1, 1): plain.Day("holiday", "元旦")}
    first, second = rules.compare(a, b), rules.compare(b, c)
    assert first == [rules.DateChange(date(2027, 1, 31), plain.Day("rest", ""), plain.Day("workday", "调休"))]
    assert rules.net_changes([first, second]) == {
        date(2027, 1, 31): rules.DateChange(date(2027, 1, 31), plain.Day("rest", ""), None)
    }
    # A date changed and changed back is no change.
    assert rules.net_changes([rules.compare(a, c), rules.compare(c, a)]) == {}
    assert [rules.change_from_json(rules.change_to_json(x)) for x in first] == first
