"""Input of the sign-in pages: a provider's settings, the password policy, linking an identity by hand."""

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.sso import connection
from dutydesk.sso.models import MESSAGING, Provider

# Which fields each provider uses, and what the provider's own console calls them.
FIELDS: dict[str, tuple[str, ...]] = {
    Provider.WECOM: ("enabled", "corp_id", "agent_id", "secret", "secret_env", "messaging", "messages_per_minute"),
    Provider.DINGTALK: (
        "enabled",
        "corp_id",
        "agent_id",
        "app_key",
        "secret",
        "secret_env",
        "messaging",
        "messages_per_minute",
    ),
    Provider.FEISHU: ("enabled", "app_key", "secret", "secret_env", "messaging", "messages_per_minute"),
    Provider.OIDC: ("enabled", "server_url", "app_key", "secret", "secret_env"),
    Provider.LDAP: ("enabled", "server_url", "search_base", "login_attribute", "app_key", "secret", "secret_env"),
}
APP_KEY_LABELS: dict[str, Any] = {
    Provider.DINGTALK: _("AppKey (Client ID)"),
    Provider.FEISHU: _("App ID"),
    Provider.OIDC: _("Client ID"),
    Provider.LDAP: _("Bind DN (blank: anonymous search)"),
}
SECRET_LABELS: dict[str, Any] = {
    Provider.WECOM: _("The app's Secret"),
    Provider.DINGTALK: _("AppSecret (Client Secret)"),
    Provider.FEISHU: _("App Secret"),
    Provider.OIDC: _("Client secret"),
    Provider.LDAP: _("Bind password"),
}


class ProviderSettingsForm(forms.Form):
    enabled = forms.BooleanField(label=_("People may sign in with it"), required=False)
    corp_id = forms.CharField(label=_("Corp ID"), max_length=64, required=False)
    agent_id = forms.CharField(label=_("AgentId"), max_length=64, required=False)
    app_key = forms.CharField(max_length=200, required=False)
    secret = forms.CharField(
        max_length=500,
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Never shown again once saved. Leave empty to keep the saved one."),
    )
    secret_env = forms.RegexField(
        label=_("Or: the environment variable that holds it"),
        regex=r"^[A-Z][A-Z0-9_]{0,63}$",
        max_length=64,
        required=False,
        help_text=_("The server reads it on every use; it is never stored."),
        error_messages={"invalid": _("Capital letters, digits and underscores, starting with a letter.")},
    )
    server_url = forms.CharField(max_length=300, required=False)
    search_base = forms.CharField(label=_("Search base"), max_length=300, required=False)
    login_attribute = forms.RegexField(
        label=_("Attribute people sign in with"),
        regex=r"^[A-Za-z][A-Za-z0-9-]{0,39}$",
        required=False,
        initial="uid",
        error_messages={"invalid": _("An attribute name, e.g. uid or sAMAccountName.")},
    )
    messaging = forms.BooleanField(label=_("Send personal messages through this app"), required=False)
    messages_per_minute = forms.IntegerField(
        label=_("At most this many messages a minute"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("The platform's limit for the app; messages over it wait for the next minute."),
    )

    def __init__(self, *args, provider: str, has_secret: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.has_secret = has_secret
        for name in list(self.fields):
            if name not in FIELDS[provider]:
                del self.fields[name]
        if "app_key" in self.fields:
            self.fields["app_key"].label = APP_KEY_LABELS[provider]
        self.fields["secret"].label = SECRET_LABELS[provider]
        if "server_url" in self.fields:
            self.fields["server_url"].label = (
                _("Issuer address") if provider == Provider.OIDC else _("Directory address")
            )
            self.fields["server_url"].help_text = (
                _("e.g. https://id.example.com/realms/staff (its /.well-known/openid-configuration is read)")
                if provider == Provider.OIDC
                else _("e.g. ldaps://ldap.example.com")
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_server_url(self):
        url = self.cleaned_data["server_url"].strip()
        allowed = connection.oidc_address_allowed if self.provider == Provider.OIDC else connection.ldap_address_allowed
        if url and not allowed(url):
            if self.provider == Provider.OIDC:
                raise forms.ValidationError(_("The issuer address must start with https://."))
            raise forms.ValidationError(_("The directory address must start with ldaps://."))
        return url

    def clean(self):
        data = super().clean()
        if not data.get("enabled"):
            return data
        required = {
            Provider.WECOM: ("corp_id", "agent_id"),
            Provider.DINGTALK: ("app_key",),
            Provider.FEISHU: ("app_key",),
            Provider.OIDC: ("server_url", "app_key"),
            Provider.LDAP: ("server_url", "search_base"),
        }[self.provider]
        for name in required:
            if not data.get(name):
                self.add_error(name, _("Needed to turn the provider on."))
        needs_secret = self.provider != Provider.LDAP or data.get("app_key")
        if needs_secret and not (data.get("secret") or data.get("secret_env") or self.has_secret):
            self.add_error("secret", _("Needed to turn the provider on: enter it, or name its environment variable."))
        if self.provider in MESSAGING and data.get("messaging") and not data.get("messages_per_minute"):
            self.add_error("messages_per_minute", _("Needed to send personal messages."))
        return data

    def values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.fields if name != "secret"}
        if not data.get("messages_per_minute"):
            data.pop("messages_per_minute", None)
        return data


class PasswordPolicyForm(forms.Form):
    passwords_allowed = forms.BooleanField(label=_("People may also sign in with a dutydesk password"), required=False)


class LinkForm(forms.Form):
    provider = forms.ChoiceField(label=pgettext_lazy("sign-in", "Provider"), choices=Provider.choices)
    uid = forms.CharField(label=_("User id there"), max_length=150)
