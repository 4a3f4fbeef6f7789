"""Sign-in pages: a message's link that opens a page signed in (免登), the supervisor's linked accounts, the
manager's providers and password policy."""

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.constants import AuthProcess
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from dutydesk.models import Profile
from dutydesk.permissions import allow
from dutydesk.redirects import safe_next
from dutydesk.sso import connection, oauth, queries, services
from dutydesk.sso.adapter import refusal_page
from dutydesk.sso.forms import LinkForm, PasswordPolicyForm, ProviderSettingsForm
from dutydesk.sso.models import MESSAGING, Provider

PAGE_SIZE = 50


@never_cache
@login_not_required
def open_link(request, provider):
    """A personal message's link: open `next` signed in. Already signed in: straight there. Otherwise through the
    chat app's own sign-in, which inside the app answers at once (免登), then on to the page."""
    target = safe_next(request, "/")
    if request.user.is_authenticated:
        return redirect(target)
    if provider not in (Provider.WECOM, Provider.DINGTALK, Provider.FEISHU):
        raise Http404
    try:
        chosen = get_adapter(request).get_provider(request, provider)
    except SocialApp.DoesNotExist:
        # The provider was turned off since the message was sent: the login page, then the page.
        return redirect(f"{_login_url()}?next={target}")
    # The provider's authorise page inside the chat app: the in-app address for WeCom (oauth.IN_APP).
    request.GET = request.GET.copy()
    request.GET[oauth.IN_APP] = "1"
    return chosen.redirect(request, AuthProcess.LOGIN, next_url=target)


def _login_url():
    from django.urls import reverse

    return reverse("login")


@never_cache
@login_not_required
def inactive(request):
    # allauth's name for an account that may not sign in (closed on the leaving date).
    return refusal_page(request, reason="left")


@allow("sso.identities", methods=("GET",))
def identities(request, team):
    page = Paginator(queries.team_identities(request.team), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "sso/identities.html",
        {
            "team": request.team,
            "page": page,
            "form": LinkForm(),
            "events": queries.recent_link_events(request.team),
        },
    )


@allow("sso.identities", methods=("POST",))
def link(request, team, person):
    profile = get_object_or_404(Profile, pk=person, team=request.team)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the provider and enter the user id there."))
    else:
        try:
            services.link_by_supervisor(
                profile, provider=form.cleaned_data["provider"], uid=form.cleaned_data["uid"], actor=request.profile
            )
        except services.SsoError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s can now sign in with it.") % {"name": profile.name})
    return redirect("sso:identities", team=request.team.slug)


@allow("sso.identities", methods=("GET", "POST"))
def unlink(request, team, account):
    row = queries.linked_account_of_team(request.team, account)
    if row is None:
        if request.method == "POST":
            messages.info(request, _("This identity was unlinked already."))
            return redirect("sso:identities", team=request.team.slug)
        raise Http404
    if request.method == "POST":
        try:
            services.unlink_identity(row, actor=request.profile)
        except services.SsoError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, _("Unlinked: it signs nobody in until linked again."))
        return redirect("sso:identities", team=request.team.slug)
    return render(request, "sso/unlink_confirm.html", {"team": request.team, "account": row})


@allow("sso.providers", methods=("GET", "POST"))
def providers(request):
    # An unticked box posts nothing: a POST is a bound form even when empty.
    form = PasswordPolicyForm(
        request.POST if request.method == "POST" else None, initial={"passwords_allowed": queries.passwords_allowed()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_passwords_allowed(allowed=form.cleaned_data["passwords_allowed"], editor=request.profile)
        except services.SsoError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The password rule is saved."))
        return redirect("sso:providers")
    rows = [(Provider(p), row, queries.provider_installed(p)) for p, row in queries.all_provider_settings().items()]
    return render(request, "sso/providers.html", {"rows": rows, "form": form})


@allow("sso.providers", methods=("GET", "POST"))
def provider_edit(request, provider):
    if provider not in Provider.values:
        raise Http404
    row = queries.provider_settings(provider)
    if not queries.provider_installed(provider):
        # No form to fill in for nothing: the page says what the server lacks (rules.provider_installed).
        if request.method == "POST":
            messages.error(request, connection.LDAP_NOT_INSTALLED)
            return redirect("sso:provider", provider=provider)
        return render(
            request,
            "sso/provider_form.html",
            {"provider": Provider(provider), "row": row, "not_installed": connection.LDAP_NOT_INSTALLED},
        )
    initial = {}
    if row is not None:
        initial = {
            field: getattr(row, field)
            for field in (
                "enabled",
                "corp_id",
                "agent_id",
                "app_key",
                "secret_env",
                "server_url",
                "search_base",
                "login_attribute",
                "messaging",
                "messages_per_minute",
            )
        }
    form = ProviderSettingsForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        provider=provider,
        has_secret=bool(row and row.has_secret),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_provider_settings(
                provider=provider,
                editor=request.profile,
                values=form.values(),
                secret=form.cleaned_data["secret"] or None,
            )
        except services.SsoError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(provider)s is saved.") % {"provider": Provider(provider).label})
        return redirect("sso:provider", provider=provider)
    return render(
        request,
        "sso/provider_form.html",
        {
            "form": form,
            "provider": Provider(provider),
            "row": row,
            "callback": _callback_path(provider),
            "workbench": _workbench_path(provider),
        },
    )


@allow("sso.providers", methods=("POST",))
def provider_test(request, provider):
    row = queries.provider_settings(provider)
    if row is None:
        messages.error(request, _("Save the settings first."))
    else:
        try:
            services.test_connection(row)
        except services.SsoError as error:
            messages.error(request, _("The test failed: %(error)s") % {"error": error})
        else:
            messages.success(request, _("The provider answered: these settings work."))
    return redirect("sso:provider", provider=provider)


def _workbench_path(provider: str) -> str:
    """The app's home page in the chat app's workbench: open_link, which signs in through the in-app authorise
    address at once (免登) and then shows the home page. The site's root would show the login page's QR code."""
    from django.urls import reverse

    return reverse("sso:open", kwargs={"provider": provider}) if provider in MESSAGING else ""


def _callback_path(provider: str) -> str:
    """The callback address to register in the provider's console (README: Sign-in providers)."""
    from django.urls import reverse

    if provider == Provider.OIDC:
        return reverse("openid_connect_callback", kwargs={"provider_id": Provider.OIDC})
    if provider == Provider.LDAP:
        return ""
    return reverse(f"{provider}_callback")
