"""Sign-in: the company's providers and its password policy, and the record of identities linked and unlinked.

The live link of an identity to a person is django-allauth's SocialAccount (user, provider, uid): one row per
identity, unique per (provider, uid). LDAP identities are SocialAccounts too (provider "ldap"), so a supervisor sees
every way a person signs in on one page.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.models import Profile


class Provider(models.TextChoices):
    WECOM = "wecom", _("WeCom (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk (钉钉)")
    FEISHU = "feishu", _("Feishu (飞书)")
    OIDC = "oidc", _("OpenID Connect")
    LDAP = "ldap", _("Company directory (LDAP)")


# The chat apps that also carry personal messages (WeCom 应用消息, DingTalk 工作通知, Feishu 消息).
MESSAGING = (Provider.WECOM, Provider.DINGTALK, Provider.FEISHU)
# Documented send limits per app and minute, the default of ProviderSettings.messages_per_minute. WeCom lets an app
# call many of its APIs 60 times a minute per person and caps the whole app; DingTalk's work notices and Feishu's
# messages allow 1,500 and 1,000 a minute (Feishu also 50 a second).
DEFAULT_MESSAGES_PER_MINUTE = {Provider.WECOM: 600, Provider.DINGTALK: 1500, Provider.FEISHU: 1000}


class ProviderSettings(models.Model):
    """One sign-in provider of the company. The secret is never shown again: stored encrypted (crypto.py) or read
    from the environment variable named in `secret_env`."""

    provider = models.CharField(
        pgettext_lazy("sign-in", "provider"), max_length=16, choices=Provider.choices, unique=True
    )
    enabled = models.BooleanField(_("enabled"), default=False)
    # WeCom: corp id (企业ID); DingTalk: corp id (CorpId), checked against who signs in; Feishu: unused.
    corp_id = models.CharField(_("corp id"), max_length=64, blank=True)
    # WeCom: AgentId; DingTalk: AgentId (for work notices); Feishu: unused.
    agent_id = models.CharField(_("agent id"), max_length=64, blank=True)
    # WeCom: unused (the corp id is the app's id); DingTalk: AppKey (Client ID); Feishu: App ID;
    # OpenID Connect: client id; LDAP: the DN the server binds with to search (blank: anonymous search).
    app_key = models.CharField(_("app key"), max_length=200, blank=True)
    secret_encrypted = models.TextField(blank=True)
    secret_env = models.CharField(_("secret from the environment variable"), max_length=64, blank=True)
    # OpenID Connect: the issuer (https://id.example.com/realms/staff); LDAP: ldaps://ldap.example.com.
    server_url = models.CharField(_("server address"), max_length=300, blank=True)
    # LDAP: where people are searched (ou=people,dc=example,dc=com) and by which attribute they type (uid).
    search_base = models.CharField(_("search base"), max_length=300, blank=True)
    login_attribute = models.CharField(_("login attribute"), max_length=40, blank=True, default="uid")
    # The chat apps: personal messages go through this app, at most this many a minute.
    messaging = models.BooleanField(_("personal messages through this app"), default=False)
    messages_per_minute = models.PositiveIntegerField(_("messages per minute"), default=600)
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)
    updated_by = models.ForeignKey(Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["provider"]
        verbose_name = _("sign-in provider")
        verbose_name_plural = _("sign-in providers")
        constraints = [
            models.CheckConstraint(condition=Q(provider__in=Provider.values), name="sso_provider_valid"),
            models.CheckConstraint(
                condition=Q(messaging=False) | Q(provider__in=[p.value for p in MESSAGING]),
                name="sso_messaging_only_chat_apps",
            ),
            models.CheckConstraint(condition=Q(messages_per_minute__gte=1), name="sso_rate_positive"),
        ]

    def __str__(self):
        return self.get_provider_display()

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted or self.secret_env)


class SignInPolicy(models.Model):
    """The company's one row: may people sign in with a dutydesk password (teams without a directory)?"""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    passwords_allowed = models.BooleanField(_("passwords allowed"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="signinpolicy_one_row")]


class LinkHow(models.TextChoices):
    IM_ID = "im_id", _("user id on the profile")
    EMPLOYEE_NUMBER = "employee_number", _("employee number")
    MOBILE = "mobile", _("mobile")
    EMAIL = "email", _("email")
    SUPERVISOR = "supervisor", _("by a supervisor")


class LinkAction(models.TextChoices):
    LINKED = "linked", pgettext_lazy("identity link", "Linked")
    UNLINKED = "unlinked", pgettext_lazy("identity link", "Unlinked")


class LinkEvent(models.Model):
    """Who linked or unlinked which identity of whom, when and how (append-only)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="link_events")
    provider = models.CharField(pgettext_lazy("sign-in", "provider"), max_length=16, choices=Provider.choices)
    uid = models.CharField(_("user id"), max_length=191)
    action = models.CharField(_("action"), max_length=16, choices=LinkAction.choices)
    how = models.CharField(_("how"), max_length=20, choices=LinkHow.choices, blank=True)
    actor = models.ForeignKey(Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=LinkAction.values), name="linkevent_action_valid"),
            models.CheckConstraint(condition=Q(how="") | Q(how__in=LinkHow.values), name="linkevent_how_valid"),
        ]
