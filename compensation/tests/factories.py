"""Compensation's own test data, with the ORM: holiday overrides, absences and comp-time ledger lines, for exact and
fast tests. Shifts, attendance (testdata.worked), dates and published rosters: testdata."""

from datetime import date
from decimal import Decimal

from compensation.models import CompTimeEntry, EntryKind
from logbook.models import DisciplineKind, DisciplineRecord
from roster.models import CalendarOverride, DutyShift


def holiday_override(team, day: date) -> CalendarOverride:
    return CalendarOverride.objects.update_or_create(team=team, date=day, defaults={"kind": "holiday"})[0]


def absent(shift: DutyShift, profile) -> DisciplineRecord:
    return DisciplineRecord.objects.create(
        profile=profile, kind=DisciplineKind.ABSENCE, date=shift.date, duty_shift=shift, note="未签到"
    )


def earned(profile, shift: DutyShift, hours, *, expires_on: date | None = None) -> CompTimeEntry:
    return CompTimeEntry.objects.create(
        profile=profile,
        team=shift.team,
        kind=EntryKind.EARNED,
        hours=Decimal(str(hours)),
        on=shift.date,
        expires_on=expires_on,
        duty_shift=shift,
    )
