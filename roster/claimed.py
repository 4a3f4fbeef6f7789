"""Shifts people took in another app's marketplace (issue 24: the fairness report counts claimed shifts).

The roster imports no marketplace code: the app that keeps it (market/) registers its source here in its
AppConfig.ready(), in the shape of roster.absences.register. `source(team, start, end)` returns (profile id, date)
per shift a person of `team` took from an open shift, a give-away or a trade dated in [start, end]. Without a
registered source nobody has claimed anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

_source: Callable[..., list[tuple[int, date]]] | None = None


def register(source: Callable[..., list[tuple[int, date]]]) -> None:
    """Called in an app's AppConfig.ready(); registering again replaces the source."""
    global _source
    _source = source


def history(team, start: date, end: date) -> list[tuple[int, date]]:
    return [] if _source is None else list(_source(team, start, end))
