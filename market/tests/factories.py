"""The marketplace's tests build on leave's small published roster (leave.tests.factories.leave_setup: people A..F,
four duty days of a future month) until the shared test-data package lands."""

from datetime import timedelta

from django.utils import timezone

from leave.tests.factories import DEFAULT_PLAN, Setup, holders, leave_setup, soon_setup
from market.models import MarketSettings
from roster.models import Assignment, AssignmentRole, Roster, RosterVersion, VersionKind

__all__ = ["DEFAULT_PLAN", "Setup", "holders", "leave_setup", "soon_setup", "market_settings", "past_duty"]


def market_settings(team, **values) -> MarketSettings:
    settings, _ = MarketSettings.objects.update_or_create(team=team, defaults=values)
    return settings


def past_duty(team, profile, shift, n: int, lead) -> None:
    """`n` duty shifts for `profile` in a published roster of the month before `shift`'s (the fair order's
    three-month count), one per duty day of a copy of `shift`'s type."""
    from dutydesk.months import add_months, month_start
    from roster.models import DutyShift

    month = add_months(month_start(shift.date), -1)
    roster, _ = Roster.objects.get_or_create(team=team, month=month)
    if roster.published_version_id is None:
        version = RosterVersion.objects.create(
            roster=roster, number=1, kind=VersionKind.PUBLICATION, created_by=lead, published_at=timezone.now()
        )
        roster.published_version = version
        roster.save(update_fields=["published_version"])
    published = roster.published_version
    assert published is not None
    for i in range(n):
        day = month + timedelta(days=i)
        starts, ends = DutyShift.bounds(day, shift.shift_type)
        duty, _ = DutyShift.objects.get_or_create(
            team=team,
            date=day,
            shift_type=shift.shift_type,
            defaults={"starts_at": starts, "ends_at": ends, "headcount": 5},
        )
        Assignment.objects.create(
            version=published, duty_shift=duty, profile=profile, date=day, role=AssignmentRole.MEMBER
        )
