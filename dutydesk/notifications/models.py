"""Notices to people: in the app (the bell), and through the channels each person chooses."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dutydesk.models import Profile


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
