"""Notices to people: in the app (the bell), and through the channels each person chooses."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.models import Profile, Team


class NoticeKind(models.TextChoices):
    SHIFT_REMINDER = "shift_reminder", _("Shift reminder")
    ROSTER_PUBLISHED = "roster_published", _("Roster published")
    ROSTER_CHANGED = "roster_changed", _("Roster changed")
    REQUEST_WAITING = "request_waiting", _("Request waiting for your decision")
    REQUEST_DECIDED = "request_decided", _("Decision on your request")
    ABSENCE_ALERT = "absence_alert", _("Absence alert")
    REPORT_ESCALATED = "report_escalated", _("Escalated report")
    ROSTER_BLOCKED = "roster_blocked", _("Roster could not be published")
    SEND_FAILED = "send_failed", _("Notice could not be delivered")
    # Results, disputes and answers of the monthly appraisal: news about oneself, not a request to decide.
    APPRAISAL = "appraisal", _("Appraisal results and disputes")
    TRAINING = "training", _("Training")  # R-TRAIN-1: invitations, reminders and changes
    WISH_REMINDER = "wish_reminder", _("Wish window closing")  # issue 26: days off wished before the month


class Notification(models.Model):
    """One notice to one person, shown in the app. `dedupe_key` makes notify() safe to call twice."""

    recipient = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_once_per_key"),
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="notification_kind_valid"),
        ]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Team chat")


class Platform(models.TextChoices):
    WECOM = "wecom", _("WeCom (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk (钉钉)")
    FEISHU = "feishu", _("Feishu (飞书)")


def default_reminder_leads() -> list[int]:
    return [24 * 60, 60]


class TeamNotificationSettings(models.Model):
    """A team's reminder lead times and its group-chat robot (one per team)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="notification_settings")
    # Minutes before the sign-in time; the defaults are 24 hours and 1 hour.
    reminder_leads = ArrayField(
        models.PositiveIntegerField(), default=default_reminder_leads, size=4, verbose_name=_("reminder lead times")
    )
    # R-ATT-1: sign in 15 minutes before the shift; reminders count back from the sign-in time.
    signin_minutes = models.PositiveSmallIntegerField(_("sign-in minutes before the shift"), default=15)
    webhook_platform = models.CharField(_("chat platform"), max_length=16, choices=Platform.choices, blank=True)
    webhook_url = models.URLField(_("robot webhook address"), max_length=500, blank=True)
    webhook_secret = models.CharField(_("signing secret"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("team notification settings")
        verbose_name_plural = _("team notification settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(webhook_platform="") | Q(webhook_platform__in=Platform.values),
                name="teamnotify_platform_valid",
            ),
            # A robot address without its platform could not be sent to (each platform has its own payload).
            models.CheckConstraint(
                condition=Q(webhook_url="") | ~Q(webhook_platform=""), name="teamnotify_url_has_platform"
            ),
        ]

    def __str__(self):
        return str(self.team)

    @property
    def has_webhook(self) -> bool:
        return bool(self.webhook_url and self.webhook_platform)


class ChannelPreference(models.Model):
    """A person's choice for one kind of notice and one channel; without a row the default applies (rules.py)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="channel_preferences")
    kind = models.CharField(max_length=32, choices=NoticeKind.choices)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "kind", "channel"], name="preference_once"),
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="preference_kind_valid"),
            # In-app is always on: the bell is the record of every notice.
            models.CheckConstraint(
                condition=Q(channel__in=[Channel.EMAIL, Channel.WEBHOOK]), name="preference_channel_optional"
            ),
        ]


class OutboxStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("outgoing message status", "Waiting")
    SENDING = "sending", pgettext_lazy("outgoing message status", "Sending")
    SENT = "sent", pgettext_lazy("outgoing message status", "Sent")
    FAILED = "failed", pgettext_lazy("outgoing message status", "Failed")
    CANCELLED = "cancelled", pgettext_lazy("outgoing message status", "Cancelled")


class Outbox(models.Model):
    """One message to send on one outside channel (email, team chat), sent exactly once per its unique key.

    The key is (recipient, key, channel, lead_minutes) for email and (team, key, channel, lead_minutes) for the
    team chat: a group robot posts a notice once for the team, not once per member who would read it there.
    `key` is notify()'s dedupe_key, or "reminder:<duty shift id>" with the lead time in minutes for reminders.
    Workers claim rows with row locks and a lease (sending.claim_due); see sending.py for the guarantee.
    """

    recipient = models.ForeignKey(Profile, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    key = models.CharField(max_length=200)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    lead_minutes = models.PositiveIntegerField(default=0)
    duty_shift = models.ForeignKey(
        "roster.DutyShift", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=NoticeKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key", "channel", "lead_minutes"],
                condition=Q(recipient__isnull=False),
                name="outbox_once_per_recipient",
            ),
            models.UniqueConstraint(
                fields=["team", "key", "channel", "lead_minutes"],
                condition=Q(recipient__isnull=True),
                name="outbox_once_per_team",
            ),
            models.CheckConstraint(condition=Q(status__in=OutboxStatus.values), name="outbox_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=NoticeKind.values), name="outbox_kind_valid"),
            # Email goes to a person; the team chat to a team.
            models.CheckConstraint(
                condition=(Q(channel=Channel.EMAIL) & Q(recipient__isnull=False))
                | (Q(channel=Channel.WEBHOOK) & Q(recipient__isnull=True) & Q(team__isnull=False)),
                name="outbox_channel_addressee",
            ),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENDING) | Q(lease_until__isnull=False),
                name="outbox_sending_has_lease",
            ),
            models.CheckConstraint(
                condition=~Q(status=OutboxStatus.SENT) | Q(sent_at__isnull=False), name="outbox_sent_has_time"
            ),
        ]
        indexes = [
            # The work queue: only unfinished rows, in the order they fall due.
            models.Index(fields=["next_attempt_at"], condition=Q(status__in=["pending", "sending"]), name="outbox_due"),
            models.Index(fields=["team", "status"], name="outbox_team_status"),
        ]

    def __str__(self):
        return f"{self.channel} {self.key} ({self.status})"
