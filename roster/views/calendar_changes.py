"""After a change of the company holiday calendar (R-CAL-2): what it changed in the team's published rosters, and
the one click that starts the revision of a month."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dutydesk.permissions import allow
from roster import calendar_services, queries
from roster.services import RosterError
from roster.views.common import roster_or_404


@allow("roster.edit", methods=("GET",))
def calendar_changes(request, team):
    impacts = [
        {
            "roster": roster,
            "impact": impact,
            "lines": calendar_services.impact_lines(impact),
            "revising": queries.draft_of(roster) is not None,
        }
        for roster, impact in queries.calendar_impacts(request.team)
    ]
    return render(request, "roster/calendar_changes.html", {"team": request.team, "impacts": impacts})


@allow("roster.edit", methods=("POST",))
def calendar_revision(request, team, month):
    roster = roster_or_404(request.team, month)
    try:
        _draft, removed = calendar_services.start_calendar_revision(roster, actor=request.profile)
    except RosterError as error:
        messages.error(request, str(error))
        return redirect("roster:calendar-changes", team=request.team.slug)
    messages.info(
        request,
        _(
            "Revision started with the month laid out from the new holiday calendar (%(removed)s shift assignment(s) "
            "on dates that are no longer duty days were taken out). Check the cells, then publish with a reason."
        )
        % {"removed": removed},
    )
    return redirect("roster:draft", team=request.team.slug, month=f"{month:%Y-%m}")
