"""What everyone may read: the team's months, the published roster, the per-day view, versions, print, Excel."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dutydesk.months import month_start, next_month
from dutydesk.permissions import allow
from roster import exports, queries, rules, services
from roster import instance as plain
from roster.models import Roster
from roster.permissions import can_confirm, can_edit_roster, follows_confirmations, may_see_protection
from roster.views import grid as grids
from roster.views.common import month_nav, roster_or_none, version_by_number, version_grid


@allow("roster.view", methods=("GET",))
def index(request, team):
    today = timezone.localdate()
    rosters = Roster.objects.filter(team=request.team).select_related("published_version").order_by("-month")
    coming = next_month(today)
    settings = queries.settings_for(request.team)
    return render(
        request,
        "roster/index.html",
        {
            "team": request.team,
            "rosters": rosters[:24],
            "this_month": month_start(today),
            "next_month": coming,
            "deadline": rules.publish_deadline(coming, settings.publish_days_ahead),
            "can_edit": can_edit_roster(request.profile, request.team),
        },
    )


@allow("roster.view", methods=("GET",))
def month_view(request, team, month):
    roster = roster_or_none(request.team, month)
    version = roster.published_version if roster else None
    context = {
        "team": request.team,
        "month": month,
        "roster": roster,
        "version": version,
        "can_edit": can_edit_roster(request.profile, request.team),
        **month_nav(month),
    }
    if version is not None:
        _instance, _assignments, grid = version_grid(
            roster, version, viewer=request.profile.id, private=may_see_protection(request.profile, request.team)
        )
        context["grid"] = grid
        if can_confirm(request.profile, request.team):
            context["may_confirm"] = True
            context["confirmed"] = queries.has_confirmed(version, request.profile)
        if follows_confirmations(request.profile):
            context["unconfirmed"] = queries.unconfirmed(version)
            context["leaver_shifts"] = queries.leaver_shifts(version)
    if roster is not None and context["can_edit"]:
        context["draft"] = queries.draft_of(roster)
        # R-CAL-2: the supervisor sees that the holiday calendar changed after this version was published.
        context["calendar_changed"] = (
            queries.calendar_changed_since_publication(roster) and not queries.calendar_impact(roster).empty
        )
    year = queries.provisional_year(roster, month)
    context["provisional_years"] = [year] if year else []
    return render(request, "roster/month.html", context)


@allow("roster.view", methods=("GET",))
def by_day(request, team, month):
    """Each duty day with each shift's people; the draft for a supervisor who asks for it (?draft=1)."""
    roster = roster_or_none(request.team, month)
    version = roster.published_version if roster else None
    showing_draft = False
    if roster is not None and request.GET.get("draft") and can_edit_roster(request.profile, request.team):
        draft = queries.draft_of(roster)
        if draft is not None:
            version, showing_draft = draft, True
    days = []
    if version is not None:
        instance = queries.solver_instance(roster)
        assignments = queries.plain_assignments(version)
        coverage = services.rules.shift_coverage(instance, assignments)
        for day in instance.days:
            shifts = []
            for shift in day.shifts:
                people = sorted(
                    (a for a in assignments if a.date == day.date and a.shift == shift.key),
                    key=lambda a: (
                        a.role != plain.ROLE_PRIMARY,
                        a.role == plain.ROLE_SHADOW,
                        instance.agents_by_id[a.agent].name if a.agent in instance.agents_by_id else "",
                    ),
                )
                counted, needed = coverage[(day.date, shift.key)]
                shifts.append(
                    {
                        "shift": shift,
                        "counted": counted,
                        "needed": needed,
                        "people": [
                            {
                                "name": instance.agents_by_id[a.agent].name
                                if a.agent in instance.agents_by_id
                                else str(a.agent),
                                "role": grids.role_suffix(a.role),
                            }
                            for a in people
                        ],
                    }
                )
            days.append({"day": day, "shifts": shifts})
    return render(
        request,
        "roster/days.html",
        {
            "team": request.team,
            "month": month,
            "roster": roster,
            "version": version,
            "days": days,
            "showing_draft": showing_draft,
            **month_nav(month),
        },
    )


@allow("roster.view", methods=("GET",))
def versions(request, team, month):
    """Every version of the month, and the comparison of two (removed and added shifts per person)."""
    roster = roster_or_none(request.team, month)
    published = list(queries.published_versions(roster)) if roster else []
    comparison = None
    old = new = None
    if len(published) >= 2 or (request.GET.get("old") and request.GET.get("new")):
        if request.GET.get("old") and request.GET.get("new"):
            old = version_by_number(roster, request.GET["old"])
            new = version_by_number(roster, request.GET["new"])
        else:
            new, old = published[0], published[1]
        comparison = _comparison(roster, old, new)
    return render(
        request,
        "roster/versions.html",
        {
            "team": request.team,
            "month": month,
            "roster": roster,
            "versions": published,
            "old": old,
            "new": new,
            "comparison": comparison,
            **month_nav(month),
        },
    )


def _comparison(roster, old, new) -> list[dict]:
    removed, added = services.compare_versions(old, new)
    instance = queries.solver_instance(roster)
    names = {(d.date, s.key): s.name for d in instance.days for s in d.shifts}
    people: dict[int, dict] = {}
    for kind, rows in (("removed", removed), ("added", added)):
        for profile_id, day, key, role in sorted(rows, key=lambda r: (r[1], r[2])):
            agent = instance.agents_by_id.get(profile_id)
            entry = people.setdefault(
                profile_id, {"name": agent.name if agent else str(profile_id), "removed": [], "added": []}
            )
            suffix = grids.role_suffix(role)
            entry[kind].append(f"{day:%m-%d} {names.get((day, key), key)}{' ' + suffix if suffix else ''}")
    return sorted(people.values(), key=lambda p: p["name"])


@allow("roster.view", methods=("GET",))
def print_view(request, team, month):
    roster = roster_or_none(request.team, month)
    version = roster.published_version if roster else None
    grid = version_grid(roster, version, viewer=request.profile.id)[2] if version else None
    return render(
        request,
        "roster/print.html",
        {"team": request.team, "month": month, "roster": roster, "version": version, "grid": grid},
    )


@allow("roster.view", methods=("GET",))
def excel(request, team, month):
    """The month in the usual layout: names down, dates across (the published version)."""
    roster = roster_or_none(request.team, month)
    version = roster.published_version if roster else None
    if version is None:
        instance, assignments = None, []
    else:
        instance, assignments, _grid = version_grid(roster, version)
    content = exports.month_workbook(request.team, month, instance, assignments, version)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{request.team.slug}-{month:%Y-%m}.xlsx"'
    return response
