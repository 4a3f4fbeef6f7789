"""Hostile input at the boundary: extreme addresses and query values, dimension bombs, giant CSV cells, formulas in
names. Each answers with a clear message or 400/404, never a 500 and never a stalled server (issue #11, 4-7)."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from dutydesk.permissions import ACTIONS, role_of
from dutydesk.tests.test_access import PUBLIC, _fill, app_urls, url_samples

pytestmark = pytest.mark.django_db

# Months a converter must refuse (404): the probes of the report and the edges of what a date can hold.
IMPOSSIBLE_MONTHS = ["9999-12", "0001-01", "0000-01", "2026-13", "2026-00"]
# Query parameters read by some view (grep request.GET), each with values that broke or could break one.
QUERY_PARAMETERS = ["day", "page", "old", "new", "shift", "give", "run", "sort", "dir", "period", "draft"]
EXTREME_VALUES = ["9999-12-31", "0001-01-01", "99999999999999999999", "-1", "0", "x", "2026-02-30", "1e309"]
FORMULA = '=HYPERLINK("http://x","y")'


def _get_urls(samples, **overrides):
    """(url, view) of every page answering GET, with the samples and `overrides` filled in."""
    for name, route, view in app_urls():
        if name in PUBLIC or "GET" not in getattr(view, "access_methods", ()):
            continue
        yield _fill(route, {**samples, **overrides}), route, view


@pytest.mark.parametrize("month", IMPOSSIBLE_MONTHS)
def test_every_month_url_answers_404_for_an_impossible_month(client, people, team, month):
    samples = url_samples(team, people)
    checked = []
    for who in ("supervisor", "agent"):
        client.force_login(people[who])
        for url, route, view in _get_urls(samples, month=month):
            if "month" not in route or role_of(people[who]) not in ACTIONS[view.access_action]:
                continue
            response = client.get(url)
            assert response.status_code == 404, (url, who, response.status_code)
            checked.append(url)
    assert len(checked) >= 14


@pytest.mark.parametrize("value", EXTREME_VALUES)
def test_every_page_survives_extreme_query_values(people, team, value):
    samples = url_samples(team, people)
    query = "?" + urlencode({"q": "退款", **{name: value for name in QUERY_PARAMETERS}})
    failures = []
    for who in ("supervisor", "agent", "manager"):
        client = Client(raise_request_exception=False)
        client.force_login(people[who])
        for url, _route, view in _get_urls(samples):
            if role_of(people[who]) not in ACTIONS[view.access_action]:
                continue
            status = client.get(url + query).status_code
            if status >= 500:
                failures.append((url, who, status))
    assert failures == []


def test_board_far_day_and_search_far_page_answer_404(client, people, team):
    client.force_login(people["supervisor"])
    assert client.get(f"/logbook/{team.slug}/board/?day=9999-12-31").status_code == 404
    assert client.get(f"/logbook/{team.slug}/board/?day=0001-01-01").status_code == 404
    assert client.get(f"/logbook/{team.slug}/search/?q=退款&page=99999999999999999999").status_code == 404
    assert client.get(f"/logbook/{team.slug}/search/?q=退款&page=2").status_code == 200
