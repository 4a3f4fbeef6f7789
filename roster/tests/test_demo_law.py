"""The demo shows the working-time law (issue 21 item 3): one protected person in each team, kept off nights and
weekend duty in every demo roster; a rest day in every week of every person; next month, the person who would like
to work both days of a weekend gets one of them (the rest-day rule shaped the roster); the month's balance says who
is left out.

The weeks are recounted here from the company calendar's answers (holiday break, adjusted working day) and the
rosters' shifts alone, not by roster.law."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dutydesk import demo
from dutydesk.audit.models import AuditEvent
from dutydesk.models import ProtectionPeriod
from dutydesk.months import add_months, month_start
from roster import queries
from roster.demo import BOTH_DAYS, BOTH_DAYS_NOTE
from roster.models import Availability, AvailabilityKind, Roster
from roster.views.balance import balance_panel
from workcalendar import days
from workcalendar.queries import calendar_between

pytestmark = pytest.mark.django_db


def _working_day(company, day) -> bool:
    # The demo teams' regular week is Monday to Friday; 调休上班 days added, holidays and holiday breaks taken out.
    if days.is_adjusted_working_day(company, day):
        return True
    return day.weekday() < 5 and not days.is_holiday_break(company, day)


def _weeks_without_rest(dates: set) -> list:
    company = calendar_between(min(dates) - timedelta(days=7), max(dates) + timedelta(days=7))
    found = []
    for monday in sorted({d - timedelta(days=d.weekday()) for d in dates}):
        week = [monday + timedelta(days=i) for i in range(7)]
        rest = [d for d in week if not _working_day(company, d)]
        if rest and all(d in dates for d in rest):
            found.append(monday)
    return found


def test_demo_rosters_keep_the_law_and_show_a_protected_person_in_each_team():
    demo.load()

    periods = list(ProtectionPeriod.objects.select_related("profile__team"))
    assert sorted(p.profile.team.slug for p in periods) == ["team-east", "team-south"]
    recorded = AuditEvent.objects.filter(action="people.protection").values_list("target_id", "actor_id")
    assert sorted(recorded) == sorted((str(p.pk), p.recorded_by_id) for p in periods)
    next_month = add_months(month_start(timezone.localdate()), 1)
    for slug in ["team-east", "team-south"]:
        held: dict[int, set] = {}
        for roster in Roster.objects.filter(team__slug=slug):
            version = roster.published_version_id or queries.draft_of(roster).pk
            instance, assignments = queries.month_data(roster, version)
            for a in assignments:
                held.setdefault(a.agent, set()).add(a.date)
            for period in periods:
                on_duty = [
                    a
                    for a in assignments
                    if a.agent == period.profile_id and period.starts_on <= a.date <= period.ends_on
                ]
                assert on_duty == [], (roster, period)  # R-LAW-4: every demo duty day is a weekend or holiday
        # R-LAW-1: every week of every person keeps a date with neither regular work nor duty.
        assert {agent: _weeks_without_rest(dates) for agent, dates in held.items() if _weeks_without_rest(dates)} == {}
        # Next month, the person who would like both days of one weekend holds one of them.
        wishes = Availability.objects.filter(
            profile__user__username=BOTH_DAYS[slug], note=BOTH_DAYS_NOTE, kind=AvailabilityKind.PREFERRED
        )
        weekend = sorted(wishes.values_list("date", flat=True))
        assert len(weekend) == 2 and weekend[0] >= next_month and weekend[1] == weekend[0] + timedelta(days=1)
        keen = wishes.first().profile_id
        assert len(held.get(keen, set()) & set(weekend)) == 1, (slug, weekend)
    next_draft = Roster.objects.get(team__slug="team-east", published_version__isnull=True)
    instance, assignments = queries.month_data(next_draft, queries.draft_of(next_draft).pk)
    east = next(p for p in periods if p.profile.team.slug == "team-east")
    assert any(east.profile.name in sentence for sentence in balance_panel(instance, assignments)["excluded"])
