"""The duty-day rules as pure functions on plain values (no ORM). Rule ids from ../shared/DOMAIN.md."""

import re
from datetime import datetime, timedelta
from enum import StrEnum

SIGN_IN_OPENS = timedelta(minutes=30)  # the page offers sign-in from 30 minutes before the start
SIGN_IN_EXPECTED = timedelta(minutes=15)  # R-ATT-1: sign in 15 minutes before the shift
ABSENCE_AFTER = timedelta(minutes=15)  # R-ATT-3: not signed in 15 minutes after the start
NIGHT_BREAK_EVERY = timedelta(hours=2)  # R-ATT-5: 10 minutes every 2 hours on night shifts
NIGHT_BREAK_LENGTH = timedelta(minutes=10)

# R-ATT-1: what every agent checks before the shift, unless the team set its own list.
DEFAULT_EQUIPMENT = ("电脑", "电话", "耳机", "系统登录", "话术模板")
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


def may_reveal_customer_data(
    *, viewer_id: int, author_id: int, viewer_is_lead_of_team: bool, viewer_is_supervisor_of_team: bool
) -> bool:
    """R-LOG-4, R-PIPL-2: who may ask to see an entry's customer data whole, with a reason each time: its author (to
    call the customer back), the team's leads and its supervisors (to follow a complaint up). Nobody else; managers
    read the figures, not the customers. Everyone, these included, sees it masked by default (R-PIPL-1)."""
    return viewer_id == author_id or viewer_is_lead_of_team or viewer_is_supervisor_of_team


# --- R-PIPL-1: what is personal data, field by field --------------------------------------------------------------


class Personal(StrEnum):
    NAME = "name"  # a customer's name: 张伟 → 张*
    IDENTIFIER = "identifier"  # a phone number, an order or customer id tied to a person
    FREE_TEXT = "free_text"  # written text that may hold a phone or id number (masked inside)


# The classification of a logbook entry's fields. Every place an entry leaves the record (pages, search snippets,
# handovers, notices, exports) shows a field through `shown`, and the retention job erases by this table.
ENTRY_PERSONAL_FIELDS: dict[str, Personal] = {
    "customer_name": Personal.NAME,
    "customer_phone": Personal.IDENTIFIER,
    "customer_ref": Personal.IDENTIFIER,
    "content": Personal.FREE_TEXT,
    "outcome": Personal.FREE_TEXT,
    "answer": Personal.FREE_TEXT,
    "demand": Personal.FREE_TEXT,
    "progress": Personal.FREE_TEXT,
    "result_told": Personal.FREE_TEXT,
}
CUSTOMER_FIELDS = ("customer_name", "customer_phone", "customer_ref")  # who the customer is, in that order
CUSTOMER_IDS = tuple(name for name, kind in ENTRY_PERSONAL_FIELDS.items() if kind == Personal.IDENTIFIER)


def mask_name(value: str) -> str:
    """R-PIPL-1: a name keeps its first character (the family name, or an initial): 张伟 → 张*, 欧阳娜娜 → 欧***."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + "".join(" " if char.isspace() else "*" for char in value[1:])


def shown(field: str, value: str, *, full: bool = False) -> str:
    """R-LOG-4, R-PIPL-1, the one rule for a logbook entry's field wherever it leaves the record: masked by its
    classification (a name by `mask_name`, an identifier by `mask`, free text by `mask_text`), whole only when
    `full` — a reveal with a reason just recorded (R-PIPL-2). Exports and notices never pass full=True."""
    value = value or ""
    if full:
        return value
    kind = ENTRY_PERSONAL_FIELDS.get(field)
    if kind == Personal.NAME:
        return mask_name(value)
    if kind == Personal.IDENTIFIER:
        return mask(value)
    return mask_text(value)


# --- R-PIPL-3: retention ------------------------------------------------------------------------------------------

DEFAULT_RETENTION_DAYS = 180
MIN_RETENTION_DAYS = 30  # complaints are followed up for weeks; a shorter period would lose open cases
MAX_RETENTION_DAYS = 3 * 365


def retention_cutoff(now: datetime, days: int) -> datetime:
    """R-PIPL-3: entries whose logbook closed before this moment lose their customers' personal data."""
    return now - timedelta(days=days)


def erase_text(text: str) -> str:
    """R-PIPL-3: the phone and id numbers inside free text replaced by as many asterisks; the rest of the text is
    kept (what happened stays readable, who it happened to is gone)."""
    return _PHONE_OR_ID.sub(lambda match: "*" * len(match.group(0)), text or "")


def erased(values: dict[str, str]) -> dict[str, str]:
    """R-PIPL-3: an entry's personal fields after retention: names and identifiers emptied, free text with its
    numbers erased. Only the fields given (and classified) are returned, changed or not."""
    result = {}
    for field, value in values.items():
        kind = ENTRY_PERSONAL_FIELDS.get(field)
        if kind in (Personal.NAME, Personal.IDENTIFIER):
            result[field] = ""
        elif kind == Personal.FREE_TEXT:
            result[field] = erase_text(value)
    return result


def removed_fields(values: dict[str, str]) -> list[str]:
    """The classified fields retention would change, by name: what a dry run reports and a run records."""
    after = erased(values)
    return [field for field in after if after[field] != (values.get(field) or "")]
