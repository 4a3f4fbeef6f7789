"""Writes of a team's roster setup: duty settings, shift types, calendar overrides, availability, calendar feeds.

Split from roster.services (the roster itself) to keep each file readable; same habits: every write here.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
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
    HeadcountOverride,
    Roster,
    ShiftType,
    ShiftWish,
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
@transaction.atomic
def set_availability(profile, month: date, entries: dict, *, today: date, shift_wishes: dict | None = None) -> int:
    """Replace the person's availability for the given duty dates of `month` ({date: (kind or "", note)}), and
    their shift-kind wishes ({shift type id: "prefer" | "avoid" | ""}) when given.

    Refused after the deadline, once the supervisor builds the roster from what was declared. Wished days off
    (预排休, issue 26) and shift-kind wishes change only while the month's wish window is open, at most the team's
    N wished days off; two saves at once (two tabs) are serialised on the person's row, so N holds. Nothing is
    written when anything is refused. Returns how many dates carry a wish afterwards.
    """
    list(Profile.objects.select_for_update().filter(pk=profile.pk).order_by().values_list("pk", flat=True))

    deadline = queries.availability_deadline(profile.team, month)
    if today > deadline:
        raise RosterError(
            _("Availability for %(month)s closed on %(deadline)s; ask your supervisor for a change.")
            % {"month": f"{month:%Y-%m}", "deadline": deadline}
        )
    if any(not month <= day <= month_end(month) for day in entries):
        raise RosterError(_("Those dates are not in %(month)s.") % {"month": f"{month:%Y-%m}"})
    _check_wishes(profile, month, entries, shift_wishes, today=today)
    Availability.objects.filter(profile=profile, date__in=list(entries)).delete()
    rows = [
        Availability(profile=profile, date=day, kind=kind, note=note) for day, (kind, note) in entries.items() if kind
    ]
    Availability.objects.bulk_create(rows)
    if shift_wishes is not None:
        ShiftWish.objects.filter(profile=profile, month=month).delete()
        ShiftWish.objects.bulk_create(
            ShiftWish(profile=profile, month=month, shift_type_id=kind_id, kind=kind)
            for kind_id, kind in shift_wishes.items()
            if kind
        )
    return len(rows)


def _check_wishes(profile, month: date, entries: dict, shift_wishes: dict | None, *, today: date) -> None:
    """Issue 26: wished days off and shift-kind wishes only in the window, at most N days off."""
    from roster.models import AvailabilityKind, ShiftWishKind

    window = queries.wish_window_of(profile.team, month, today=today)
    before = set(
        Availability.objects.filter(
            profile=profile, date__range=(month, month_end(month)), kind=AvailabilityKind.WISH_OFF
        ).values_list("date", flat=True)
    )
    after = (before - set(entries)) | {
        day for day, (kind, _note) in entries.items() if kind == AvailabilityKind.WISH_OFF
    }
    kinds_before = dict(ShiftWish.objects.filter(profile=profile, month=month).values_list("shift_type_id", "kind"))
    kinds_after = kinds_before if shift_wishes is None else {k: v for k, v in shift_wishes.items() if v}
    if (after != before or kinds_after != kinds_before) and window["state"] != "open":
        raise RosterError(
            _("Wishes for %(month)s can be marked from %(opens)s to %(closes)s.")
            % {"month": f"{month:%Y-%m}", "opens": window["opens"], "closes": window["closes"]}
        )
    if len(after) > window["days_off"] and len(after) > len(before):
        raise RosterError(
            _("At most %(count)d wished days off for %(month)s; you marked %(marked)d.")
            % {"count": window["days_off"], "month": f"{month:%Y-%m}", "marked": len(after)}
        )
    active = set(ShiftType.objects.filter(team=profile.team, active=True).values_list("id", flat=True))
    if any(k not in active or v not in ShiftWishKind.values for k, v in kinds_after.items()):
        raise RosterError(_("That shift is no longer offered; reload the page."))


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


@transaction.atomic
def set_headcounts(team, month: date, headcounts: dict[tuple[date, int], int], *, actor: Profile, reason: str) -> int:
    """Set the headcount of single shifts of `month` ({(date, shift type id): headcount}), e.g. from the demand
    forecast (R-ROSTER-1: the team sets it); the month is laid out again with them. Returns how many changed.

    Only before the month is published: afterwards a change of headcount is a change of the roster people rely
    on, made through a revision (R-ROSTER-9). Two supervisors at once are serialised on the roster row; a shift or
    date not of the month is refused whole, nothing written. An open draft's page becomes stale (its coverage
    changed).
    """
    from roster.models import MAX_HEADCOUNT

    month = month_start(month)
    roster, _created = Roster.objects.get_or_create(team=team, month=month)
    roster = Roster.objects.select_for_update().get(pk=roster.pk)
    if roster.published_version_id:
        raise RosterError(
            _("The roster of %(month)s is already published; change its shifts through a revision.")
            % {"month": f"{month:%Y-%m}"}
        )
    planned = {(row["date"], row["shift_type_id"]) for row in queries.planned_shifts(team, month)}
    unknown = sorted(key for key in headcounts if key not in planned)
    if unknown:
        day, _kind = unknown[0]
        raise RosterError(_("%(date)s has no such shift any more; reload the page.") % {"date": day.isoformat()})
    bad = sorted(n for n in headcounts.values() if not 1 <= n <= MAX_HEADCOUNT)
    if bad:
        raise RosterError(_("A headcount must be between 1 and %(most)d.") % {"most": MAX_HEADCOUNT})
    current = queries.headcount_overrides(team, month)
    usual = dict(ShiftType.objects.filter(team=team).values_list("id", "headcount"))
    changed = 0
    now = timezone.now()
    for (day, kind), headcount in sorted(headcounts.items()):
        if current.get((day, kind), usual[kind]) == headcount and (day, kind) not in current:
            continue  # the usual headcount already: no row needed
        if current.get((day, kind)) == headcount:
            continue
        HeadcountOverride.objects.update_or_create(
            team=team,
            date=day,
            shift_type_id=kind,
            defaults={"headcount": headcount, "reason": reason[:200], "set_by": actor, "set_at": now},
        )
        changed += 1
    if changed:
        prepare_month(team, month)
        Roster.objects.filter(pk=roster.pk).update(draft_revision=F("draft_revision") + 1)
    return changed
