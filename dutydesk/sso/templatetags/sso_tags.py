"""The login page's sign-in choices, and a provider's name in our words."""

from django import template
from django.urls import reverse

from dutydesk.sso import queries
from dutydesk.sso.models import Provider
from dutydesk.sso.rules import REFUSAL_ATTRIBUTE

register = template.Library()


@register.filter
def provider_label(value: str) -> str:
    return str(Provider(value).label) if value in Provider.values else value


@register.simple_tag(takes_context=True)
def login_options(context) -> dict:
    """{providers: [{id, label, url}], password_form, directory, refusal} for registration/login.html."""
    enabled = queries.enabled_providers()
    providers = []
    for row in enabled:
        if row.provider == Provider.LDAP:
            continue
        if row.provider == Provider.OIDC:
            url = reverse("openid_connect_login", kwargs={"provider_id": Provider.OIDC})
        else:
            url = reverse(f"{row.provider}_login")
        providers.append({"id": row.provider, "label": Provider(row.provider).label, "url": url})
    # The directory's password form only where python-ldap is installed (DirectoryBackend signs nobody in otherwise).
    directory = any(row.provider == Provider.LDAP for row in enabled) and queries.provider_installed(Provider.LDAP)
    request = context.get("request")
    return {
        "providers": providers,
        "directory": directory,
        "password_form": directory or queries.passwords_allowed(),
        "refusal": getattr(request, REFUSAL_ATTRIBUTE, ""),
    }
