"""The demo loader: evaluations, surveys and scores on published rosters; twice adds nothing."""

from datetime import date

import pytest

from appraisal import demo
from appraisal.models import AgentScore, DailyEvaluation, MonthlyAppraisal, ScoreResponse, SurveyResult
from dutydesk.demo import load_people
from dutydesk.models import Profile, Team
from testdata import on_duty, weekends

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def counts():
    return [
        DailyEvaluation.objects.count(),
        SurveyResult.objects.count(),
        MonthlyAppraisal.objects.count(),
        AgentScore.objects.count(),
        ScoreResponse.objects.count(),
    ]


def test_demo_without_published_rosters_does_nothing():
    load_people()
    demo.load(today=TODAY)
    assert counts() == [0, 0, 0, 0, 0]


def test_demo_builds_three_months_older_finalised_and_twice_adds_nothing():
    load_people()
    east = Team.objects.get(slug="team-east")
    agents = list(Profile.objects.filter(team=east, user__username__startswith="agent").order_by("user__username"))
    for month in (date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)):
        on_duty(east, agents[:6], weekends(month, 2))
    demo.load(today=TODAY)
    first = counts()
    demo.load(today=TODAY)
    assert counts() == first
    assert first[0] == 36  # 6 people x 2 shifts x 3 months
    assert list(MonthlyAppraisal.objects.filter(team=east).order_by("month").values_list("month", "status")) == [
        (date(2026, 8, 1), "finalised"),
        (date(2026, 9, 1), "finalised"),
        (date(2026, 10, 1), "open"),
    ]
    assert sorted(ScoreResponse.objects.values_list("kind", flat=True)) == ["acknowledged", "disputed"]
