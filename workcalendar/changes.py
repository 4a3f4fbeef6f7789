"""Who is told when a year of the calendar changes (R-CAL-2): a registry the higher apps fill in `ready()`.

The calendar sits below the roster and compensation and imports neither; they register a listener here (the roster
finds the rosters and drafts a change touches, compensation the statements). `announce` runs every listener inside
the transaction of the change, so the change and everything it causes (notices, recomputed statements, correction
proposals) are committed together or not at all: a change is never applied silently, half-told.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workcalendar.rules import DateChange


@dataclass(frozen=True)
class CalendarChange:
    year: int
    revision_id: int
    number: int  # the year's revision number
    changes: tuple[DateChange, ...]  # the dates that changed, by date (may be empty: a status change only)
    status_before: str
    status_after: str
    source_title: str
    actor: object | None  # the Profile who changed it; None for a scheduled or command-line seeding


_listeners: list[Callable[[CalendarChange], None]] = []


def register(listener: Callable[[CalendarChange], None]) -> None:
    """Call `listener(change)` on every change, once however often `ready()` runs."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(change: CalendarChange) -> None:
    for listener in list(_listeners):
        listener(change)
