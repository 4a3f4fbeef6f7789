"""The duty-day rules as pure functions on plain values (no ORM). Rule ids from ../shared/DOMAIN.md."""

import re
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils.translation import pgettext_lazy

SIGN_IN_OPENS = timedelta(minutes=30)  # the page offers sign-in from 30 minutes before the start
SIGN_IN_EXPECTED = timedelta(minutes=15)  # R-ATT-1: sign in 15 minutes before the shift
ABSENCE_AFTER = timedelta(minutes=15)  # R-ATT-3: not signed in 15 minutes after the start
NIGHT_BREAK_EVERY = timedelta(hours=2)  # R-ATT-5: 10 minutes every 2 hours on night shifts
NIGHT_BREAK_LENGTH = timedelta(minutes=10)

# R-ATT-1: what every agent checks before the shift, unless the team set its own list.
# R-ATT-1's default checklist, in the reader's language (a team's own list is data, kept as written).
DEFAULT_EQUIPMENT = (
    pgettext_lazy("equipment", "Computer"),
    pgettext_lazy("equipment", "Phone"),
    pgettext_lazy("equipment", "Headset"),
    pgettext_lazy("equipment", "System login"),
    pgettext_lazy("equipment", "Script templates"),
)
MAX_EQUIPMENT_ITEMS = 20  # a checklist agents tick in a minute, not an inventory
EQUIPMENT_NAME_LENGTH = 60  # EquipmentItem.name

DISCIPLINE_ACKNOWLEDGEMENT_VERSION = "2026-1"


class SignIn(StrEnum):
    TOO_EARLY = "too_early"  # the window has not opened
    EXPECTED = "expected"  # at least 15 minutes before the start (R-ATT-1)
    BEFORE_START = "before_start"  # after the expected time but before the start: not late
    LATE = "late"  # after the start (R-ATT-2)
    OVER = "over"  # the shift has ended


def classify_sign_in(now: datetime, starts_at: datetime, ends_at: datetime) -> SignIn:
    """R-ATT-1, R-ATT-2: how a sign-in at `now` counts for a shift."""
    if now < starts_at - SIGN_IN_OPENS:
        return SignIn.TOO_EARLY
    if now >= ends_at:
        return SignIn.OVER
    if now <= starts_at - SIGN_IN_EXPECTED:
        return SignIn.EXPECTED
    if now <= starts_at:
        return SignIn.BEFORE_START
    return SignIn.LATE


class EquipmentProblem(StrEnum):
    EMPTY_NAME = "empty_name"
    NAME_TOO_LONG = "name_too_long"
    DUPLICATE = "duplicate"
    TOO_MANY = "too_many"


def equipment_list_problem(names: list[str]) -> tuple[EquipmentProblem, str] | None:
    """R-ATT-1: a team's checklist has named, distinct items (ignoring case and surrounding spaces), at most
    MAX_EQUIPMENT_ITEMS. Returns the first problem and the item it concerns, or None when the list is fine."""
    if len(names) > MAX_EQUIPMENT_ITEMS:
        return EquipmentProblem.TOO_MANY, ""
    seen = set()
    for name in names:
        name = name.strip()
        if not name:
            return EquipmentProblem.EMPTY_NAME, ""
        if len(name) > EQUIPMENT_NAME_LENGTH:
            return EquipmentProblem.NAME_TOO_LONG, name
        if name.casefold() in seen:
            return EquipmentProblem.DUPLICATE, name
        seen.add(name.casefold())
    return None


def minutes_late(now: datetime, starts_at: datetime) -> int:
    """R-ATT-2: whole minutes after the start, at least 1 once the start has passed."""
    if now <= starts_at:
        return 0
    return max(1, int((now - starts_at).total_seconds() // 60))


def is_absent(now: datetime, starts_at: datetime, ends_at: datetime, *, signed_in: bool) -> bool:
    """R-ATT-3: not signed in more than 15 minutes after the start (while the shift still runs)."""
    return not signed_in and starts_at + ABSENCE_AFTER < now < ends_at


def is_early_leave(now: datetime, ends_at: datetime) -> bool:
    """R-ATT-4: signing out before the end of the shift."""
    return now < ends_at


def night_break_due(now: datetime, starts_at: datetime, *, is_night: bool, breaks_taken: int) -> bool:
    """R-ATT-5: one 10-minute break per full 2 hours of a night shift; a break not taken is not carried twice."""
    if not is_night or now < starts_at:
        return False
    earned = int((now - starts_at) / NIGHT_BREAK_EVERY)
    return earned > breaks_taken


def sign_out_blocked_by_open_items(*, open_items: int, handover_signed: bool, last_shift_of_day: bool) -> bool:
    """R-LOG-5: open items need a signed handover, except after the day's last shift (they go to the next duty
    day and show first on its page)."""
    return open_items > 0 and not handover_signed and not last_shift_of_day


def handover_locked(*, outgoing_signed: bool, incoming_signed: bool) -> bool:
    """R-LOG-5: after both have signed the handover cannot be changed."""
    return outgoing_signed and incoming_signed


# R-LOG-2: a promise is for the coming days; a date years ahead (9999-12-31) is a typo that would keep the item open,
# and off every on-time figure, for ever.
PROMISE_WINDOW = timedelta(days=30)


def promise_is_valid(promised_at: datetime | None, now: datetime) -> bool:
    """R-LOG-2: a promised reply time lies in the future, within PROMISE_WINDOW."""
    return promised_at is not None and now < promised_at <= now + PROMISE_WINDOW


def answered_on_time(promised_at: datetime, answered_at: datetime | None) -> bool:
    """R-LOG-2, R-APP-3: answered by the promised time."""
    return answered_at is not None and answered_at <= promised_at


# --- R-LOG-4: masking ----------------------------------------------------------------------------------------

# Mainland mobile numbers (11 digits from 1), landlines, and 15/18-character resident id numbers.
_PHONE_OR_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}|1\d{10}|0\d{2,3}-?\d{7,8})(?![0-9A-Za-z])")


def mask(value: str) -> str:
    """R-LOG-4: 13812345678 → 138****5678; an id keeps its first 3 and last 4 characters; short values keep
    at most their last 2. The one masking function: lists, exports, notifications and pages all call it."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) >= 11:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if len(value) >= 7:
        return value[:2] + "*" * (len(value) - 4) + value[-2:]
    if len(value) >= 4:
        return "*" * (len(value) - 2) + value[-2:]
    return "*" * len(value)


def mask_text(text: str) -> str:
    """R-LOG-4: mask phone and id numbers written inside free text (content, notes)."""
    return _PHONE_OR_ID.sub(lambda match: mask(match.group(0)), text or "")


def may_see_customer_data(
    *, viewer_id: int, author_id: int, viewer_is_lead_of_team: bool, viewer_is_supervisor_of_team: bool
) -> bool:
    """R-LOG-4: the entry's author, the team lead and the supervisors see full values; everyone else masked."""
    return viewer_id == author_id or viewer_is_lead_of_team or viewer_is_supervisor_of_team


CUSTOMER_IDS = ("customer_phone", "customer_ref")  # whole values; every other field is free text


def shown(field: str, value: str, *, full: bool) -> str:
    """R-LOG-4, the one rule for a logbook entry's field wherever a page shows it: as written to those who may see
    customer data (may_see_customer_data), else through `mask` (a phone or id field) or `mask_text` (free text).
    Exports and notices never pass full=True."""
    if full:
        return value or ""
    return mask(value) if field in CUSTOMER_IDS else mask_text(value)
