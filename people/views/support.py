"""求助通讯录 (R-TRAIN-2): the team's support directory, kept by the supervisor, read by everyone of the team (and
shown on the duty page during a shift)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dutydesk.permissions import allow
from people import queries
from people.forms import SupportContactForm
from people.models import SupportContact
from people.permissions import may_edit_support
from people.services import support as services
from people.views.common import run


@allow("people.support", methods=("GET",))
def directory(request, team):
    return render(
        request,
        "people/support.html",
        {
            "team": request.team,
            "contacts": queries.support_directory(request.team),
            "may_edit": may_edit_support(request.profile),
        },
    )


@allow("people.support_edit", methods=("GET", "POST"))
def contact_edit(request, team, contact=None):
    existing = get_object_or_404(SupportContact, pk=contact, team=request.team) if contact else None
    form = SupportContactForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.CONTACT_FIELDS}
        ok, saved = run(
            request,
            lambda: services.save_contact(team=request.team, actor=request.profile, values=values, contact=existing),
        )
        if ok:
            messages.success(request, _("%(name)s was saved.") % {"name": saved.name})
            return redirect("people:support", team=request.team.slug)
    return render(
        request,
        "people/contact_form.html",
        {"team": request.team, "form": form, "contact": existing},
        status=400 if form.is_bound else 200,
    )


@allow("people.support_edit", methods=("POST",))
def contact_remove(request, team, contact):
    contact = get_object_or_404(SupportContact, pk=contact, team=request.team)
    run(
        request,
        lambda: services.remove_contact(contact, actor=request.profile),
        _("%(name)s was removed from the directory.") % {"name": contact.name},
    )
    return redirect("people:support", team=request.team.slug)
