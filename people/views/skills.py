"""Skills: the company's skills with their display names, and each team's matrix (people down, skills across),
toggled in place with htmx; buttons, so Tab, Space and Enter work, and arrows move between cells (people.js)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dutydesk.models import Skill
from dutydesk.permissions import allow
from people import queries
from people.forms import RenameSkillForm, SkillForm
from people.services import members as services
from people.views.common import person_or_404, run, search_term


@allow("people.manage", methods=("GET",))
def matrix(request, team):
    search = search_term(request)
    page = Paginator(queries.matrix_people(request.team, search=search), 50).get_page(request.GET.get("page"))
    skills = queries.company_skills()
    rows = []
    for profile in page:
        held = {s.pk for s in profile.skills.all()}
        rows.append({"profile": profile, "cells": [(skill, skill.pk in held) for skill in skills]})
    return render(
        request,
        "people/matrix.html",
        {"team": request.team, "page": page, "skills": skills, "rows": rows, "search": search},
    )


@allow("people.manage", methods=("POST",))
def toggle(request, team, person, skill):
    profile = person_or_404(request, person)
    skill = get_object_or_404(Skill, pk=skill)
    if request.POST.get("held") not in ("0", "1"):
        return HttpResponseBadRequest(_("Say whether the skill is held."))
    held = request.POST["held"] == "1"
    services.set_skill(profile, skill, actor=request.profile, held=held)
    if request.headers.get("HX-Request"):
        return render(
            request, "people/_skill_cell.html", {"team": request.team, "profile": profile, "skill": skill, "held": held}
        )
    messages.success(request, _("Saved."))
    return redirect("people:matrix", team=request.team.slug)


@allow("people.skills", methods=("GET", "POST"))
def company_skills(request):
    form = SkillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, skill = run(
            request,
            lambda: services.add_skill(
                actor=request.profile, name=form.cleaned_data["name"], code=form.cleaned_data["code"]
            ),
        )
        if ok:
            messages.success(
                request, _("The skill %(name)s was added; shifts can require it now.") % {"name": skill.name}
            )
            return redirect("people:skills")
    return render(
        request,
        "people/skills.html",
        {"skills": queries.skills_with_use(), "form": form, "rename_form": RenameSkillForm()},
        status=400 if form.is_bound else 200,
    )


@allow("people.skills", methods=("POST",))
def rename(request, skill):
    skill = get_object_or_404(Skill, pk=skill)
    form = RenameSkillForm(request.POST)
    if form.is_valid():
        run(
            request,
            lambda: services.rename_skill(skill, actor=request.profile, name=form.cleaned_data["name"]),
            _("Renamed to %(name)s.") % {"name": form.cleaned_data["name"]},
        )
    else:
        messages.error(request, _("Give the skill a name."))
    return redirect("people:skills")


@allow("people.skills", methods=("POST",))
def remove(request, skill):
    skill = get_object_or_404(Skill, pk=skill)
    name = skill.name
    run(
        request,
        lambda: services.remove_skill(skill, actor=request.profile),
        _("The skill %(name)s was removed.") % {"name": name},
    )
    return redirect("people:skills")
