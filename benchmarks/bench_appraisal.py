"""The month computation and the manager's month page for a team of 500 agents (issue 7, "Measured"), and the
page against a bare page of the same rows in the same run (issue 14).

The page shows the month 50 rows at a time, sorted and filtered in the database; the bare page shows the same 50
rows (the same permission check and middleware, one query, a minimal template). Timings in-process, page and
bare page in turn; on a shared machine compare the ratio more than the milliseconds.
"""

import statistics
import time
from datetime import date

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, reset_queries
from django.http import HttpResponse
from django.template import engines
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse

from appraisal import services
from appraisal.models import DailyEvaluation, SurveyResult
from dutydesk.models import Profile, Role, Team
from testdata import duty_shift, publish, shift_type, weekends

AGENTS = 500
MONTH = date(2026, 10, 1)
PAGE_RUNS = 21
SHOWN = 50  # rows on one page of the month table

BARE = engines["django"].from_string(
    "<!doctype html><title>bare</title><table><tbody>{% for name, rank, composite, band in rows %}<tr><td>{{ rank }}"
    "</td><td>{{ name }}</td><td>{{ composite }}</td><td>{{ band }}</td></tr>{% endfor %}</tbody></table>"
)


def bare(request, team, month):
    """The page's first 50 rows (by rank) with the fewest queries: the same permission check, then the scores."""
    from appraisal.models import AgentScore

    month = date.fromisoformat(f"{month}-01")
    rows = list(
        AgentScore.objects.filter(appraisal__team=request.team, appraisal__month=month, appraisal__is_current=True)
        .order_by("rank", "profile__name")
        .values_list("profile__name", "rank", "composite", "band")[:SHOWN]
    )
    return HttpResponse(BARE.render({"rows": rows}, request))


def _bare_view():
    from dutydesk.permissions import allow

    return allow("appraisal.view_team", methods=("GET",))(bare)


urlpatterns = [
    path("bench/bare/<slug:team>/<str:month>/", _bare_view()),
    path("", include("dutydesk.urls")),
]


def build() -> tuple[Team, User]:
    team = Team.objects.create(name="基准客服组", slug="bench-appraisal")
    password = make_password("bench")
    users = User.objects.bulk_create([User(username=f"bench{n:03d}", password=password) for n in range(AGENTS + 2)])
    profiles = Profile.objects.bulk_create(
        [Profile(user=user, name=f"客服{n:03d}", role=Role.AGENT, team=team) for n, user in enumerate(users[:AGENTS])]
    )
    supervisor = Profile.objects.create(user=users[AGENTS], name="主管", role=Role.SUPERVISOR, team=team)
    manager = Profile.objects.create(user=users[AGENTS + 1], name="经理", role=Role.MANAGER)
    manager.oversees.set([team])
    day, night = shift_type(team, "day"), shift_type(team, "night")
    days = weekends(MONTH, 4)
    shifts = [duty_shift(team, d, kind) for d in days for kind in (day, night)]
    # Each agent holds two shifts of the month on two different dates, day or night by parity.
    unique = [(p, shifts[(n + k) % len(days) * 2 + n % 2], "member") for n, p in enumerate(profiles) for k in (0, 1)]
    publish(team, unique, by=users[AGENTS])
    DailyEvaluation.objects.bulk_create(
        [
            DailyEvaluation(
                duty_shift=shift,
                profile=profile,
                evaluator=supervisor,
                inquiry=5 - n % 3,
                complaint=4,
                business=4 + n % 2,
                records=3 + n % 3,
                attitude=5 - n % 2,
            )
            for n, (profile, shift, _) in enumerate(unique)
        ]
    )
    SurveyResult.objects.bulk_create(
        [
            SurveyResult(
                team=team,
                profile=profile,
                date=shift.date,
                scale="five",
                score=5 - (n + k) % 4,
                satisfied=5 - (n + k) % 4 >= 4,
                key=f"bench:{n}:{k}",
                entered_by=supervisor,
            )
            for n, (profile, shift, _) in enumerate(unique)
            for k in range(3)
        ]
    )
    return team, users[AGENTS + 1]


def main() -> None:
    team, manager = build()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        services.compute_appraisal(team=team, month=MONTH)
        seconds = time.perf_counter() - start
    print(f"BENCH appraisal.compute.agents500.seconds {seconds:.2f} s")
    print(f"BENCH appraisal.compute.agents500.queries {len(queries)} queries")

    with override_settings(ROOT_URLCONF=__name__):
        _month_page(team, manager)


def _month_page(team, manager) -> None:
    client = Client()
    client.force_login(manager)
    url = reverse("appraisal:month", kwargs={"team": team.slug, "month": MONTH})
    bare_url = f"/bench/bare/{team.slug}/{MONTH:%Y-%m}/"
    response = client.get(url)  # warm up templates and translations
    # Checked against every score, sorted here: the first page holds the 50 best ranks (then names), out of 500.
    from appraisal.models import AgentScore

    everyone = sorted(
        AgentScore.objects.filter(appraisal__team=team, appraisal__is_current=True).values_list(
            "rank", "profile__name"
        ),
        key=lambda r: (r[0] is None, r[0] or 0, r[1]),
    )
    shown = [(s.rank, s.profile.name) for s in response.context["scores"]]
    assert response.status_code == 200 and shown == everyone[:SHOWN], shown[:5]
    assert response.context["page"].paginator.count == AGENTS
    assert client.get(bare_url).content.decode().count("<tr>") == SHOWN
    page_times, bare_times = [], []
    for _ in range(PAGE_RUNS):
        start = time.perf_counter()
        client.get(url)
        page_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        client.get(bare_url)
        bare_times.append(time.perf_counter() - start)
    reset_queries()  # a full query log would shift what CaptureQueriesContext counts
    counts = []
    for query in ("", "?page=3", "?sort=composite&dir=desc&band=good&page=2", "?q=客服1&sort=agent"):
        with CaptureQueriesContext(connection) as page_queries:
            assert client.get(url + query).status_code == 200
        counts.append(len(page_queries))
    page_ms, bare_ms = statistics.median(page_times) * 1000, statistics.median(bare_times) * 1000
    print(f"BENCH appraisal.month_page.agents500.ms {page_ms:.1f} ms")
    print(f"BENCH appraisal.month_page.bare.agents500.ms {bare_ms:.1f} ms")
    print(f"BENCH appraisal.month_page.agents500.ratio {page_ms / bare_ms:.2f} x")
    print(f"BENCH appraisal.month_page.agents500.queries {max(counts)} queries")
