"""History pages: load the filters, ask queries.events_page, render. Nothing here writes."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from dutydesk.audit import queries, rules
from dutydesk.audit.forms import HistoryForm
from dutydesk.models import Profile, Team
from dutydesk.permissions import allow


def _page(request, form: HistoryForm, filters: dict, *, title: str, subtitle: str = ""):
    data = form.cleaned_data if form.is_valid() else {}
    result = queries.events_page(
        queries.Filters(
            action=data.get("action") or "",
            text=(data.get("text") or "").strip(),
            since=data.get("since"),
            until=data.get("until"),
            **filters,
        ),
        data.get("page") or 1,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/history.html",
        {"form": form, "title": title, "subtitle": subtitle, "query": query.urlencode(), **result},
    )


@allow("audit.mine", methods=("GET",))
def mine(request):
    """What concerns me: events that name me (a swap I am in, my scores, a reveal of my entry) or that I did."""
    form = HistoryForm(request.GET)
    return _page(request, form, {"concerning": request.profile.pk}, title=_("What concerns me"))


@allow("audit.team", methods=("GET",))
def team_history(request, team):
    """A team's history, narrowed to a person, a day or a roster (the links from a person's page and the roster's
    versions lead here)."""
    people = list(Profile.objects.filter(team=request.team).order_by("name").values_list("id", "name"))
    form = HistoryForm(request.GET, people=people)
    data = form.cleaned_data if form.is_valid() else {}
    refs, subtitle = [], request.team.name
    if data.get("person"):
        refs.append(rules.person(data["person"]))
        person = Profile.objects.filter(pk=data["person"]).only("name").first()
        subtitle = _("%(team)s · person: %(name)s") % {
            "team": request.team.name,
            "name": person.name if person else "—",
        }
    if data.get("day"):
        refs.append(rules.day(data["day"]))
        subtitle = _("%(team)s · day: %(day)s") % {"team": request.team.name, "day": data["day"].isoformat()}
    if data.get("roster"):
        refs.append(rules.roster(data["roster"]))
        subtitle = _("%(team)s · roster") % {"team": request.team.name}
    return _page(
        request, form, {"team_ids": (request.team.pk,), "refs": tuple(refs)}, title=_("History"), subtitle=subtitle
    )


@allow("audit.search", methods=("GET",))
def search(request):
    """The manager's search over every team's history."""
    choices = list(Team.objects.order_by("name").values_list("id", "name"))
    form = HistoryForm(request.GET, team_choices=choices)
    data = form.cleaned_data if form.is_valid() else {}
    team_ids = (data["team"],) if data.get("team") else None
    return _page(request, form, {"team_ids": team_ids}, title=_("Audit search"))
