"""The public API's rules on plain values (issue 25): tokens, scopes, months in addresses, entity tags, the rate
window and the webhook signature. No Django, no database."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from datetime import date

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
