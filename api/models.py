"""API tokens (issue 25 item 2): a person's own token acts as that person with their role's permissions; a company
service token has scopes and, optionally, one team. Only a hash of the secret is kept: the token is shown once."""

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk import events
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


# --- outgoing webhooks (issue 25 item 4) ------------------------------------------------------------------------


EVENT_LABELS = {
    events.ROSTER_PUBLISHED: _("A roster is published"),
    events.ROSTER_REVISED: _("A published roster is revised (also by leave, a swap or the marketplace)"),
    events.LEAVE_DECIDED: _("A leave request is approved or rejected"),
    events.SWAP_RECORDED: _("A swap is recorded"),
    events.ATTENDANCE_ABSENT: _("Somebody is marked absent from post"),
    events.HANDOVER_SIGNED: _("A handover is signed"),
    events.STATEMENT_FINALISED: _("A duty statement is finalised"),
}


class WebhookEndpoint(models.Model):
    """An https address a manager registered for some events, optionally of one team. The secret that signs its
    deliveries is kept encrypted (dutydesk.sso.crypto: Fernet), because every delivery's HMAC needs it whole; it is
    shown once, when created or rotated."""

    name = models.CharField(
        pgettext_lazy("a webhook endpoint's", "name"),
        max_length=80,
        help_text=_("What receives the events, e.g. the payroll system."),
    )
    url = models.CharField(_("address"), max_length=500)
    events = ArrayField(models.CharField(max_length=40), verbose_name=_("events"))
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    secret_encrypted = models.TextField()
    secret_prefix = models.CharField(max_length=16)
    secret_rotated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def event_labels(self) -> list[str]:
        return [str(EVENT_LABELS.get(name, name)) for name in self.events]


class WebhookEvent(models.Model):
    """One domain event (dutydesk.events), written in the transaction of the change that caused it. `uid` is the
    event's id in the body of every delivery of it."""

    uid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=40)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} {self.uid}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.name, self.name))


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("webhook delivery state", "Waiting")
    SENDING = "sending", pgettext_lazy("webhook delivery state", "Sending")
    DELIVERED = "delivered", pgettext_lazy("webhook delivery state", "Delivered")
    FAILED = "failed", pgettext_lazy("webhook delivery state", "Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint: at most one row per pair (the unique constraint), so an event is delivered to an
    endpoint through one row whatever retries, resends, workers and repeated messages do. The rows are the work
    queue of api.delivery; `uid` is the X-Dutydesk-Delivery header, the same on every attempt."""

    uid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    resent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "endpoint"], name="webhook_delivery_once_per_endpoint"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self) -> str:
        return str(self.uid)
