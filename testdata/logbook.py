"""Sign-ins and logbook entries, through logbook.services (a sign-in checks the roster in force, an entry is
deduplicated by its client token); the rule acknowledgement a sign-in needs with the ORM."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from dutydesk.models import Profile, Team
from logbook import services
from logbook.models import DisciplineAcknowledgement, Entry, EntryKind, EntryStatus, Logbook
from roster.models import DutyShift
from testdata.people import profile_of
from testdata.roster import publish
from testdata.shifts import running_shift


def acknowledged(person: Profile | User) -> Profile:
    """The person has acknowledged the discipline rules (a sign-in asks for it first)."""
    profile = profile_of(person)
    DisciplineAcknowledgement.objects.get_or_create(profile=profile, defaults={"version": "test"})
    return profile


def signed_in(
    team: Team,
    person: Profile | User,
    *,
    started_minutes_ago: int = 20,
    hours: int = 8,
    is_night: bool = False,
    shift: DutyShift | None = None,
) -> Logbook:
    """The person holds a running shift (added to the roster in force) and signed in 20 minutes before it started,
    through logbook.services.sign_in; returns their logbook."""
    profile = acknowledged(person)
    shift = shift or running_shift(team, started_minutes_ago=started_minutes_ago, hours=hours, is_night=is_night)
    publish(team, [(profile, shift)], keep=True)
    return services.sign_in(shift, profile=profile, now=shift.starts_at - timedelta(minutes=20))


def inquiry_data(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": EntryKind.INQUIRY,
        "category": "logistics",
        "customer_name": "赵女士",
        "customer_phone": "13812345678",
        "customer_ref": "DD202611230001",
        "content": "咨询订单物流到哪里了",
        "outcome": "已告知预计明天送达",
        "status": EntryStatus.DONE,
        **overrides,
    }


def write_entry(logbook: Logbook, **overrides: Any) -> Entry:
    entry, _ = services.record_entry(
        logbook, author=logbook.profile, client_token=uuid.uuid4(), data=inquiry_data(**overrides)
    )
    return entry


def open_entry(logbook: Logbook, *, hours: int = 2, **overrides: Any) -> Entry:
    return write_entry(
        logbook, status=EntryStatus.OPEN, promised_reply_at=timezone.now() + timedelta(hours=hours), **overrides
    )
