"""The demo loader: policies, an exception, two finalised months and an open one on published rosters; twice adds
nothing."""

from datetime import date

import pytest

from compensation import demo
from compensation.models import CompensationPolicy, CompTimeEntry, DutyStatement, PolicyException, StatementResponse
from dutydesk.demo import load_people
from dutydesk.models import Profile, Team
from testdata import duty_shift, publish, saturdays, worked

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def counts():
    return [
        CompensationPolicy.objects.count(),
        PolicyException.objects.count(),
        DutyStatement.objects.count(),
        StatementResponse.objects.count(),
        CompTimeEntry.objects.count(),
    ]


def test_demo_without_published_rosters_sets_policies_only():
    load_people()
    demo.load(today=TODAY)
    assert counts() == [2, 1, 0, 0, 0]


def test_demo_two_finalised_months_and_an_open_one_twice_adds_nothing():
    load_people()
    east = Team.objects.get(slug="team-east")
    agents = list(Profile.objects.filter(team=east, user__username__startswith="agent").order_by("user__username"))
    for month in (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)):
        shifts = [duty_shift(east, day) for day in saturdays(month, 2)]
        publish(east, [(p, s) for s in shifts for p in agents[:8]])
        for shift in shifts:
            for profile in agents[:8]:
                worked(shift, profile)
    demo.load(today=TODAY)
    first = counts()
    demo.load(today=TODAY)
    assert counts() == first
    assert list(DutyStatement.objects.filter(team=east).order_by("month").values_list("month", "status")) == [
        (date(2026, 9, 1), "finalised"),
        (date(2026, 10, 1), "finalised"),
        (date(2026, 11, 1), "open"),
    ]
    # 8 people on 2 Saturdays a month; agent03 is paid instead (exception). October's Saturdays earn no comp
    # time: 10-03 is National Day (paid 3.0) and 10-10 a 调休 working day. So 7 × 2 × 2 lines of 9 h.
    earned = CompTimeEntry.objects.filter(kind="earned", team=east)
    assert sorted({(e.on.month, e.hours) for e in earned}) == [(9, 9), (11, 9)] and earned.count() == 28
    assert StatementResponse.objects.filter(kind="disputed", resolved_at__isnull=True).count() == 1  # this month
    assert StatementResponse.objects.filter(kind="disputed", resolved_at__isnull=False).count() == 2
