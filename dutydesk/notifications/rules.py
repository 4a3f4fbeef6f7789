"""Notification rules as pure functions on plain values (no ORM): defaults, reminder timing, retries, masking."""

import re
from datetime import datetime, timedelta

from dutydesk.notifications.models import Channel, NoticeKind

# Channels on unless a person turns them off. In-app is always on (the bell keeps every notice).
# Email for what concerns the person's own duty and requests; the team chat for what the whole team should see.
DEFAULT_CHANNELS: dict[str, frozenset[str]] = {
    NoticeKind.SHIFT_REMINDER: frozenset({Channel.EMAIL, Channel.WEBHOOK}),
    NoticeKind.ROSTER_PUBLISHED: frozenset({Channel.EMAIL, Channel.WEBHOOK}),
    NoticeKind.ROSTER_CHANGED: frozenset({Channel.EMAIL}),
    NoticeKind.REQUEST_WAITING: frozenset({Channel.EMAIL}),
    NoticeKind.REQUEST_DECIDED: frozenset({Channel.EMAIL}),
    NoticeKind.ABSENCE_ALERT: frozenset({Channel.WEBHOOK}),
    NoticeKind.REPORT_ESCALATED: frozenset({Channel.EMAIL}),
    NoticeKind.ROSTER_BLOCKED: frozenset({Channel.EMAIL}),
    NoticeKind.SEND_FAILED: frozenset(),
    NoticeKind.APPRAISAL: frozenset({Channel.EMAIL}),
    NoticeKind.TRAINING: frozenset({Channel.EMAIL}),
}
# A failed delivery is reported in the app only: reporting it by email or chat could fail the same way, and a
# failure of that report would report itself again.
IN_APP_ONLY = frozenset({NoticeKind.SEND_FAILED})
OPTIONAL_CHANNELS = (Channel.EMAIL, Channel.WEBHOOK)


def channels_for(kind: str, choices: dict[str, bool]) -> set[str]:
    """Outside channels a person receives `kind` on, given their saved choices {channel: enabled}."""
    if kind in IN_APP_ONLY:
        return set()
    return {c for c in OPTIONAL_CHANNELS if choices.get(c, c in DEFAULT_CHANNELS.get(kind, frozenset()))}


def signin_at(starts_at: datetime, signin_minutes: int) -> datetime:
    # R-ATT-1: sign in 15 minutes (a team setting) before the shift starts.
    return starts_at - timedelta(minutes=signin_minutes)


def due_lead(*, starts_at: datetime, now: datetime, leads: list[int], signin_minutes: int) -> int | None:
    """The reminder lead time (minutes before sign-in) due at `now` for a shift starting at `starts_at`, or None.

    Lead L is due from its reminder time until the next shorter lead's reminder time; the shortest until the shift
    starts. So a shift rostered 3 hours ahead gets the 24-hour reminder at once (it is news) and the 1-hour one
    on time, and nothing is ever sent once the shift has started.
    """
    if now >= starts_at:
        return None
    signin = signin_at(starts_at, signin_minutes)
    ordered = sorted(set(leads), reverse=True)  # 1440, 60
    for index, lead in enumerate(ordered):
        window_start = signin - timedelta(minutes=lead)
        window_end = signin - timedelta(minutes=ordered[index + 1]) if index + 1 < len(ordered) else starts_at
        if window_start <= now < window_end:
            return lead
    return None


def reminder_horizon(leads: list[int], signin_minutes: int) -> timedelta:
    """How far ahead a shift can start and already have a reminder due."""
    return timedelta(minutes=max(leads, default=0) + signin_minutes)


def backoff(attempt: int, *, base_seconds: float) -> timedelta:
    """Delay before retry number `attempt` (1, 2, ...): base, 2×base, 4×base ... capped at one hour."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempt - 1, 0), 3600))


# R-LOG-4: no full customer data in any notice. Mainland mobile numbers (optionally +86), resident id numbers
# (18 characters, or the old 15 digits) and email addresses are masked wherever a notice goes.
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<![\dA-Za-z])(\d{6})(\d{8}|\d{11})([\dXx])(?![\dA-Za-z])")
# Landlines (010-12345678, 0571 8888 6666): area code kept, the number masked but its last 2 digits.
_LANDLINE = re.compile(r"(?<![\dA-Za-z])(0\d{2,3})([- ]?)(\d{3,4})[- ]?(\d{4})(?![\dA-Za-z])")
_EMAIL = re.compile(r"\b([A-Za-z0-9])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")


def mask_sensitive(text: str) -> str:
    """138 1234 5678 → 138****5678; an id number keeps its first 4 and last 4; z***@example.com."""
    if not text:
        return text
    text = _ID_CARD.sub(lambda m: m.group(1)[:4] + "*" * (len(m.group(0)) - 8) + (m.group(2) + m.group(3))[-4:], text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}{m.group(2)}{'*' * (len(m.group(3)) + 2)}{m.group(4)[-2:]}", text)
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(2)}", text)
