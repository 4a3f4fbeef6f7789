"""Domain events that leave the house as outgoing webhooks (issue 25 item 4): the apps emit, the API listens.

The services of the lower apps call `emit(...)` inside the transaction of the change that causes the event
(roster publish and revise, a leave decided, a swap recorded, an absence marked, a handover signed, a statement
finalised). The api app (the top floor, which nothing may import) registers its listener in `ApiConfig.ready()`;
the listener writes the event and one delivery row per subscribed endpoint in that same transaction, so a change
and its events commit or roll back together (a transactional outbox) and no event is told of a change that did not
happen.

Why a registry here rather than a Django signal or dutydesk/notifications' outbox: the emitters sit on floors 5-9
and must not know the API (dutydesk/tests/test_layering.py); a registry on the ground floor is the house's way for
that (workcalendar.changes.register, roster.absences), explicit and typed where a signal hides its receivers; and
the notifications outbox's rows are per person or team and channel, while a webhook delivery is per event and
registered endpoint, with a secret and a log of its own that belong to the API's tables.
"""

from collections.abc import Callable
from typing import Any

from django.db import connection

ROSTER_PUBLISHED = "roster.published"
ROSTER_REVISED = "roster.revised"
LEAVE_DECIDED = "leave.decided"
SWAP_RECORDED = "swap.recorded"
ATTENDANCE_ABSENT = "attendance.absent"
HANDOVER_SIGNED = "handover.signed"
STATEMENT_FINALISED = "statement.finalised"
EVENTS = (
    ROSTER_PUBLISHED,
    ROSTER_REVISED,
    LEAVE_DECIDED,
    SWAP_RECORDED,
    ATTENDANCE_ABSENT,
    HANDOVER_SIGNED,
    STATEMENT_FINALISED,
)

# listener(event, team_id, data): called inside the emitting transaction; what it writes commits with the change.
Listener = Callable[[str, int | None, dict[str, Any]], None]
_listeners: list[Listener] = []


class NotInTransaction(RuntimeError):
    """An event emitted outside a transaction: it could be told of a change that is then rolled back."""


def register(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def emit(event: str, *, team_id: int | None, data: dict[str, Any]) -> None:
    """Tell the listeners that `event` happened to `team_id` (None: company-wide). `data` is plain JSON (ids,
    ISO dates, states; never a person's or a customer's personal data). Call inside the change's transaction."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event!r}: add it to dutydesk.events.EVENTS")
    if not connection.in_atomic_block:
        raise NotInTransaction(event)
    for listener in _listeners:
        listener(event, team_id, data)
