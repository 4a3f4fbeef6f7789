"""Server time and SQL queries of the roster grid (the supervisor's editable draft) for 200 agents × one month."""

import statistics
import time
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

AGENTS = 200
RUNS = 15
MONTH = date(2027, 3, 1)


def _setup():
    from dutydesk.models import Role
    from dutydesk.tests.factories import make_person, make_team
    from roster.tests.factories import fill_draft, laid_out_month, make_agents

    team = make_team("基准客服组", "bench-grid")
    supervisor = make_person(Role.SUPERVISOR, team, username="bench-grid-supervisor", oversees=[team])
    make_agents(team, AGENTS)
    # 3 shifts a day (R-ROSTER-1 allows any), enough heads that most agents work each weekend.
    roster = laid_out_month(team, day_headcount=60, night_headcount=40)
    from roster.models import ShiftType

    ShiftType.objects.create(team=team, key="late", name="晚班", start="13:00", end="22:00", headcount=50, order=3)
    from roster import services

    roster = services.prepare_month(team, MONTH)
    fill_draft(roster)
    return team, supervisor


def main() -> None:
    team, supervisor = _setup()
    client = Client()
    client.force_login(supervisor)
    url = f"/roster/{team.slug}/{MONTH:%Y-%m}/draft/"
    assert client.get(url).status_code == 200  # warm up templates and translations
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"BENCH roster.grid.agents{AGENTS}.ms {statistics.median(timings) * 1000:.1f} ms")
    print(f"BENCH roster.grid.agents{AGENTS}.queries {len(queries)} queries")
