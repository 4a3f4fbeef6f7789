"""dutydesk.redirects.safe_next: only this site's addresses are followed (no database)."""

import pytest
from django.test import RequestFactory

from dutydesk.redirects import safe_next

DEFAULT = "/logbook/team-east/today/"


@pytest.mark.parametrize(
    "target",
    [
        "/roster/mine/",
        "/logbook/team-east/entries/7/?page=2",
        "http://testserver/notifications/",
    ],
)
def test_safe_next_follows_this_sites_addresses(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, DEFAULT) == target


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:evil.example",
        "ftp://testserver/",
        "",
    ],
)
def test_safe_next_refuses_other_hosts_and_schemes(target):
    request = RequestFactory().post("/x/", {"next": target})
    assert safe_next(request, DEFAULT) == DEFAULT


def test_safe_next_over_https_refuses_a_plain_http_address():
    request = RequestFactory().post("/x/", {"next": "http://testserver/roster/mine/"}, secure=True)
    assert safe_next(request, DEFAULT) == DEFAULT
