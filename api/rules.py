"""The public API's rules on plain values (issue 25): tokens, scopes, months in addresses, entity tags, the rate
window and the webhook signature. No Django, no database."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

TOKEN_PREFIX = "ddk_"
# What the list of tokens shows of each: enough to tell two apart, far too little to use.
SHOWN_CHARACTERS = 8
_TOKEN = re.compile(r"^ddk_[A-Za-z0-9_-]{32,64}$")

PERSONAL = "personal"
SERVICE = "service"

READ_ROSTER = "roster:read"
READ_ATTENDANCE = "attendance:read"
READ_STATEMENTS = "statements:read"
WRITE_LEAVE = "leave:write"
SCOPES = (READ_ROSTER, READ_ATTENDANCE, READ_STATEMENTS, WRITE_LEAVE)

# Issue 25 item 2: a service token has no role; each action an endpoint names is reached through one scope. A
# personal token is asked the role × action table (dutydesk.permissions.ACTIONS) as the pages are.
SCOPE_OF_ACTION = {
    "home.view": None,  # the teams a token may read: every token
    "roster.view": READ_ROSTER,
    "workcalendar.view": READ_ROSTER,
    "leave.view": READ_ATTENDANCE,
    "leave.mine": WRITE_LEAVE,
    "logbook.read": READ_ATTENDANCE,
    "compensation.view_team": READ_STATEMENTS,
    "compensation.export": READ_STATEMENTS,
}


def digest(token: str) -> str:
    """What is stored of a token: its SHA-256, hex. The token itself is shown once and kept nowhere."""
    return hashlib.sha256(token.encode()).hexdigest()


def shown_prefix(token: str) -> str:
    return token[: len(TOKEN_PREFIX) + SHOWN_CHARACTERS]


def well_formed(token: str) -> bool:
    return bool(_TOKEN.match(token or ""))


def scope_allows(scopes: Iterable[str], action: str) -> bool:
    """Whether a service token with `scopes` may do `action` (an action no scope reaches: never)."""
    if action not in SCOPE_OF_ACTION:
        return False
    needed = SCOPE_OF_ACTION[action]
    return needed is None or needed in set(scopes)


def parse_month(text: str | None) -> date | None:
    """ "2027-01" → date(2027, 1, 1); None for anything else (the caller answers with a problem)."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", text or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return date(year, month, 1)


def entity_tag(content: bytes) -> str:
    """A strong ETag (RFC 9110 §8.8.3) of a response body: the same bytes, the same tag."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def none_match(header: str | None, tag: str) -> bool:
    """Whether If-None-Match names `tag` (or is "*"): the client has it, answer 304. Weak tags compare weakly."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return tag in candidates


def rate_window(now: float, seconds: int) -> tuple[int, int]:
    """The fixed window `now` falls in (its number) and how many whole seconds are left of it (at least 1)."""
    number = int(now // seconds)
    left = max(1, int((number + 1) * seconds - now + 0.999))
    return number, left


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """A webhook delivery's signature: HMAC-SHA256 keyed with the endpoint's secret over "<timestamp>.<body>",
    hex. The receiver recomputes it and compares in constant time (README)."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_valid(secret: str, timestamp: int, body: bytes, header: str, *, now: int, tolerance: int = 300) -> bool:
    """The receiver's check: the right signature and a timestamp within `tolerance` seconds (no replays)."""
    if abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header.removeprefix("sha256="))


# --- outgoing webhooks (issue 25 item 4) ------------------------------------------------------------------------

SIGNATURE_PREFIX = "sha256="
# Hosts a test's local receiver listens on; allowed (over plain http too) only where the setting
# API_WEBHOOK_ALLOW_LOOPBACK says so (tests), never in production.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def ip_allowed(address: str, *, allow_loopback: bool = False) -> bool:
    """Whether a webhook may be posted to the machine at `address`: a public (global) address only, never a
    private, loopback, link-local, shared, reserved or multicast one (the server must not become a way into the
    company's network). Loopback only where a test allows it."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return allow_loopback
    return ip.is_global and not ip.is_multicast


def address_problem(url: str, *, allow_loopback: bool = False) -> str | None:
    """Why an endpoint address may not be registered, as a code (None: it may): "scheme" (not https), "host"
    (none, or a name that is this machine), "credentials" (a user or password in it), "port" (not a number),
    "private" (an IP address that is not public), "length". A name is looked up when a delivery connects, and the
    address it connects to is checked then (api.delivery), so a name that points inward later is refused too."""
    if len(url) > 500:
        return "length"
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number or out of range
    except ValueError:
        return "port"
    host = (parts.hostname or "").lower()
    loopback = allow_loopback and host in LOOPBACK_HOSTS
    if parts.scheme != "https" and not (loopback and parts.scheme == "http"):
        return "scheme"
    if parts.username is not None or parts.password is not None:
        return "credentials"
    if not host:
        return "host"
    if loopback:
        return None
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass  # a name: its addresses are checked when it is connected to
    else:
        return None if ip_allowed(host) else "private"
    if host == "localhost" or host.endswith(".localhost") or host.endswith(".local") or "." not in host:
        return "host"
    return None


def payload_body(payload: Mapping[str, Any]) -> bytes:
    """A delivery's body: the event as UTF-8 JSON with sorted keys, the same bytes on every attempt."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def delivery_headers(*, event: str, delivery: str, secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers of one attempt (README, Outgoing webhooks). X-Dutydesk-Delivery stays the same on every attempt
    and every resend of a delivery, so a receiver can drop a repeat; the timestamp and signature are the attempt's."""
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "dutydesk-webhooks/1",
        "X-Dutydesk-Event": event,
        "X-Dutydesk-Delivery": delivery,
        "X-Dutydesk-Timestamp": str(timestamp),
        "X-Dutydesk-Signature": SIGNATURE_PREFIX + signature(secret, timestamp, body),
    }


def delivered(status: int) -> bool:
    """A receiver took the delivery: any 2xx answer. Anything else (a redirect included: never followed) is a
    failed attempt."""
    return 200 <= status < 300


def retry_delay(attempt: int, *, base_seconds: float, cap_seconds: float = 6 * 3600) -> timedelta:
    """How long after failed attempt number `attempt` (1, 2, ...) the next one is due: base, 2x, 4x ... capped."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempt - 1, 0), cap_seconds))


def retry_schedule(max_attempts: int, *, base_seconds: float, cap_seconds: float = 6 * 3600) -> list[timedelta]:
    """The waits between the attempts of a delivery that never succeeds (max_attempts - 1 of them)."""
    return [retry_delay(n, base_seconds=base_seconds, cap_seconds=cap_seconds) for n in range(1, max_attempts)]
