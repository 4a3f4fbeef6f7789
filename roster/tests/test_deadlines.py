"""roster.rules deadlines (R-ROSTER-2): pure dates, no database."""

from datetime import date

from roster.rules import availability_deadline, publish_deadline


def test_publish_deadline_is_days_ahead_of_the_first_of_the_month():
    # R-ROSTER-2: published at least 7 days before the month starts (any day of the month names the month).
    assert publish_deadline(date(2027, 1, 20), 7) == date(2026, 12, 25)
    assert publish_deadline(date(2026, 3, 1), 0) == date(2026, 3, 1)


def test_availability_closes_before_the_publish_deadline():
    assert availability_deadline(date(2027, 1, 1), publish_days_ahead=7, closes_days=3) == date(2026, 12, 22)
