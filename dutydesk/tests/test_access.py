"""Every URL × every role × anonymous: the access matrix, derived from the one permissions table."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dutydesk.permissions import ACTIONS, role_of

# Views open to everyone by design; every other view must carry an action from dutydesk.permissions.
PUBLIC = {"login", "logout", "healthz", "set_language", "roster:feed", "people:activate"}


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django admin: superusers only, guarded by admin itself
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), entry.callback


def app_urls():
    return sorted(_walk(get_resolver().url_patterns), key=lambda item: item[1])


SAMPLE_MODULES = [
    "roster.tests.access", "roster.requests.tests.access", "logbook.tests.access", "appraisal.tests.access",
    "dutydesk.notifications.tests.access", "people.tests.access",
]


def url_samples(team, people) -> dict:
    """Sample values for URL arguments. An app whose URLs take more arguments (an object id) provides
    `<app>/tests/access.py: url_samples(team, people) -> dict`, creating the objects it needs in `team`."""
    import importlib

    samples = {"team": team.slug, "month": "2026-12"}
    for name in SAMPLE_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        samples.update(module.url_samples(team, people))
    return samples


def _fill(route: str, samples: dict) -> str:
    import re

    def value(match):
        name = match.group(1).split(":")[-1]
        if name not in samples:
            raise AssertionError(f"no sample value for URL argument {name!r} in {route}")
        return str(samples[name])

    return "/" + re.sub(r"<([^>]+)>", value, route)


def test_every_view_names_an_action():
    unguarded = [name for name, _, view in app_urls() if name not in PUBLIC and not hasattr(view, "access_action")]
    assert unguarded == []


@pytest.mark.django_db
def test_access_matrix_every_url_every_role(client, people, team):
    samples = url_samples(team, people)
    checked = 0
    for name, route, view in app_urls():
        if name in PUBLIC:
            continue
        url = _fill(route, samples)
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (url, "anonymous")
        for who in ("agent", "lead", "supervisor", "manager"):
            user = people[who]
            client.force_login(user)
            response = client.get(url)
            if role_of(user) not in ACTIONS[view.access_action]:
                expected = 403
            else:
                # Allowed: a page answers 200; an action that takes only POST answers GET with 405.
                expected = 200 if "GET" in view.access_methods else 405
            assert response.status_code == expected, (url, who, response.status_code)
            checked += 1
    assert checked >= 4


@pytest.mark.django_db
def test_other_teams_pages_answer_404_not_403(client, people, team):
    samples = url_samples(team, people)
    team_urls = [(route, view) for name, route, view in app_urls() if "<team>" in route or "<slug:team>" in route]
    outsider = people["outsider"]
    client.force_login(outsider)
    for route, view in team_urls:
        response = client.get(_fill(route, samples))
        # The outsider is a supervisor of another team: no page of this team may even admit it exists. An action
        # their role lacks is refused by role first (403), which says nothing about this team.
        expected = 404 if role_of(outsider) in ACTIONS[view.access_action] else 403
        assert response.status_code == expected, route


@pytest.mark.django_db
def test_user_without_profile_gets_403(client, django_user_model):
    user = django_user_model.objects.create_user("bare", password="x")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "不允许" in response.content.decode()
