"""API tokens (issue 25 item 2): a person's own token acts as that person with their role's permissions; a company
service token has scopes and, optionally, one team. Only a hash of the secret is kept: the token is shown once."""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.models import Profile, Team


class TokenKind(models.TextChoices):
    PERSONAL = "personal", pgettext_lazy("API token kind", "Personal")
    SERVICE = "service", pgettext_lazy("API token kind", "Service")


class Scope(models.TextChoices):
    READ_ROSTER = "roster:read", _("Read rosters")
    READ_ATTENDANCE = "attendance:read", _("Read attendance")
    READ_STATEMENTS = "statements:read", _("Read duty statements")
    WRITE_LEAVE = "leave:write", _("File leave")


class ApiToken(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=TokenKind.choices)
    name = models.CharField(
        pgettext_lazy("an API token's", "name"),
        max_length=80,
        help_text=_("What the token is for, e.g. the payroll system."),
    )
    # The first characters of the token, shown in the list so that a person can tell their tokens apart.
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the whole token, hex
    # Personal: the person it acts as. Service: nobody (the company's), created_by says who made it.
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, null=True, blank=True, related_name="api_tokens")
    scopes = ArrayField(models.CharField(max_length=32, choices=Scope.choices), default=list, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="api_token_personal_has_person",
                condition=(models.Q(kind="personal", profile__isnull=False, team__isnull=True))
                | models.Q(kind="service", profile__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels.get(scope, scope)) for scope in self.scopes]

    @property
    def active(self) -> bool:
        return self.revoked_at is None
