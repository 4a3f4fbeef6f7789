"""Leave kinds whose rules belong to another app, registered by that app; this app imports none of them.

调休 (comp-time leave, LeaveType.COMP_TIME) is taken from a comp-time balance that the compensation app keeps.
That app registers the kind in its AppConfig.ready() with two callables, which leave.services calls:

- `refusal(profile=, duty_shifts=)` when the request is filed and again at the final approval, before the roster
  changes: a message (the request is refused and nothing changes) or None;
- `on_approved(leave=, duty_shifts=, actor=)` inside the final approval's transaction, after the roster change:
  it may raise LeaveKindRefused(message), which rolls the whole approval back (the roster change included).

A kind that needs such rules is offered and accepted only while an app has registered them, so that 调休 can
never be taken without a balance check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from leave.models import LeaveType

# Kinds that exist only with the rules of the app that registers them.
REGISTERED_ONLY = frozenset({LeaveType.COMP_TIME})


class LeaveKindRefused(Exception):
    """Raised by an on_approved callback; the message is translated and shown to the approver as it is."""


@dataclass(frozen=True)
class KindRules:
    refusal: Callable[..., str | None]
    on_approved: Callable[..., None]


_REGISTERED: dict[str, KindRules] = {}


def register(kind: str, *, refusal: Callable[..., str | None], on_approved: Callable[..., None]) -> None:
    if kind not in LeaveType.values:
        raise ValueError(f"unknown leave kind {kind!r}: add it to LeaveType first")
    _REGISTERED[kind] = KindRules(refusal, on_approved)


def rules_for(kind: str) -> KindRules | None:
    return _REGISTERED.get(kind)


def is_available(kind: str) -> bool:
    return kind in LeaveType.values and (kind not in REGISTERED_ONLY or kind in _REGISTERED)


def choices() -> list[tuple[str, str]]:
    """The kinds a person may choose now."""
    return [(value, label) for value, label in LeaveType.choices if is_available(value)]
