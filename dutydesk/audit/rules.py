"""The audit trail's plain rules (no ORM): what changed between two snapshots, and the keys an event is found by."""

from datetime import date


def changes(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """The fields whose value differs, each side kept to those fields; a side that is None stays None (a creation
    has no before, a removal no after). Equal snapshots give two empty dicts: the caller decides whether a change
    that changed nothing is worth a row."""
    if before is None or after is None:
        return before, after
    keys = [key for key in dict.fromkeys([*before, *after]) if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


def person(profile_or_id) -> str:
    return f"person:{getattr(profile_or_id, 'pk', profile_or_id)}"


def day(value: date) -> str:
    return f"day:{value.isoformat()}"


def roster(roster_or_id) -> str:
    return f"roster:{getattr(roster_or_id, 'pk', roster_or_id)}"


def team(team_or_id) -> str:
    return f"team:{getattr(team_or_id, 'pk', team_or_id)}"


def target(label: str, pk) -> str:
    """`logbook.entry:41`: the object itself, by its model's label."""
    return f"{label}:{pk}"
