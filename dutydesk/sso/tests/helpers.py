"""Signing in through a local provider with Django's test client: start at our login address, open the provider's
authorise page over HTTP, "scan" as one of its people, and follow the callback back to us."""

import html
import re
import urllib.request
from urllib.parse import urlsplit

SCAN_LINK = re.compile(r'<a href="([^"]+)" data-testid="scan-([^"]+)"')


def authorise_links(url: str) -> dict[str, str]:
    """{userid: the callback address a scan by that person leads to} from the provider's authorise page."""
    with urllib.request.urlopen(url, timeout=10) as response:
        page = response.read().decode()
    return {userid: html.unescape(link) for link, userid in SCAN_LINK.findall(page)}


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start(client, login_path: str, next_url: str = "") -> str:
    """POST to the provider's login address as the login page's button does; returns the authorise page URL."""
    data = {"process": "login"}
    if next_url:
        data["next"] = next_url
    response = client.post(login_path, data)
    assert response.status_code == 302, (response.status_code, response.content[:500])
    return response["Location"]


def scan(client, login_path: str, userid: str, next_url: str = ""):
    """The whole sign-in; returns our answer to the callback."""
    links = authorise_links(start(client, login_path, next_url))
    return client.get(local(links[userid]))
