"""Attendance as the logbook keeps it (a sign-in, a sign-out, breaks away from the post), with the ORM: exact
moments that the duty-hours tests count from, which the sign-in service (the real clock's) would not take."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from dutydesk.models import Profile
from logbook.models import BreakKind, Logbook, PostBreak
from roster.models import DutyShift


def worked(
    shift: DutyShift,
    profile: Profile,
    *,
    signed_in: datetime | None = None,
    signed_out: datetime | None = None,
    away: Iterable[tuple[datetime, datetime]] = (),
) -> Logbook:
    """A sign-in 15 minutes early and a sign-out 2 minutes late unless given; `away`: (left, back) pairs."""
    signed_in = signed_in or shift.starts_at - timedelta(minutes=15)
    late = max(0, int((signed_in - shift.starts_at).total_seconds() // 60))
    logbook = Logbook.objects.create(
        duty_shift=shift,
        profile=profile,
        team=shift.team,
        signed_in_at=signed_in,
        late_minutes=late,
        late_explanation="地铁故障" if late else "",
        signed_out_at=signed_out if signed_out is not None else shift.ends_at + timedelta(minutes=2),
    )
    for left, back in away:
        PostBreak.objects.create(
            logbook=logbook, kind=BreakKind.LEFT_POST, reason="处理急事", started_at=left, ended_at=back
        )
    return logbook
