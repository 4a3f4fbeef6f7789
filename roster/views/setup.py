"""The supervisor's team settings: duty days, shifts, calendar corrections; and the team's declared availability."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dutydesk.months import next_month
from dutydesk.permissions import allow
from roster import queries, team_services
from roster.forms import CalendarOverrideForm, RosterSettingsForm, ShiftTypeForm
from roster.models import AvailabilityKind, CalendarOverride, ShiftType
from roster.views.common import month_nav
from workcalendar import queries as company_calendar


@allow("roster.edit", methods=("GET", "POST"))
def team_settings(request, team):
    settings = queries.settings_for(request.team)
    form = RosterSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        team_services.update_roster_settings(request.team, actor=request.profile, values=form.cleaned_data)
        messages.success(request, _("Settings saved. Rosters not yet published follow them."))
        return redirect("roster:settings", team=request.team.slug)
    today = timezone.localdate()
    return render(
        request,
        "roster/settings.html",
        {
            "team": request.team,
            "form": form,
            "shift_types": queries.shift_types_of(request.team),
            "overrides": queries.coming_overrides(request.team, today=today),
            "override_form": CalendarOverrideForm(),
            "next_month": next_month(today),
            # R-CAL-1: this year's and next year's holidays, and whether they are official yet.
            "provisional_years": company_calendar.provisional_years([today.year, today.year + 1]),
            "calendar_years": [today.year, today.year + 1],
        },
    )


@allow("roster.edit", methods=("GET", "POST"))
def shift_type_edit(request, team, shift_type=None):
    instance = get_object_or_404(ShiftType, pk=shift_type, team=request.team) if shift_type else None
    form = ShiftTypeForm(request.POST or None, instance=instance, team=request.team)
    gaps = []
    if request.method == "POST" and form.is_valid():
        skills = form.cleaned_data["required_skills"]
        # R-ROSTER-5: new skills under a published roster leave people on their shifts without them. Say who
        # before saving; saved anyway, the roster shows those shifts as problems until they are changed.
        if instance is not None:
            gaps = queries.skill_gaps(instance, skills, today=timezone.localdate())
        if gaps and not form.cleaned_data["accept_skill_gaps"]:
            form.ask_to_accept_skill_gaps()
        else:
            values = {k: v for k, v in form.cleaned_data.items() if k not in ("required_skills", "accept_skill_gaps")}
            team_services.save_shift_type(
                request.team, actor=request.profile, shift_type=instance, values=values, skills=skills
            )
            if gaps:
                people = sum(len(missing) for _shift, missing in gaps)
                messages.warning(
                    request,
                    ngettext(
                        "Shift saved. %(people)d person on %(shifts)d published shift lacks the new skills: the roster "
                        "shows it as a problem until it is changed.",
                        "Shift saved. %(people)d people on %(shifts)d published shifts lack the new skills: the roster "
                        "shows them as problems until they are changed.",
                        people,
                    )
                    % {"people": people, "shifts": len(gaps)},
                )
            else:
                messages.success(request, _("Shift saved."))
            return redirect("roster:settings", team=request.team.slug)
    return render(
        request, "roster/shift_type.html", {"team": request.team, "form": form, "shift_type": instance, "gaps": gaps}
    )


@allow("roster.edit", methods=("POST",))
def shift_type_remove(request, team, shift_type):
    instance = get_object_or_404(ShiftType, pk=shift_type, team=request.team)
    if team_services.remove_shift_type(instance, actor=request.profile):
        messages.success(request, _("Shift removed."))
    else:
        messages.info(request, _("This shift is in rosters already, so it was made inactive instead of removed."))
    return redirect("roster:settings", team=request.team.slug)


@allow("roster.edit", methods=("GET", "POST"))
def overrides(request, team):
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team_services.set_calendar_override(
            request.team,
            actor=request.profile,
            day=form.cleaned_data["date"],
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("Day saved."))
        return redirect("roster:settings", team=request.team.slug)
    today = timezone.localdate()
    return render(
        request,
        "roster/overrides.html",
        {
            "team": request.team,
            "form": form,
            "overrides": queries.coming_overrides(request.team, today=today),
        },
    )


@allow("roster.edit", methods=("POST",))
def override_remove(request, team, override):
    instance = get_object_or_404(CalendarOverride, pk=override, team=request.team)
    team_services.remove_calendar_override(instance, actor=request.profile)
    messages.success(request, _("Day removed; the calendar applies again."))
    return redirect("roster:settings", team=request.team.slug)


@allow("roster.edit", methods=("GET",))
def availability_overview(request, team, month):
    """Who declared what for the month's duty days, before the supervisor builds the roster."""
    days = [d.date for d in queries.duty_days(request.team, month)]
    staff = list(queries.duty_staff(request.team))
    wishes = {(a.profile_id, a.date): a for a in queries.declared_availability(staff, days)}
    rows = [{"profile": p, "cells": [wishes.get((p.id, d)) for d in days]} for p in staff]
    counts = {kind: sum(1 for w in wishes.values() if w.kind == kind) for kind in AvailabilityKind.values}
    return render(
        request,
        "roster/availability_all.html",
        {
            "team": request.team,
            "month": month,
            "days": days,
            "rows": rows,
            "counts": counts,
            "deadline": queries.availability_deadline(request.team, month),
            **month_nav(month),
        },
    )
