"""Reminders: notices due at a time, worked out by the app that knows what they are about.

The notifications app knows no shifts, rosters or handovers. An app that reminds people registers a source for its
kind of notice in its AppConfig.ready() (the roster: shift reminders, roster/reminders.py):
- `due(now)` queues the reminders due at `now` (through services.notify_each) and returns how many were new. It
  must be safe to run any number of times: the beat job below runs every minute and may fire twice.
- `stale(rows, now)`, optional, is asked just before sending: of the claimed outbox rows of its kind, the ids no
  longer wanted (the person left the shift, the shift has started). sending.py cancels those instead of sending.
The beat job notifications.schedule_reminders (tasks.py) runs every registered source.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class ReminderSource:
    kind: str
    due: Callable[[datetime], int]
    stale: Callable[[list, datetime], set[int]] | None = None


_sources: dict[str, ReminderSource] = {}


def register(
    kind: str, *, due: Callable[[datetime], int], stale: Callable[[list, datetime], set[int]] | None = None
) -> None:
    """Called in an app's AppConfig.ready(); registering the same kind again replaces its source."""
    _sources[str(kind)] = ReminderSource(str(kind), due, stale)


def sources() -> list[ReminderSource]:
    return list(_sources.values())


def schedule_reminders(*, now: datetime | None = None) -> int:
    """Queue what every source has due at `now`; returns how many reminders were new."""
    now = now or timezone.now()
    return sum(source.due(now) for source in sources())


def stale_ids(rows: Iterable, now: datetime) -> set[int]:
    """Ids of the outbox `rows` their source no longer wants sent."""
    by_kind: dict[str, list] = {}
    for row in rows:
        if row.kind in _sources and _sources[row.kind].stale is not None:
            by_kind.setdefault(row.kind, []).append(row)
    stale: set[int] = set()
    for kind, group in by_kind.items():
        stale |= _sources[kind].stale(group, now)
    return stale
