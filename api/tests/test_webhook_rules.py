"""The outgoing webhooks' pure rules (issue 25 item 4): signature, addresses, backoff, bodies and headers."""

import json
import time
from datetime import timedelta

from api import rules
from api.tests.receiver import verify


def test_a_signed_delivery_passes_the_readme_check_and_a_changed_one_does_not():
    body = rules.payload_body({"id": "e1", "event": "roster.published", "data": {"month": "2027-01"}})
    now = int(time.time())
    headers = rules.delivery_headers(
        event="roster.published", delivery="d1", secret="whsec_x", timestamp=now, body=body
    )
    assert verify("whsec_x", headers, body)
    assert not verify("whsec_y", headers, body)
    assert not verify("whsec_x", headers, body + b" ")
    assert not verify("whsec_x", {**headers, "X-Dutydesk-Timestamp": str(now + 1)}, body)
    assert rules.signature_valid("whsec_x", now, body, headers["X-Dutydesk-Signature"], now=now)
    # A replay: the same signed request ten minutes later is refused by both checks.
    assert not rules.signature_valid("whsec_x", now, body, headers["X-Dutydesk-Signature"], now=now + 600)


def test_headers_name_the_event_and_the_delivery():
    headers = rules.delivery_headers(
        event="leave.decided", delivery="d-7", secret="s", timestamp=1800000000, body=b"{}"
    )
    assert headers == {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "dutydesk-webhooks/1",
        "X-Dutydesk-Event": "leave.decided",
        "X-Dutydesk-Delivery": "d-7",
        "X-Dutydesk-Timestamp": "1800000000",
        "X-Dutydesk-Signature": "sha256=" + rules.signature("s", 1800000000, b"{}"),
    }


def test_a_body_is_the_same_bytes_on_every_attempt():
    first = rules.payload_body({"b": 1, "a": {"z": "华东", "y": None}})
    assert first == rules.payload_body({"a": {"y": None, "z": "华东"}, "b": 1})
    assert first == '{"a":{"y":null,"z":"华东"},"b":1}'.encode()
    assert json.loads(first) == {"a": {"y": None, "z": "华东"}, "b": 1}


def test_backoff_doubles_from_the_base_up_to_the_cap():
    assert rules.retry_schedule(8, base_seconds=30) == [
        timedelta(seconds=s) for s in (30, 60, 120, 240, 480, 960, 1920)
    ]
    assert rules.retry_delay(20, base_seconds=30) == timedelta(hours=6)
    assert rules.retry_schedule(1, base_seconds=30) == []


def test_only_2xx_is_delivered():
    assert [s for s in (199, 200, 204, 299, 301, 302, 400, 429, 500) if rules.delivered(s)] == [200, 204, 299]


def test_addresses_https_on_the_internet_only():
    assert rules.address_problem("https://hooks.example.com/dutydesk") is None
    assert rules.address_problem("https://203.0.113.9/x") == "private"  # documentation range: not global
    assert rules.address_problem("https://8.8.8.8/x") is None
    for url, problem in [
        ("http://hooks.example.com/", "scheme"),
        ("ftp://hooks.example.com/", "scheme"),
        ("https://user:pw@hooks.example.com/", "credentials"),
        ("https://hooks.example.com:99999/", "port"),
        ("https://localhost/", "host"),
        ("https://intranet/", "host"),
        ("https://printer.local/", "host"),
        ("https:///path", "host"),
        ("https://10.1.2.3/", "private"),
        ("https://192.168.0.1/", "private"),
        ("https://172.16.5.5/", "private"),
        ("https://127.0.0.1/", "private"),
        ("https://169.254.169.254/latest/meta-data", "private"),
        ("https://[::1]/", "private"),
        ("https://[fd00::1]/", "private"),
        ("https://100.64.0.1/", "private"),
        ("https://h.example.com/" + "a" * 500, "length"),
    ]:
        assert rules.address_problem(url) == problem, url


def test_loopback_only_where_a_test_allows_it():
    assert rules.address_problem("http://127.0.0.1:8999/hooks") == "scheme"
    assert rules.address_problem("http://127.0.0.1:8999/hooks", allow_loopback=True) is None
    assert rules.address_problem("http://10.0.0.1:8999/hooks", allow_loopback=True) == "scheme"
    assert not rules.ip_allowed("127.0.0.1") and rules.ip_allowed("127.0.0.1", allow_loopback=True)
    assert not rules.ip_allowed("10.0.0.1", allow_loopback=True)


def test_connected_addresses_private_in_any_spelling_are_refused():
    assert rules.ip_allowed("93.184.216.34") and rules.ip_allowed("2606:4700::1111")
    for ip in ("10.0.0.1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "fe80::1%eth0", "0.0.0.0", "224.0.0.1", "nonsense"):
        assert not rules.ip_allowed(ip), ip


def test_the_readme_verification_recipe_accepts_our_signature_and_refuses_a_forgery():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    start = readme.index("import hashlib, hmac, time\n\n\ndef verify(")
    recipe = readme[start : readme.index("```", start)]
    namespace: dict = {}
    exec(compile(recipe, "README.md", "exec"), namespace)  # noqa: S102 - our own README's example
    body = rules.payload_body({"id": "e", "event": "leave.decided", "data": {}})
    now = int(time.time())
    headers = rules.delivery_headers(event="leave.decided", delivery="d-1", secret="whsec_k", timestamp=now, body=body)
    assert namespace["verify"]("whsec_k", headers, body)
    assert namespace["receive"]("whsec_k", headers, body) == 204
    assert namespace["receive"]("whsec_other", headers, body) == 401
