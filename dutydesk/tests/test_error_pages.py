"""Issue #27 point 9: under DEBUG=True (`make run`) an error is the site's own page in the reader's language, and
nobody but a developer who asked for it (DEBUG_PAGES, staff account) sees Django's technical page."""

import pytest
from django.test import Client


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True
    settings.DEBUG_PAGES = False
    return settings


def _client(user, language="zh-hans") -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    if user is not None:
        client.force_login(user)
    return client


def test_unknown_address_under_debug_is_the_site_404_without_url_patterns(debug_on, agent):
    response = _client(agent).get("/no-such-page/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in text or "找不到" in text
    assert "URLconf" not in text and "healthz" not in text and "<slug:team>" not in text


def test_unknown_address_under_debug_in_english(debug_on, agent):
    response = _client(agent, "en").get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "URLconf" not in response.content.decode()


def test_a_view_raising_404_under_debug_is_the_site_page(debug_on, supervisor, other_team):
    # allow() answers 404 for a team the user may not see.
    response = _client(supervisor, "en").get(f"/logbook/{other_team.slug}/board/")
    assert response.status_code == 404
    assert 'data-testid="not-found"' in response.content.decode()
    assert "Traceback" not in response.content.decode() and "URLconf" not in response.content.decode()


def test_forbidden_under_debug_is_the_site_403_in_both_languages(debug_on, agent, team):
    zh = _client(agent).get(f"/compensation/{team.slug}/policy/")
    en = _client(agent, "en").get(f"/compensation/{team.slug}/policy/")
    assert (zh.status_code, en.status_code) == (403, 403)
    assert 'data-testid="forbidden"' in zh.content.decode()
    assert "You are not allowed to open this page" in en.content.decode()
    assert "You are not allowed to open this page" not in zh.content.decode()


@pytest.mark.urls("dutydesk.tests.error_urls")
def test_a_crash_under_debug_is_the_site_500_without_traceback(debug_on, agent):
    response = _client(agent).get("/broken/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "服务器出错了" in text and "Server error" in text
    assert "a bug in a view" not in text and "Traceback" not in text


def test_technical_page_only_for_staff_who_asked_for_it(debug_on, agent):
    debug_on.DEBUG_PAGES = True
    assert "URLconf" not in _client(agent).get("/no-such-page/").content.decode()
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    assert "URLconf" in _client(agent).get("/no-such-page/").content.decode()


def test_without_debug_the_flag_does_nothing(settings, agent):
    settings.DEBUG, settings.DEBUG_PAGES = False, True
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    response = _client(agent).get("/no-such-page/")
    assert response.status_code == 404 and "URLconf" not in response.content.decode()
