"""The project's access matrix, for the roster's URLs only (so a colleague's unfinished app cannot hide ours)."""

import pytest

from dutydesk.tests.test_access import PUBLIC, ROLES, _fill, allowed, app_urls, url_samples

pytestmark = pytest.mark.django_db


def _roster_urls():
    return [(name, route, view) for name, route, view in app_urls() if name.startswith("roster:")]


def test_roster_urls_every_role(client, people, team):
    samples = url_samples(team, people)
    seen = []
    for name, route, view in _roster_urls():
        if name in PUBLIC:
            continue
        url = _fill(route, samples)
        client.logout()
        response = client.get(url)
        assert (response.status_code, "/accounts/login/" in response.get("Location", "")) == (302, True), url
        for who in ROLES:
            client.force_login(people[who])
            expected = 403
            if allowed(view.access_action, who):
                expected = 200 if "GET" in view.access_methods else 405
            assert (url, who, client.get(url).status_code) == (url, who, expected)
        seen.append(name)
    assert len(seen) >= 20


def test_roster_team_urls_answer_404_to_another_teams_supervisor(client, people, team):
    samples = url_samples(team, people)
    client.force_login(people["outsider"])
    for _name, route, _view in _roster_urls():
        if "<slug:team>" not in route:
            continue
        url = _fill(route, samples)
        # Not even a POST-only address admits that the team exists.
        assert (route, client.get(url).status_code, client.post(url).status_code) == (route, 404, 404)


def test_feed_is_the_only_public_roster_url():
    assert [name for name, _route, view in _roster_urls() if not hasattr(view, "access_action")] == ["roster:feed"]
