"""Issue #11 item 11: every page is served with a Content-Security-Policy allowing only our own files, and no page
breaks it (no inline script or style, no injected style from htmx, no outside address). Checked in Chromium."""

import pytest

from dutydesk.permissions import ACTIONS, role_of
from dutydesk.tests.test_access import PUBLIC, _fill, app_urls, url_samples

pytestmark = pytest.mark.browser

# Recorded by the browser itself (the script is injected by Playwright, outside the page's policy).
LISTEN = """document.addEventListener("securitypolicyviolation",
  e => (window.__csp = window.__csp || []).push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile));"""


def _pages(samples, user):
    for name, route, view in app_urls():
        if name in PUBLIC or "GET" not in view.access_methods or route.endswith((".xlsx", ".ics")):
            continue
        if role_of(user) in ACTIONS[view.access_action]:
            yield _fill(route, samples)


def test_e2e_no_page_violates_the_content_security_policy(page, login, people, team):
    page.add_init_script(LISTEN)
    console = []
    page.on(
        "console", lambda message: console.append(message.text) if "Content Security Policy" in message.text else None
    )
    samples = url_samples(team, people)
    visited = []
    for who in ("supervisor", "agent"):
        page.context.clear_cookies()
        login(people[who])
        for url in _pages(samples, people[who]):
            response = page.goto(url)
            assert "default-src 'self'" in response.headers.get("content-security-policy", ""), url
            page.wait_for_load_state("load")
            violations = page.evaluate("window.__csp || []")
            assert violations == [], (who, url, violations)
            visited.append(url)
    assert console == []
    assert len(visited) > 30
