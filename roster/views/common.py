"""What several roster views share: loading the month and the version shown."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404

from dutydesk.months import next_month, previous_month
from roster import queries
from roster.models import Roster, RosterVersion
from roster.views import grid as grids


def roster_or_none(team, month: date) -> Roster | None:
    return queries.roster_for(team, month)


def roster_or_404(team, month: date) -> Roster:
    return get_object_or_404(Roster.objects.select_related("published_version", "team"), team=team, month=month)


def version_grid(roster: Roster, version: RosterVersion | None, *, viewer: int | None = None, private: bool = False):
    """(plain instance, plain assignments, grid) of `version` (None: an empty roster of the month); `viewer`'s row
    is marked as theirs. `private`: the reader may see protection periods (grids.build)."""
    instance, assignments = queries.month_data(roster, version.pk if version is not None else None)
    return instance, assignments, grids.build(instance, assignments, viewer=viewer, private=private)


def version_by_number(roster: Roster | None, number) -> RosterVersion:
    if roster is None:
        raise Http404  # a month with no roster has no versions to compare
    try:
        return roster.versions.get(number=int(number), published_at__isnull=False)
    except (TypeError, ValueError, RosterVersion.DoesNotExist):
        raise Http404 from None


def month_nav(month: date) -> dict:
    return {"previous_month": previous_month(month), "next_month": next_month(month)}
