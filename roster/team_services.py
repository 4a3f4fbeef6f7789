"""Writes of a team's roster setup: duty settings, shift types, calendar overrides, availability, calendar feeds.

Split from roster.services (the roster itself) to keep each file readable; same habits: every write here.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.audit import rules as refs
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile
from dutydesk.months import month_end, month_start
from roster import queries
from roster.models import (
    Assignment,
    Availability,
    CalendarFeed,
    CalendarOverride,
    DutyShift,
    Roster,
    ShiftType,
    new_feed_token,
)
from roster.services import RosterError, prepare_month


def _relayout_open_rosters(team) -> None:
    """Unpublished rosters of this month and later follow the team's new settings (prepare_month is idempotent)."""
    this_month = month_start(timezone.localdate())
    for roster in Roster.objects.filter(team=team, month__gte=this_month, published_version__isnull=True):
        prepare_month(team, roster.month)


@transaction.atomic
def update_roster_settings(team, *, actor: Profile, values: dict) -> None:
    """Save the team's duty settings (R-ROSTER-1, -2, -3, -6); open rosters are laid out again."""
    settings = queries.settings_for(team)
    before = snapshot(settings)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    record("roster.settings", actor=actor, target=settings, team=team, before=before, after=snapshot(settings))
    _relayout_open_rosters(team)


@transaction.atomic
def save_shift_type(team, *, actor: Profile, shift_type: ShiftType | None, values: dict, skills) -> ShiftType:
    """Create or change one shift of the team's duty days; open rosters are laid out again."""
    before = None if shift_type is None else {**snapshot(shift_type), "required_skills": _skill_codes(shift_type)}
    shift_type = shift_type or ShiftType(team=team)
    for name, value in values.items():
        setattr(shift_type, name, value)
    shift_type.save()
    shift_type.required_skills.set(skills)
    after = {**snapshot(shift_type), "required_skills": _skill_codes(shift_type)}
    record("roster.shift_type", actor=actor, target=shift_type, before=before, after=after)
    _relayout_open_rosters(team)
    return shift_type


def _skill_codes(shift_type: ShiftType) -> list[str]:
    return sorted(shift_type.required_skills.values_list("name", flat=True))


@transaction.atomic
def remove_shift_type(shift_type: ShiftType, *, actor: Profile) -> bool:
    """Delete a shift no published roster uses; one a published version uses is only made inactive (its history
    stays, R-ROSTER-9). Either way, drafts of months not yet published let go of it. Returns True when deleted."""
    team = shift_type.team
    record("roster.shift_type_remove", actor=actor, target=shift_type, before=snapshot(shift_type))
    published = Assignment.objects.filter(
        duty_shift__shift_type=shift_type, version__published_at__isnull=False
    ).exists()
    shift_type.active = False
    shift_type.save(update_fields=["active"])
    _relayout_open_rosters(team)  # prepare_month takes the inactive shift out of open drafts
    if published:
        return False
    # Drafts of earlier months that were never published: nothing to keep.
    Assignment.objects.filter(duty_shift__shift_type=shift_type).delete()
    DutyShift.objects.filter(shift_type=shift_type).delete()
    shift_type.delete()
    return True


@transaction.atomic
def set_calendar_override(team, *, actor: Profile, day: date, kind: str, note: str = "") -> CalendarOverride:
    """The team's correction of the calendar for one date (R-ROSTER-1, R-ROSTER-7)."""
    old = CalendarOverride.objects.filter(team=team, date=day).first()
    before = snapshot(old, ["kind", "note"]) if old else None
    override, _created = CalendarOverride.objects.update_or_create(
        team=team,
        date=day,
        defaults={"kind": kind, "note": note},
    )
    after = snapshot(override, ["kind", "note"])
    record("roster.calendar_override", actor=actor, target=override, before=before, after=after, refs=[refs.day(day)])
    _relayout_open_rosters(team)
    return override


@transaction.atomic
def remove_calendar_override(override: CalendarOverride, *, actor: Profile) -> None:
    team = override.team
    record(
        "roster.calendar_override_remove",
        actor=actor,
        target=override,
        before=snapshot(override, ["kind", "note"]),
        refs=[refs.day(override.date)],
    )
    override.delete()
    _relayout_open_rosters(team)


@transaction.atomic
def set_availability(profile, month: date, entries: dict, *, today: date) -> int:
    """Replace the person's availability for the given duty dates of `month` ({date: (kind or "", note)}).

    Refused after the deadline, once the supervisor builds the roster from what was declared. Returns how many
    dates carry a wish afterwards.
    """

    deadline = queries.availability_deadline(profile.team, month)
    if today > deadline:
        raise RosterError(
            _("Availability for %(month)s closed on %(deadline)s; ask your supervisor for a change.")
            % {"month": f"{month:%Y-%m}", "deadline": deadline}
        )
    if any(not month <= day <= month_end(month) for day in entries):
        raise RosterError(_("Those dates are not in %(month)s.") % {"month": f"{month:%Y-%m}"})
    Availability.objects.filter(profile=profile, date__in=list(entries)).delete()
    rows = [
        Availability(profile=profile, date=day, kind=kind, note=note) for day, (kind, note) in entries.items() if kind
    ]
    Availability.objects.bulk_create(rows)
    return len(rows)


def calendar_feed_for(profile):
    """The person's secret iCalendar address (made on first use)."""

    return CalendarFeed.objects.get_or_create(profile=profile)[0]


@transaction.atomic
def reset_calendar_feed(profile):
    """A new secret address; every calendar subscribed to the old one stops receiving shifts."""

    feed, created = CalendarFeed.objects.select_for_update().get_or_create(profile=profile)
    if not created:
        feed.token = new_feed_token()
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed
