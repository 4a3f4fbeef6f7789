"""The personal calendar feed's rules (issue 25 item 5), on plain values: calendar apps keep an event in step only
when its UID stays, its SEQUENCE rises with every change, and a shift taken away is sent as cancelled (RFC 5545
3.8.7.4, 3.8.1.11), not silently dropped (which many apps keep showing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# How often calendar apps are asked to fetch the feed again (RFC 7986 REFRESH-INTERVAL, Outlook's X-PUBLISHED-TTL).
REFRESH_INTERVAL = "PT1H"


@dataclass(frozen=True)
class Entry:
    shift_id: int
    sequence: int  # 0 when first published; +1 at every published version that changed it
    cancelled: bool  # held once, not in the version in force


def uid(shift_id: int, profile_id: int) -> str:
    """Stable per duty shift and person: the same event across versions, a new one for another person."""
    return f"dutyshift-{shift_id}-profile-{profile_id}@dutydesk"


def entries(history: Sequence[Mapping[int, str]]) -> dict[int, Entry]:
    """A person's published versions of one roster in order (the last is in force), each {duty shift id: role}:
    per shift ever held, its sequence and whether it is cancelled now. A shift given, taken away and given again
    is one event whose sequence rose twice."""
    sequence: dict[int, int] = {}
    before: Mapping[int, str] = {}
    for held in history:
        for shift_id in sorted(set(before) | set(held)):
            if before.get(shift_id) == held.get(shift_id):
                continue
            sequence[shift_id] = sequence[shift_id] + 1 if shift_id in sequence else 0
        before = held
    return {shift_id: Entry(shift_id, number, shift_id not in before) for shift_id, number in sequence.items()}
