"""The public API over real HTTP (pytest-django's live server), with personal and service tokens (issue 25).

The access walk (every endpoint × role × other team) is dutydesk/tests/test_access.py; here: the OpenAPI document
and that every endpoint answers as it documents, the conventions (cursor pages, month filter, ETag, problem JSON in
the caller's language, the rate limit), filing a leave as the token's person, masking, and what a token keeps.
"""

import re

import pytest
import requests
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from api import services
from api.models import ApiToken
from api.tests.access import api_samples
from dutydesk.tests.test_access import ALL_SCOPES, api_endpoints
from leave.models import LeaveRequest, LeaveState

pytestmark = pytest.mark.django_db(transaction=True)


def _get(base, path, secret=None, **headers):
    if secret:
        headers["Authorization"] = f"Bearer {secret}"
    return requests.get(base + path, headers=headers, timeout=30)


def _conforms(spec: dict, schema: dict, value) -> None:
    """Validate `value` against a schema of the document, its $refs resolved in the document itself."""
    OAS31Validator({**schema, "components": spec["components"]}).validate(value)


def test_openapi_document_validates_and_every_endpoint_answers_as_documented(live_server, people, team):
    samples = api_samples(team, people)
    spec = _get(live_server.url, "/api/v1/openapi.json").json()
    validate(spec)  # openapi-spec-validator: a valid OpenAPI 3.1 document
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    walked = {(method, route) for method, route, _ in api_endpoints()}
    assert {(m, p.rstrip("/")) for m, p in documented} == {(m, p.rstrip("/")) for m, p in walked}
    secret = services.create_service_token(actor=people["manager"].profile, name="all", scopes=ALL_SCOPES).secret
    for path, item in spec["paths"].items():
        if "get" not in item:
            continue
        url = re.sub(r"{([^}]+)}", lambda m: str(samples[m.group(1)]), path)
        answer = _get(live_server.url, url, secret)
        assert answer.status_code == 200, (url, answer.text[:300])
        documented_200 = item["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        _conforms(spec, documented_200, answer.json())
        refused = _get(live_server.url, url, "ddk_" + "x" * 40)
        _conforms(spec, item["get"]["responses"]["401"]["content"]["application/json"]["schema"], refused.json())
    # The docs page is ours to serve: Swagger UI's files from static/, no other host.
    docs = _get(live_server.url, "/api/v1/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.text
    assert not re.search(r"(src|href)=\"https?://", docs.text)


def test_conventions_pages_months_etags_problems_rate_limit(live_server, people, team, settings):
    samples = api_samples(team, people)
    base = live_server.url
    supervisor = services.create_personal_token(actor=people["supervisor"].profile, name="s").secret
    slug = samples["team"]

    # Cursor pages: one person a page, followed to the end, every person once.
    seen, path = [], f"/api/v1/teams/{slug}/people?page_size=2"
    while path:
        page = _get(base, path, supervisor).json()
        seen += [person["id"] for person in page["results"]]
        path = page["next"] and page["next"].removeprefix(base).removeprefix("http://testserver")
        assert len(seen) < 50
    everyone = [p["id"] for p in _get(base, f"/api/v1/teams/{slug}/people?page_size=200", supervisor).json()["results"]]
    assert sorted(seen) == sorted(everyone) and len(seen) == len(set(seen)) >= 7

    # Filtered by month: December's leave, none in November.
    assert len(_get(base, f"/api/v1/teams/{slug}/leave?month=2026-12", supervisor).json()["results"]) == 1
    assert _get(base, f"/api/v1/teams/{slug}/leave?month=2026-11", supervisor).json()["results"] == []

    # ETag: the same answer twice has the same tag; If-None-Match answers 304 without a body.
    first = _get(base, f"/api/v1/teams/{slug}/rosters/2026-12", supervisor)
    assert first.json()["version"] == 1 and len(first.json()["assignments"]) == 12
    tag = first.headers["ETag"]
    again = _get(base, f"/api/v1/teams/{slug}/rosters/2026-12", supervisor, **{"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["ETag"] == tag
    changed = _get(base, f"/api/v1/teams/{slug}/rosters/2026-11", supervisor, **{"If-None-Match": tag})
    assert changed.status_code == 200

    # Problems in the caller's language: Accept-Language first, else the token's person's language.
    bad = _get(base, f"/api/v1/teams/{slug}/leave?month=2026-13", supervisor, **{"Accept-Language": "en"})
    assert bad.status_code == 422 and bad.headers["Content-Type"] == "application/problem+json"
    assert bad.json()["detail"] == "Give the month as YYYY-MM, e.g. 2027-01."
    chinese = _get(base, f"/api/v1/teams/{slug}/leave?month=2026-13", supervisor, **{"Accept-Language": "zh-hans"})
    assert chinese.json()["detail"] == "月份请写成 YYYY-MM，例如 2027-01。"
    agent = people["agent"].profile
    agent.language = "en"
    agent.save(update_fields=["language"])
    own = services.create_personal_token(actor=agent, name="a").secret
    refused = _get(base, f"/api/v1/teams/{slug}/statements/2026-12", own)
    assert refused.status_code == 403 and refused.json()["detail"] == "This token may not do this."

    # The rate limit is per token: the fourth request in the window is refused with Retry-After; another token
    # still passes.
    settings.API_RATE_LIMIT = 3
    limited = services.create_personal_token(actor=people["lead"].profile, name="l").secret
    answers = [_get(base, "/api/v1/teams/", limited).status_code for _ in range(4)]
    if answers[-1] != 429:  # the window turned over between two requests: a new one has room for three
        answers = [_get(base, "/api/v1/teams/", limited).status_code for _ in range(4)]
    assert answers[-1] == 429
    throttled = _get(base, "/api/v1/teams/", limited)
    assert throttled.status_code == 429 and 1 <= int(throttled.headers["Retry-After"]) <= 60
    assert throttled.headers["Content-Type"] == "application/problem+json"
    assert _get(base, "/api/v1/teams/", own).status_code == 200


def test_file_leave_as_the_token_person_masking_and_what_a_token_keeps(live_server, people, team):
    samples = api_samples(team, people)
    base = live_server.url
    setup = samples["setup"]
    agent = people["agent"].profile
    created = services.create_personal_token(actor=agent, name="my script")
    secret = created.secret

    # Filed as the token's person, through leave's services (its rules apply: waits for the team lead).
    answer = requests.post(
        base + "/api/v1/leave/",
        json={"shifts": [setup.shift(2).pk], "kind": "personal", "reason": "家里有事"},
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    filed = LeaveRequest.objects.get(pk=answer.json()["id"])
    assert filed.profile == agent and filed.state == LeaveState.AWAITING_LEAD
    assert [s["duty_shift"] for s in answer.json()["shifts"]] == [setup.shift(2).pk]
    # Another person's shift is refused by the same rules as the form, in problem JSON, and nothing is filed.
    other = requests.post(
        base + "/api/v1/leave/",
        json={"shifts": [setup.shift(3).pk], "kind": "personal", "reason": "x"},
        headers={"Authorization": f"Bearer {secret}", "Accept-Language": "en"},
        timeout=30,
    )
    assert other.status_code == 422 and other.json()["detail"]
    assert LeaveRequest.objects.filter(profile=agent).count() == 2  # the sample's and this one

    # Personal fields masked for a colleague's token, whole for the team's supervisor; numbers in texts masked.
    colleague = setup.people["B"]
    colleague.phone = "13812345678"
    colleague.save(update_fields=["phone"])
    for who, shown in (
        (secret, "138****5678"),
        (services.create_personal_token(actor=people["supervisor"].profile, name="s").secret, "13812345678"),
    ):
        rows = _get(base, f"/api/v1/teams/{team.slug}/people?page_size=200", who).json()["results"]
        assert next(r for r in rows if r["id"] == colleague.pk)["phone"] == shown
    leave = _get(base, f"/api/v1/teams/{team.slug}/leave?month=2026-12", secret).json()["results"]
    assert all("13812345678" not in row["reason"] for row in leave)

    # Stored hashed, never the token; its use recorded; revoked, it answers 401.
    row = ApiToken.objects.get(pk=created.token.pk)
    assert secret not in (row.digest, row.prefix) and row.prefix == secret[:12] and row.last_used_at is not None
    assert services.revoke_token(row, actor=agent) is True
    assert services.revoke_token(row, actor=agent) is False  # a second click changes nothing
    assert _get(base, "/api/v1/teams/", secret).status_code == 401


def test_roster_month_reads_a_fixed_number_of_queries(client, people, team, django_assert_max_num_queries):
    """The token, the team, the roster, its versions, its assignments: the same five whatever the team's size
    (benchmarks/bench_api.py shows 20 and 200 agents alike)."""
    samples = api_samples(team, people)
    secret = services.create_personal_token(actor=people["supervisor"].profile, name="s").secret
    client.get("/api/v1/teams/", HTTP_AUTHORIZATION=f"Bearer {secret}")  # its last use written: once a minute
    with django_assert_max_num_queries(5):
        answer = client.get(f"/api/v1/teams/{team.slug}/rosters/2026-12", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200 and len(answer.json()["assignments"]) == 12
    assert samples["month"] == "2026-12"
