"""Month arithmetic (dutydesk/months.py): one implementation that every app uses."""

from datetime import date

import pytest

from dutydesk import months


def test_add_months_crosses_years_both_ways():
    assert months.add_months(date(2026, 12, 31), 1) == date(2027, 1, 1)
    assert months.add_months(date(2026, 1, 15), -1) == date(2025, 12, 1)
    assert months.add_months(date(2026, 3, 1), -14) == date(2025, 1, 1)


def test_month_end_knows_leap_years():
    assert months.month_end(date(2028, 2, 10)) == date(2028, 2, 29)
    assert months.month_end(date(2026, 2, 1)) == date(2026, 2, 28)


def test_months_back_oldest_first():
    assert months.months_back(date(2026, 2, 1), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_month_days_lists_every_day():
    days = months.month_days(date(2026, 11, 20))
    assert (days[0], days[-1], len(days)) == (date(2026, 11, 1), date(2026, 11, 30), 30)


@pytest.mark.parametrize("text", ["9999-12", "0001-01", "2026-13", "2026-00", "2026-1", "abcd-ef", "2026-12-01"])
def test_parse_month_refuses_impossible_months(text):
    with pytest.raises(ValueError):
        months.parse_month(text)


def test_parse_month_reads_a_month():
    assert months.parse_month("2026-12") == date(2026, 12, 1)
