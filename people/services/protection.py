"""Protection periods (R-LAW-4, 女职工劳动保护特别规定第六条、第九条): recorded by the person's supervisor or a manager
(HR's role here), for a date range and a kind only, never medical detail.

From the day it is recorded the roster keeps the person off night shifts and rest-day or holiday duty in the
period: generation, swaps and substitutes never offer them such a shift, and a roster already published that has
one shows it as a problem to the supervisor until it is revised (roster.law through roster.queries.month_data).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from dutydesk.audit import rules as refs
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile, ProtectionKind, ProtectionPeriod
from people.services import PeopleError


@transaction.atomic
def record_protection(profile: Profile, *, actor: Profile, kind: str, starts_on: date, ends_on: date):
    """Record a protection period for `profile`. Refused (PeopleError, nothing saved) when it ends before it
    starts, the kind is unknown, or it overlaps a period already recorded for the person (two supervisors at
    once: the person's row is locked, so the second sees the first's period)."""
    if kind not in ProtectionKind.values:
        raise PeopleError(_("Choose the kind of protection period."))
    if starts_on is None or ends_on is None:
        raise PeopleError(_("Give the first and the last day of the protection period."))
    if ends_on < starts_on:
        raise PeopleError(
            _("The protection period ends (%(end)s) before it starts (%(start)s); nothing was saved.")
            % {"start": f"{starts_on:%Y-%m-%d}", "end": f"{ends_on:%Y-%m-%d}"}
        )
    Profile.objects.select_for_update().get(pk=profile.pk)
    clash = ProtectionPeriod.objects.filter(profile=profile, starts_on__lte=ends_on, ends_on__gte=starts_on).first()
    if clash is not None:
        raise PeopleError(
            _("%(name)s already has a protection period from %(start)s to %(end)s that overlaps these dates.")
            % {"name": profile.name, "start": f"{clash.starts_on:%Y-%m-%d}", "end": f"{clash.ends_on:%Y-%m-%d}"}
        )
    period = ProtectionPeriod.objects.create(
        profile=profile, kind=kind, starts_on=starts_on, ends_on=ends_on, recorded_by=actor
    )
    _record("people.protection", period, actor=actor, after=snapshot(period, AUDITED))
    return period


@transaction.atomic
def remove_protection(period_id: int, *, profile: Profile, actor: Profile) -> None:
    """Remove one of `profile`'s protection periods (recorded by mistake, or the dates changed: record it anew).
    A second click, or a period another person already removed, is told so and changes nothing."""
    period = ProtectionPeriod.objects.select_for_update().filter(pk=period_id, profile=profile).order_by().first()
    if period is None:
        raise PeopleError(_("This protection period was already removed; nothing was changed."))
    before = snapshot(period, AUDITED)
    _record("people.protection_remove", period, actor=actor, before=before)
    period.delete()


# What the audit trail keeps of a period: its kind and dates (who recorded it is the event's actor). The event is
# about the person only (refs.person), so the history shows it to them, their team's supervisors and managers, the
# same people who see the period on the person's page.
AUDITED = ("kind", "starts_on", "ends_on")


def _record(action: str, period: ProtectionPeriod, *, actor: Profile, before=None, after=None) -> None:
    record(
        action,
        actor=actor,
        target=period,
        team=period.profile.team_id,
        before=before,
        after=after,
        refs=[refs.person(period.profile)],
    )
