"""The month computation and the manager's month page for a team of 500 agents (issue 7, "Measured")."""

import statistics
import time
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal import services
from appraisal.models import DailyEvaluation, SurveyResult
from appraisal.tests.factories import duty_shift, publish, shift_type, weekends
from dutydesk.models import Profile, Role, Team

AGENTS = 500
MONTH = date(2026, 10, 1)
PAGE_RUNS = 10


def build() -> tuple[Team, User]:
    team = Team.objects.create(name="基准客服组", slug="bench-appraisal")
    password = make_password("bench")
    users = User.objects.bulk_create([User(username=f"bench{n:03d}", password=password) for n in range(AGENTS + 2)])
    profiles = Profile.objects.bulk_create([
        Profile(user=user, name=f"客服{n:03d}", role=Role.AGENT, team=team) for n, user in enumerate(users[:AGENTS])
    ])
    supervisor = Profile.objects.create(user=users[AGENTS], name="主管", role=Role.SUPERVISOR, team=team)
    manager = Profile.objects.create(user=users[AGENTS + 1], name="经理", role=Role.MANAGER)
    manager.oversees.set([team])
    day, night = shift_type(team, "day"), shift_type(team, "night")
    days = weekends(MONTH, 4)
    shifts = [duty_shift(team, d, kind) for d in days for kind in (day, night)]
    # Each agent holds two shifts of the month on two different dates, day or night by parity.
    unique = [(p, shifts[(n + k) % len(days) * 2 + n % 2], "member") for n, p in enumerate(profiles) for k in (0, 1)]
    publish(team, MONTH, unique, by=users[AGENTS])
    DailyEvaluation.objects.bulk_create([
        DailyEvaluation(duty_shift=shift, profile=profile, evaluator=supervisor, inquiry=5 - n % 3,
                        complaint=4, business=4 + n % 2, records=3 + n % 3, attitude=5 - n % 2)
        for n, (profile, shift, _) in enumerate(unique)
    ])
    SurveyResult.objects.bulk_create([
        SurveyResult(team=team, profile=profile, date=shift.date, scale="five", score=5 - (n + k) % 4,
                     satisfied=5 - (n + k) % 4 >= 4, key=f"bench:{n}:{k}", entered_by=supervisor)
        for n, (profile, shift, _) in enumerate(unique) for k in range(3)
    ])
    return team, users[AGENTS + 1]


def main() -> None:
    team, manager = build()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        services.compute_appraisal(team=team, month=MONTH)
        seconds = time.perf_counter() - start
    print(f"BENCH appraisal.compute.agents500.seconds {seconds:.2f} s")
    print(f"BENCH appraisal.compute.agents500.queries {len(queries)} queries")

    client = Client()
    client.force_login(manager)
    url = reverse("appraisal:month", kwargs={"team": team.slug, "month": MONTH})
    assert client.get(url).status_code == 200  # warm up templates and translations
    timings = []
    for _ in range(PAGE_RUNS):
        with CaptureQueriesContext(connection) as page_queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200 and len(response.context["rows"]) == AGENTS
    print(f"BENCH appraisal.month_page.agents500.ms {statistics.median(timings) * 1000:.1f} ms")
    print(f"BENCH appraisal.month_page.agents500.queries {len(page_queries)} queries")
