"""The token pages (issue 25 item 2): one's own personal tokens; a manager's company service tokens. A new token is
shown once, on the page that answers its creation; the list shows its first characters only. The webhook pages
(item 4): a manager's endpoints, each with its delivery log; a secret is shown once, when made or replaced."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from api import queries, services
from api import webhooks as webhooks_services
from api.forms import PersonalTokenForm, ServiceTokenForm, WebhookEndpointForm
from api.models import Scope
from dutydesk.permissions import allow, can

DELIVERIES_PER_PAGE = 25


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
            "may_webhooks": can(request.user, "api.webhooks"),
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


# --- outgoing webhooks (issue 25 item 4): the company's endpoints, a manager's ------------------------------------


def _webhooks_page(request, *, form=None, created=None, status=200):
    return render(
        request,
        "api/webhooks.html",
        {
            "endpoints": queries.webhook_endpoints(),
            "form": form or WebhookEndpointForm(),
            "created": created,
        },
        status=status,
    )


def _endpoint_or_404(endpoint_id: int):
    endpoint = queries.webhook_endpoint(endpoint_id)
    if endpoint is None:
        raise Http404
    return endpoint


@allow("api.webhooks", methods=("GET",))
def webhooks(request):
    return _webhooks_page(request)


@allow("api.webhooks", methods=("POST",))
def create_webhook(request):
    form = WebhookEndpointForm(request.POST)
    if not form.is_valid():
        return _webhooks_page(request, form=form, status=400)
    try:
        created = webhooks_services.register_endpoint(
            actor=request.profile,
            name=form.cleaned_data["name"],
            url=form.cleaned_data["url"],
            chosen_events=form.cleaned_data["events"],
            team=form.cleaned_data["team"],
        )
    except webhooks_services.WebhookError as error:
        form.add_error(None, str(error))
        return _webhooks_page(request, form=form, status=400)
    return _webhooks_page(request, created=created)


def _log_page(request, endpoint, *, rotated=None):
    page = Paginator(queries.deliveries_of(endpoint), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "api/webhook_log.html",
        {"endpoint": endpoint, "page": page, "rotated": rotated},
    )


@allow("api.webhooks", methods=("GET",))
def webhook_log(request, endpoint_id):
    return _log_page(request, _endpoint_or_404(endpoint_id))


@allow("api.webhooks", methods=("POST",))
def rotate_webhook_secret(request, endpoint_id):
    endpoint = _endpoint_or_404(endpoint_id)
    rotated = webhooks_services.rotate_secret(endpoint, actor=request.profile)
    return _log_page(request, rotated.endpoint, rotated=rotated)


@allow("api.webhooks", methods=("POST",))
def delete_webhook(request, endpoint_id):
    endpoint = queries.webhook_endpoint(endpoint_id)
    if endpoint is None or not webhooks_services.delete_endpoint(endpoint, actor=request.profile):
        messages.info(request, _("That endpoint was already deleted."))
    else:
        messages.success(
            request, _("The endpoint %(name)s is deleted: nothing more is sent to it.") % {"name": endpoint.name}
        )
    return redirect("api:webhooks")


@allow("api.webhooks", methods=("POST",))
def resend_delivery(request, endpoint_id, delivery_id):
    endpoint = _endpoint_or_404(endpoint_id)
    delivery = queries.delivery_of(endpoint, delivery_id)
    if delivery is None:
        raise Http404
    if webhooks_services.resend_delivery(delivery, actor=request.profile):
        messages.success(request, _("The delivery is queued to be sent again, with the same delivery id."))
    else:
        messages.info(request, _("This delivery is already waiting to be sent; nothing was changed."))
    page = request.POST.get("page", "")
    return redirect(reverse("api:webhook-log", args=[endpoint.pk]) + (f"?page={page}" if page.isdigit() else ""))
