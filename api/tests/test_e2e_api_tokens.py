"""In Chromium: an agent creates a personal API token (shown once, on that page only), uses it over HTTP, and
revokes it after confirming; the revoked token is refused. The docs page loads its Swagger UI from our files."""

import pytest
import requests
from playwright.sync_api import expect

from api.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_creates_uses_and_revokes_a_token(page, login, agent, team, live_server):
    login(agent)
    page.goto("/api/tokens/")
    expect(page.locator("h1")).to_have_text("接口令牌")
    page.get_by_label("名称").fill("我的排班脚本")
    page.get_by_test_id("create-personal").click()
    expect(page.get_by_test_id("token-created")).to_contain_text("只显示这一次")
    secret = page.get_by_test_id("token-secret").input_value()
    assert secret.startswith("ddk_")
    stored = ApiToken.objects.get(profile=agent.profile)
    assert stored.digest != secret and secret not in stored.prefix + stored.digest

    answer = requests.get(live_server.url + "/api/v1/teams/", headers={"Authorization": f"Bearer {secret}"}, timeout=30)
    assert answer.status_code == 200 and [t["slug"] for t in answer.json()] == [team.slug]

    # Shown once: the list shows only its first characters, now with its last use.
    page.goto("/api/tokens/")
    expect(page.get_by_test_id("token-secret")).to_have_count(0)
    row = page.get_by_test_id("token-row")
    expect(row).to_contain_text(stored.prefix)
    expect(row).not_to_contain_text(secret)
    expect(row).not_to_contain_text("从未")

    row.get_by_test_id("revoke").click()
    row.get_by_test_id("confirm-revoke").click()
    expect(page.locator(".alert-success")).to_contain_text("已吊销")
    expect(page.get_by_test_id("token-status")).to_contain_text("已于")
    answer = requests.get(live_server.url + "/api/v1/teams/", headers={"Authorization": f"Bearer {secret}"}, timeout=30)
    assert answer.status_code == 401

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("dutydesk API")
