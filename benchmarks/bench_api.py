"""The public API's roster month (issue 25): GET /api/v1/teams/<team>/rosters/<month> of a published month, for a
team of 20 and of 200 agents (each on 8 shifts of the month), as a supervisor's personal token sees it.

Figures: the median server time of 200 agents' month and the SQL statements of one answer, for 20 and for 200
agents (they must be the same: the queries do not grow with the team). The count of assignments in the answer is
checked against a count in SQL of its own.
"""

import os
import statistics
import time
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

MONTH = date(2027, 3, 1)  # a 31-day month, always there
RUNS = 30
SHIFTS_EACH = 8


def _team(agents: int, tag: str):
    from dutydesk.models import Profile, Role, Team
    from roster.models import DutyShift, ShiftType
    from testdata import publish

    team = Team.objects.create(name=f"接口压测{tag}", slug=f"api-bench-{tag}")
    users = User.objects.bulk_create([User(username=f"api-{tag}-{n}", password="!") for n in range(agents + 1)])
    profiles = Profile.objects.bulk_create(
        [Profile(user=u, name=f"客服{tag}-{n}", role=Role.AGENT, team=team) for n, u in enumerate(users[1:])]
    )
    supervisor = Profile.objects.create(user=users[0], name=f"主管{tag}", role=Role.SUPERVISOR, team=team)
    kinds = [
        ShiftType.objects.create(
            team=team,
            key="day",
            name="白班",
            start=datetime.min.time().replace(hour=9),
            end=datetime.min.time().replace(hour=18),
            headcount=agents,
        ),
        ShiftType.objects.create(
            team=team,
            key="night",
            name="夜班",
            start=datetime.min.time().replace(hour=18),
            end=datetime.min.time(),
            is_night=True,
            headcount=agents,
        ),
    ]
    shifts = []
    for offset in range(31):
        day = MONTH + timedelta(days=offset)
        for kind in kinds:
            starts, ends = DutyShift.bounds(day, kind)
            shifts.append(
                DutyShift(
                    team=team,
                    date=day,
                    shift_type=kind,
                    starts_at=starts,
                    ends_at=ends,
                    is_night=kind.is_night,
                    headcount=agents,
                )
            )
    shifts = DutyShift.objects.bulk_create(shifts)
    publish(
        team, [(p, shifts[(n * 7 + k * 7) % len(shifts)]) for n, p in enumerate(profiles) for k in range(SHIFTS_EACH)]
    )
    return team, supervisor


def _count_assignments(team) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM roster_assignment a JOIN roster_roster r ON r.published_version_id = a.version_id "
            "JOIN dutydesk_team t ON t.id = r.team_id WHERE t.slug = %s AND r.month = %s",
            [team.slug, MONTH],
        )
        return cursor.fetchone()[0]


def _measure(agents: int, tag: str):
    from api import services

    team, supervisor = _team(agents, tag)
    secret = services.create_personal_token(actor=supervisor, name="bench").secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/teams/{team.slug}/rosters/{MONTH:%Y-%m}"
    answer = client.get(url)  # warm up
    assert answer.status_code == 200, answer.content[:300]
    assert len(answer.json()["assignments"]) == _count_assignments(team)
    statements = []
    # Counted where SQL leaves for the server (Django's own query log is cleared at each request's start).
    with connection.execute_wrapper(
        lambda execute, sql, params, many, context: (statements.append(sql), execute(sql, params, many, context))[1]
    ):
        client.get(url)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, len(statements)


def main() -> None:
    from django.conf import settings

    settings.API_RATE_LIMIT = 10_000  # the benchmark is one client asking fast on purpose
    _ms20, queries20 = _measure(20, "20")
    ms200, queries200 = _measure(200, "200")
    print(f"BENCH api.roster_month.agents200.ms {ms200:.1f} ms")
    print(f"BENCH api.roster_month.agents200.queries {queries200} queries")
    print(f"BENCH api.roster_month.agents20.queries {queries20} queries")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        from api import services
        from dutydesk.models import Team

        team = Team.objects.get(slug="api-bench-200")
        secret = services.create_personal_token(actor=team.members.get(role="supervisor"), name="p").secret
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
        profiler = cProfile.Profile()
        profiler.enable()
        client.get(f"/api/v1/teams/{team.slug}/rosters/{MONTH:%Y-%m}")
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
