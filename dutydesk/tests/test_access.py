"""Every URL × every role × anonymous, against an access matrix written out here.

The expectation is pinned below, not read from dutydesk.permissions.ACTIONS (the table the `allow` decorator reads):
a wrong grant in an app's permissions.py then fails here instead of being copied into the expectation. A new action
needs its row here.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dutydesk.permissions import ACTIONS

# Views open to everyone by design; every other view must carry an action from dutydesk.permissions.
# The sign-in challenge's pictures (django-simple-captcha) are shown on the login page, before anyone signs in.
CAPTCHA = {"captcha-image", "captcha-image-2x", "captcha-audio", "captcha-refresh"}
PUBLIC = {"login", "logout", "healthz", "set_language", "roster:feed", "people:activate", *CAPTCHA}
# Signing in through a provider (dutydesk/sso): allauth's flow and a personal message's link, open before sign-in.
PUBLIC |= {
    f"{provider}_{step}"
    for provider in ("wecom", "dingtalk", "feishu", "openid_connect")
    for step in ("login", "callback")
} | {"socialaccount_login_cancelled", "socialaccount_login_error", "account_inactive", "sso:open"}

ROLES = ("agent", "lead", "supervisor", "manager")
API_NAMESPACE = "api-v1"
# DOMAIN.md, People and roles: who may do each action (1) and who is refused (0).
MATRIX = {
    #                               agent lead  supervisor manager
    "home.view": (1, 1, 1, 1),
    "account.password": (1, 1, 1, 1),
    "roster.view": (1, 1, 1, 1),
    "roster.edit": (0, 0, 1, 0),
    "roster.fairness": (0, 0, 1, 1),
    "roster.mine": (1, 1, 0, 0),
    "leave.mine": (1, 1, 0, 0),
    "leave.view": (1, 1, 1, 1),
    "leave.review": (0, 1, 1, 0),
    "leave.emergency": (0, 1, 1, 0),
    "leave.record": (0, 1, 1, 0),
    # Issue 24: everyone reads a team's marketplace; supervisors post open shifts and set its rules; the duty staff
    # give away, trade and claim; leads and supervisors approve (a trade: leads only, the predicate narrows it).
    "market.view": (1, 1, 1, 1),
    "market.post": (0, 0, 1, 0),
    "market.offer": (1, 1, 0, 0),
    "market.decide": (0, 1, 1, 0),
    "market.settings": (0, 0, 1, 0),
    "logbook.duty": (1, 1, 0, 0),
    "logbook.acknowledge": (1, 1, 0, 0),
    "logbook.view": (1, 1, 1, 1),
    "logbook.read": (0, 1, 1, 1),
    "logbook.review": (0, 1, 1, 0),
    "logbook.settings": (0, 0, 1, 0),
    # R-PIPL-2: who may ask to see customer data whole (with a reason; the entry's own rule narrows it further).
    "logbook.reveal": (1, 1, 1, 0),
    # R-PIPL-3: the company's retention period is the manager's.
    "logbook.retention": (0, 0, 0, 1),
    # Issue 22 item 3: everyone sees what concerns them, supervisors a team's history, a manager searches all.
    "audit.mine": (1, 1, 1, 1),
    "audit.team": (0, 0, 1, 1),
    "audit.search": (0, 0, 0, 1),
    "appraisal.view_team": (0, 1, 1, 1),
    # An agent opens their own month at its team address; another person's answers 404 (the view decides).
    "appraisal.person": (1, 1, 1, 1),
    "appraisal.evaluate": (0, 1, 1, 0),
    # R-APP-6: the manager, who sees every team's results, may import and enter survey results too (#13 point 10).
    "appraisal.surveys": (0, 1, 1, 1),
    "appraisal.compute": (0, 0, 1, 1),
    "appraisal.finalise": (0, 0, 0, 1),
    "appraisal.own": (1, 1, 0, 0),
    "appraisal.answer": (0, 0, 1, 0),
    "appraisal.settings": (0, 0, 1, 0),
    # R-APP-6: the manager reads the weights and thresholds behind the bands they finalise (#13 point 10).
    "appraisal.settings_view": (0, 0, 1, 1),
    "notifications.view": (1, 1, 1, 1),
    "notifications.preferences": (1, 1, 1, 1),
    "notifications.failed": (0, 0, 1, 0),
    "notifications.team_settings": (0, 0, 1, 0),
    "people.manage": (0, 0, 1, 1),
    # R-LAW-4: a person's protection periods: their supervisors and managers (HR) only.
    "people.protect": (0, 0, 1, 1),
    "people.skills": (0, 0, 1, 1),
    "people.new_hires": (0, 1, 1, 1),
    "people.qualify": (0, 1, 1, 0),
    "people.count_in_draft": (0, 0, 1, 0),
    "people.training": (0, 1, 1, 1),
    "people.training_plan": (0, 0, 1, 1),
    "people.training_overview": (0, 0, 0, 1),
    "people.reward": (0, 0, 0, 1),
    "people.own": (1, 1, 0, 0),
    "people.support": (1, 1, 1, 1),
    "people.support_edit": (0, 0, 1, 0),
    "compensation.own": (1, 1, 0, 0),
    "compensation.view_team": (0, 1, 1, 1),
    "compensation.resolve": (0, 1, 1, 0),
    "compensation.compute": (0, 0, 1, 0),
    "compensation.finalise": (0, 0, 1, 0),
    "compensation.policy": (0, 0, 1, 0),
    "compensation.export": (0, 0, 1, 1),
    "compensation.company": (0, 0, 0, 1),
    "compensation.reward": (0, 0, 0, 1),
    "forecast.view": (0, 0, 1, 1),
    "forecast.edit": (0, 0, 1, 0),
    # Issue 23: a supervisor links and unlinks the sign-in identities of their teams; a manager runs the company's
    # sign-in providers and password rule.
    "sso.identities": (0, 0, 1, 0),
    "sso.providers": (0, 0, 0, 1),
    # R-CAL-1: supervisors read the company holiday calendar their rosters follow; managers keep it.
    "workcalendar.view": (0, 0, 1, 1),
    "workcalendar.edit": (0, 0, 0, 1),
    # Issue 25: everyone keeps personal API tokens (acting as themselves); the company's service tokens are a
    # manager's.
    "api.tokens": (1, 1, 1, 1),
    "api.service_tokens": (0, 0, 0, 1),
    "api.webhooks": (0, 0, 0, 1),
}


def allowed(action: str, who: str) -> bool:
    """Whether the person called `who` (a role name; "outsider" is a supervisor) may do `action`, per MATRIX."""
    return bool(MATRIX[action][ROLES.index("supervisor" if who == "outsider" else who)])


def _walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue  # Django admin: superusers only, guarded by admin itself
            if entry.namespace == API_NAMESPACE:
                continue  # the public API: bearer tokens, not sessions; walked by test_api_every_endpoint_...
            ns = entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern), entry.callback


def app_urls():
    return sorted(_walk(get_resolver().url_patterns), key=lambda item: item[1])


SAMPLE_MODULES = [
    "roster.tests.access",
    "leave.tests.access",
    "market.tests.access",
    "logbook.tests.access",
    "appraisal.tests.access",
    "dutydesk.notifications.tests.access",
    "people.tests.access",
    "compensation.tests.access",
    "dutydesk.sso.tests.access",
    "workcalendar.tests.access",
    "api.tests.access",
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


def test_every_action_is_pinned_in_the_matrix():
    assert sorted(ACTIONS) == sorted(MATRIX)


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
        for who in ROLES:
            client.force_login(people[who])
            response = client.get(url)
            if not allowed(view.access_action, who):
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
        expected = 404 if allowed(view.access_action, "outsider") else 403
        assert response.status_code == expected, route


@pytest.mark.django_db
def test_user_without_profile_gets_403(client, django_user_model):
    user = django_user_model.objects.create_user("bare", password="x")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 403
    assert "不允许" in response.content.decode()


# --- the public API (issue 25): every endpoint × every role's personal token × service tokens × another team ----

# Pinned here, not read from api.rules.SCOPE_OF_ACTION: which scope a service token needs for each action.
API_SCOPES = {
    "home.view": None,
    "roster.view": "roster:read",
    "workcalendar.view": "roster:read",
    "leave.view": "attendance:read",
    "leave.mine": "leave:write",
    "logbook.read": "attendance:read",
    "compensation.view_team": "statements:read",
}
ALL_SCOPES = ("roster:read", "attendance:read", "statements:read", "leave:write")


def api_endpoints():
    """(method, path template, action) of every operation of /api/v1/, from django-ninja's routers."""
    from api.v1 import api

    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append((method, "/api/v1" + (prefix + path).replace("//", "/"), operation.view_func))
    return sorted(found, key=lambda item: (item[1], item[0]))


def _api_call(base, method, route, secret, samples):
    import re

    import requests

    url = base + re.sub(r"{([^}]+)}", lambda m: str(samples[m.group(1)]), route)
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    if method == "POST":
        # A well-formed leave with no shift: the services refuse it (422) when the check lets it through.
        return requests.post(
            url,
            json={"shifts": [], "kind": "sick", "reason": "x", "person": samples["person"]},
            headers=headers,
            timeout=30,
        )
    return requests.get(url, headers=headers, timeout=30)


@pytest.mark.django_db(transaction=True)
def test_api_every_endpoint_every_token(live_server, people, team, other_team):
    """Over real HTTP: anonymous 401; each role's personal token as the MATRIX says (403 refused by role, 404 for
    the other team's supervisor where the role may); service tokens by scope (403 without, 404 limited to another
    team). Answers are problem JSON whenever they are not 2xx."""
    from api import services
    from api.tests.access import api_samples

    samples = api_samples(team, people)
    endpoints = api_endpoints()
    assert len(endpoints) >= 12
    personal = {
        who: services.create_personal_token(actor=people[who].profile, name=who).secret for who in (*ROLES, "outsider")
    }
    manager = people["manager"].profile
    everything = services.create_service_token(actor=manager, name="all", scopes=ALL_SCOPES).secret
    elsewhere = services.create_service_token(actor=manager, name="south", scopes=ALL_SCOPES, team=other_team).secret
    without = {
        scope: services.create_service_token(
            actor=manager, name=scope, scopes=[s for s in ALL_SCOPES if s != scope]
        ).secret
        for scope in ALL_SCOPES
    }
    checked = 0
    for method, route, view in endpoints:
        action = view.access_action
        team_route = "{team}" in route
        success = 201 if method == "POST" else 200
        answer = _api_call(live_server.url, method, route, None, samples)
        assert answer.status_code == 401 and answer.headers["Content-Type"] == "application/problem+json", route
        for who, secret in personal.items():
            samples_for = {**samples, "person": people[who].profile.pk}
            answer = _api_call(live_server.url, method, route, secret, samples_for)
            if not allowed(action, who):
                expected = 403
            elif who == "outsider" and team_route:
                expected = 404
            else:
                expected = 422 if method == "POST" else success
            assert answer.status_code == expected, (method, route, who, answer.status_code, answer.text[:200])
            if expected >= 400:
                assert answer.headers["Content-Type"] == "application/problem+json", (route, who)
                assert answer.json()["status"] == expected
            checked += 1
        needs = API_SCOPES[action]
        if needs is not None:
            answer = _api_call(live_server.url, method, route, without[needs], samples)
            assert answer.status_code == 403, (method, route, f"service token without {needs}", answer.status_code)
            checked += 1
        answer = _api_call(live_server.url, method, route, everything, samples)
        assert answer.status_code == (422 if method == "POST" else success), (method, route, "service", answer.text)
        answer = _api_call(live_server.url, method, route, elsewhere, samples)
        if team_route or method == "POST":
            # Limited to another team: this team's addresses, and this team's person, do not exist for it.
            assert answer.status_code == 404, (method, route, "service of another team", answer.status_code)
        checked += 2
    assert checked >= len(endpoints) * 7
