"""The marketplace's own test data; its tests build on leave's small published roster (testdata.leave_setup: people
A..F, four duty days of a future month)."""

from datetime import timedelta

from market.models import MarketSettings
from testdata import publish


def market_settings(team, **values) -> MarketSettings:
    settings, _ = MarketSettings.objects.update_or_create(team=team, defaults=values)
    return settings


def past_duty(team, profile, shift, n: int, lead) -> None:
    """`n` duty shifts for `profile` in a published roster of the month before `shift`'s (the fair order's
    three-month count), one per duty day of a copy of `shift`'s type."""
    from dutydesk.months import add_months, month_start
    from roster.models import DutyShift

    month = add_months(month_start(shift.date), -1)
    held = []
    for i in range(n):
        day = month + timedelta(days=i)
        starts, ends = DutyShift.bounds(day, shift.shift_type)
        duty, _ = DutyShift.objects.get_or_create(
            team=team,
            date=day,
            shift_type=shift.shift_type,
            defaults={"starts_at": starts, "ends_at": ends, "headcount": 5},
        )
        held.append((profile, duty))
    # Added to what that month's roster in force already holds (other people's past duty), as a revision.
    publish(team, held, by=lead, keep=True)
