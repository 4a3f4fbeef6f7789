"""The token pages (issue 25 item 2): one's own personal tokens; a manager's company service tokens. A new token is
shown once, on the page that answers its creation; the list shows its first characters only."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from api import queries, services
from api.forms import PersonalTokenForm, ServiceTokenForm
from api.models import Scope
from dutydesk.permissions import allow, can


def _page(request, *, personal_form=None, service_form=None, created=None, status=200):
    may_service = can(request.user, "api.service_tokens")
    return render(
        request,
        "api/tokens.html",
        {
            "personal": queries.personal_tokens(request.profile),
            "service": queries.service_tokens() if may_service else None,
            "personal_form": personal_form or PersonalTokenForm(),
            "service_form": (service_form or ServiceTokenForm()) if may_service else None,
            "created": created,
            "scope_labels": dict(Scope.choices),
        },
        status=status,
    )


@allow("api.tokens", methods=("GET",))
def tokens(request):
    return _page(request)


@allow("api.tokens", methods=("POST",))
def create_token(request):
    form = PersonalTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, personal_form=form, status=400)
    try:
        created = services.create_personal_token(actor=request.profile, name=form.cleaned_data["name"])
    except services.TokenError as error:
        form.add_error("name", str(error))
        return _page(request, personal_form=form, status=400)
    return _page(request, created=created)


@allow("api.service_tokens", methods=("POST",))
def create_service_token(request):
    form = ServiceTokenForm(request.POST)
    if not form.is_valid():
        return _page(request, service_form=form, status=400)
    try:
        created = services.create_service_token(
            actor=request.profile,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            team=form.cleaned_data["team"],
        )
    except services.TokenError as error:
        form.add_error(None, str(error))
        return _page(request, service_form=form, status=400)
    return _page(request, created=created)


@allow("api.tokens", methods=("POST",))
def revoke_token(request, token_id):
    token = queries.token_by_id(token_id)
    if token is None:
        raise Http404
    try:
        changed = services.revoke_token(token, actor=request.profile)
    except services.TokenError:
        raise Http404 from None  # another person's token: as if it did not exist
    if changed:
        messages.success(request, _("The token %(name)s is revoked: it no longer works.") % {"name": token.name})
    else:
        messages.info(request, _("The token %(name)s was already revoked.") % {"name": token.name})
    return redirect("api:tokens")
