"""An agent's own roster: next shifts, availability for a coming month, confirming a roster, the calendar feed."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dutydesk.months import month_start, next_month
from dutydesk.permissions import allow
from roster import exports, queries, services, team_services
from roster.forms import AvailabilityForm
from roster.messages import explain_wish
from roster.permissions import can_confirm
from roster.services import RosterError
from roster.views.common import month_nav
from workcalendar import queries as company_calendar


@allow("roster.mine", methods=("GET",))
def my_shifts(request):
    today = timezone.localdate()
    profile = request.profile
    feed = team_services.calendar_feed_for(profile)
    coming = next_month(today)
    shifts = queries.upcoming_with_teammates(profile, start=today)
    return render(
        request,
        "roster/mine.html",
        {
            "profile": profile,
            "shifts": shifts,
            # R-CAL-1: the years of these shifts whose holidays are not yet official.
            "provisional_years": company_calendar.provisional_years({a.date.year for a, _others in shifts}),
            "feed_url": request.build_absolute_uri(reverse("roster:feed", kwargs={"token": feed.token})),
            "next_month": coming,
            "this_month": month_start(today),
            "availability_deadline": (queries.availability_deadline(profile.team, coming) if profile.team else None),
            "pending": queries.rosters_to_confirm(profile, today=today),
        },
    )


@allow("roster.mine", methods=("POST",))
def reset_feed(request):
    team_services.reset_calendar_feed(request.profile)
    messages.success(
        request,
        _("Your calendar address was reset. Subscribe again with the new address; the old one no longer works."),
    )
    return redirect("roster:mine")


@never_cache
def feed(request, token):
    """Public by design: the secret token in the address is the credential (calendar apps cannot log in)."""
    profile = queries.feed_owner(token)
    if profile is None:
        raise Http404
    start = exports.feed_window(timezone.localdate())
    shifts = list(queries.shifts_of(profile, start=start))
    teammates = queries.teammates_on((s.duty_shift_id for s in shifts), besides=profile)
    history = queries.feed_history(profile, start=start)
    cancelled = queries.shifts_by_id([entry.shift_id for entry in history.values() if entry.cancelled])
    response = HttpResponse(
        exports.calendar_feed(profile, shifts, teammates=teammates, history=history, cancelled=cancelled),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="dutydesk.ics"'
    return response


@allow("roster.mine", methods=("POST",))
def acknowledge(request, month):
    """One click: the person confirms having seen the version in force of their team's month."""
    team = request.profile.team
    roster = queries.roster_for(team, month)
    if roster is None or roster.published_version is None or not can_confirm(request.profile, team):
        messages.error(request, _("There is no published roster for you to confirm."))
        return redirect("roster:mine")
    try:
        first = services.acknowledge_roster(roster.published_version, profile=request.profile)
    except RosterError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Thank you: you confirmed version %(number)s of the roster.")
            % {"number": roster.published_version.number}
            if first
            else _("You had already confirmed this roster."),
        )
    return redirect("roster:month", team=team.slug, month=f"{month:%Y-%m}")


@allow("roster.mine", methods=("GET", "POST"))
def availability(request, month):
    """Mark the days of a coming month one cannot work or would like to; read-only after the deadline."""
    profile = request.profile
    request.team = profile.team  # one declares availability in one's own team only
    today = timezone.localdate()
    deadline = queries.availability_deadline(request.team, month)
    closed = today > deadline
    days = [d.date for d in queries.duty_days(request.team, month)]
    current = {a.date: (a.kind, a.note) for a in queries.declared_availability([profile], days)}
    window = queries.wish_window_of(request.team, month, today=today)
    form = AvailabilityForm(
        request.POST or None,
        days=days,
        initial_values=current,
        disabled=closed,
        shift_types=queries.shift_types_of(request.team).filter(active=True).order_by("order", "start"),
        shift_wishes=queries.shift_wishes_of(profile, month),
        wishes_disabled=window["state"] != "open",
    )
    if request.method == "POST":
        if closed:
            messages.error(
                request,
                _("Availability for %(month)s closed on %(deadline)s; ask your supervisor for a change.")
                % {"month": f"{month:%Y-%m}", "deadline": deadline},
            )
            return redirect("roster:availability", month=f"{month:%Y-%m}")
        if form.is_valid():
            try:
                count = team_services.set_availability(
                    profile,
                    month,
                    form.entries(),
                    today=today,
                    shift_wishes=form.shift_wishes() if window["state"] == "open" else None,
                )
            except RosterError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Saved: %(count)s day(s) with a wish.") % {"count": count})
                return redirect("roster:availability", month=f"{month:%Y-%m}")
    return render(
        request,
        "roster/availability.html",
        {
            "team": request.team,
            "month": month,
            "form": form,
            "closed": closed,
            "deadline": deadline,
            "window": window,
            "outcomes": _my_wish_outcomes(request.team, month, profile),
            **month_nav(month),
        },
    )


def _my_wish_outcomes(team, month, profile) -> list[str]:
    """Once the month is published: each of the person's wished days off, granted or why not (issue 26)."""
    found = queries.wish_outcomes_for(team, month)
    if found is None:
        return []
    _instance, outcomes = found
    return [explain_wish(o) for o in outcomes if o.agent == profile.id]
