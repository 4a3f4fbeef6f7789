"""dutydesk's allauth adapters: nobody signs up; an identity signs in its linked person, or is linked to one HR
imported (rules.match), or is refused with a page that says who to ask. Errors of the provider (a forged or
replayed state, a refused code, a provider that answers 500 or too slowly) get a page that says what happened;
nothing is linked then.

The providers' apps come from our settings (models.ProviderSettings, secrets decrypted here), never from allauth's
SocialApp table.
"""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.constants import AuthError
from django.shortcuts import render
from django.utils import timezone
from requests import HTTPError, RequestException, Timeout

from dutydesk.sso import crypto, oauth, queries, rules, services
from dutydesk.sso.models import LinkHow, Provider

OIDC_PROVIDER_CLASS = "openid_connect"
# The backend a signed-in identity's session is kept by (backends.IdentityBackend: never checks a password).
IDENTITY_BACKEND = "dutydesk.sso.backends.IdentityBackend"


def _refusal_answer(exception) -> bool:
    """An HTTP 4xx answer: the provider looked at the request and said no (a used or expired code)."""
    response = getattr(exception, "response", None)
    return isinstance(exception, HTTPError) and response is not None and 400 <= response.status_code < 500


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        return False  # accounts come from HR's import, never from signing in


def _app(row) -> SocialApp | None:
    try:
        secret = queries.secret_of(row)
    except crypto.SecretUnreadable:
        return None
    if row.provider == Provider.OIDC:
        return SocialApp(
            provider=OIDC_PROVIDER_CLASS,
            provider_id=Provider.OIDC,
            name=str(Provider.OIDC.label),
            client_id=row.app_key,
            secret=secret,
            settings={"server_url": row.server_url},
        )
    client_id = row.corp_id if row.provider == Provider.WECOM else row.app_key
    return SocialApp(
        provider=row.provider,
        name=str(Provider(row.provider).label),
        client_id=client_id,
        secret=secret,
        key=row.agent_id,
        settings={"corp_id": row.corp_id},
    )


def refusal_page(request, *, reason: str, provider: str = "", status: int = 403, step: str = "", **context):
    """The page that says why this sign-in did not sign anybody in, and who to ask."""
    return render(
        request,
        "sso/refused.html",
        {
            "reason": reason,
            "provider": Provider(provider).label if provider in Provider.values else "",
            "step_label": LinkHow(step).label if step in LinkHow.values else "",
            **context,
        },
        status=status,
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        apps = []
        for row in queries.enabled_providers():
            if row.provider == Provider.LDAP:
                continue
            app = _app(row)
            if app is None:
                continue
            if provider and provider not in (app.provider, app.provider_id):
                continue
            if client_id and app.client_id != client_id:
                continue
            apps.append(app)
        return apps

    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        """Sign in the person this identity is linked to, link it by the rules, or refuse (module docstring)."""
        provider = sociallogin.account.provider
        today = timezone.localdate()
        if sociallogin.is_existing:
            user = sociallogin.user
            profile = getattr(user, "profile", None)
            if profile is None or not user.is_active or not rules.identity_usable(profile.left_on, today):
                raise ImmediateHttpResponse(refusal_page(request, reason="left", provider=provider))
            user.backend = IDENTITY_BACKEND
            return
        facts = rules.facts_from(
            provider,
            sociallogin.account.extra_data.get("userinfo", sociallogin.account.extra_data),
            sociallogin.account.uid,
        )
        account, decision = services.link_signed_in(provider, facts, sociallogin.account.extra_data)
        if account is None:
            raise ImmediateHttpResponse(
                refusal_page(request, reason=decision.refusal, provider=provider, step=decision.step, facts=facts)
            )
        # The login goes on as an existing account's (allauth's flow signs it in).
        sociallogin.user = account.user
        sociallogin.account = account
        sociallogin.user.backend = IDENTITY_BACKEND

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        unavailable = isinstance(exception, oauth.ProviderUnavailable)
        if isinstance(exception, Timeout) or (unavailable and exception.slow):
            reason = "slow"
        elif unavailable or (isinstance(exception, RequestException) and not _refusal_answer(exception)):
            reason = "provider_error"
        elif exception is not None:
            reason = "refused"
        elif error == AuthError.CANCELLED:
            reason = "cancelled"
        else:
            reason = "state"  # no sign-in of ours started this (forged, replayed or expired)
        provider_id = getattr(provider, "sub_id", "") if provider is not None else ""
        raise ImmediateHttpResponse(
            refusal_page(request, reason=reason, provider=provider_id, status=400, detail=str(exception or ""))
        )
