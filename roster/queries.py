"""Reads of the roster that other apps use: who holds which shift in the version in force."""

from datetime import date

from django.db.models import F, QuerySet

from roster.models import Assignment, DutyShift, Roster


def published_assignments() -> QuerySet[Assignment]:
    """Assignments of the published version in force of every roster (R-ROSTER-9: the latest version)."""
    return Assignment.objects.filter(version=F("version__roster__published_version")).select_related(
        "duty_shift__shift_type", "profile"
    )


def shifts_of(profile, *, start: date, end: date | None = None) -> QuerySet[Assignment]:
    """A person's published assignments from `start` (inclusive) to `end` (inclusive), in time order."""
    assignments = published_assignments().filter(profile=profile, date__gte=start)
    if end is not None:
        assignments = assignments.filter(date__lte=end)
    return assignments.order_by("duty_shift__starts_at")


def holders(duty_shift: DutyShift) -> QuerySet[Assignment]:
    """Who holds a duty shift in the published version in force (shadows included, with their role)."""
    return published_assignments().filter(duty_shift=duty_shift).order_by("role", "profile__name")


def roster_for(team, month: date) -> Roster | None:
    return Roster.objects.filter(team=team, month=month.replace(day=1)).select_related("published_version").first()
