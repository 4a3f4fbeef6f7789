"""What several roster views share: loading the month and the version shown."""

from __future__ import annotations

from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import get_object_or_404

from roster import queries
from roster.models import Roster, RosterVersion
from roster.views import grid as grids


def roster_or_none(team, month: date) -> Roster | None:
    return queries.roster_for(team, month)


def roster_or_404(team, month: date) -> Roster:
    return get_object_or_404(Roster.objects.select_related("published_version", "team"), team=team, month=month)


def version_grid(roster: Roster, version: RosterVersion | None, *, viewer: int | None = None):
    """(plain instance, plain assignments, grid) of `version` (None: an empty roster of the month); `viewer`'s row
    is marked as theirs."""
    instance, assignments = queries.month_data(roster, version.pk if version is not None else None)
    return instance, assignments, grids.build(instance, assignments, viewer=viewer)


def version_by_number(roster: Roster, number) -> RosterVersion:
    try:
        return roster.versions.get(number=int(number), published_at__isnull=False)
    except (TypeError, ValueError, RosterVersion.DoesNotExist):
        raise Http404 from None


def month_nav(month: date) -> dict:
    previous = (month.replace(day=1) - timedelta(days=1)).replace(day=1)
    return {"previous_month": previous, "next_month": queries.next_month(month)}
