"""A person's protection periods (R-LAW-4): recorded and removed on the person's page by their supervisor or a
manager; no one else sees them (the person sees their own on 我的培训与保护 / people:mine)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from dutydesk.permissions import allow
from people.forms import ProtectionForm
from people.services import protection as services
from people.views.common import person_or_404, run


def _back(request, profile):
    return redirect(reverse("people:person", kwargs={"team": request.team.slug, "person": profile.pk}) + "#protection")


@allow("people.protect", methods=("POST",))
def protection_add(request, team, person):
    profile = person_or_404(request, person)
    form = ProtectionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(request, profile)
    data = form.cleaned_data
    run(
        request,
        lambda: services.record_protection(
            profile, actor=request.profile, kind=data["kind"], starts_on=data["starts_on"], ends_on=data["ends_on"]
        ),
        _(
            "Protection period recorded: %(name)s is not offered night shifts or rest-day and holiday duty in it. "
            "A published roster with such a shift shows it as a problem until it is revised."
        )
        % {"name": profile.name},
    )
    return _back(request, profile)


@allow("people.protect", methods=("POST",))
def protection_remove(request, team, person, period):
    profile = person_or_404(request, person)
    run(
        request,
        lambda: services.remove_protection(period, profile=profile, actor=request.profile),
        _("Protection period removed."),
    )
    return _back(request, profile)
