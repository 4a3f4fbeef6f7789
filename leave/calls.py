"""What other apps do when a lead records an emergency call (R-LEAVE-3), without this package knowing them.

The logbook registers, in its ready(), what a call means for the duty day: an absence from post already marked for
that shift is emergency leave, not an absence (issue #27 point 7). A listener runs inside the transaction that
records the call (a refusal undoes the call too) and returns what it did, in words for the lead's confirmation, or
None when it did nothing.
"""

from collections.abc import Callable

_listeners: list[Callable] = []


def on_call_recorded(listener: Callable) -> None:
    """`listener(call=EmergencyCall, actor=Profile) -> str | None`."""
    if listener not in _listeners:
        _listeners.append(listener)


def call_recorded(call, *, actor) -> list[str]:
    return [said for listener in _listeners if (said := listener(call=call, actor=actor))]
