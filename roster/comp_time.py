"""Whose rest-day duty is compensated with comp time (调休) rather than paid, as the roster needs to know it when a
team leaves such hours out of the extended-hours cap (R-LAW-2, TeamRosterSettings.count_comp_time_hours).

Compensation knows (its team policy and personal exceptions) and registers its answer here in its AppConfig.ready();
the roster imports nothing of compensation. Asked only by a team that leaves comp-time hours out (the default
counts them), so a month's read costs no query for it otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Source = Callable[[int, list[int]], set[int]]

_source: Source | None = None


def register(source: Source) -> None:
    """`source(team_id, profile_ids)` -> the ids among them whose rest-day duty earns comp time."""
    global _source
    _source = source


def comp_time_people(team_id: int, profile_ids: Iterable[int]) -> set[int]:
    """Of these people, those whose rest-day duty earns comp time (none when no source is registered)."""
    ids = list(profile_ids)
    if _source is None or not ids:
        return set()
    return set(_source(team_id, ids))
