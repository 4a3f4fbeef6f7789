"""Demand from history (issue 26): the team's service target, imported contact volume, and what was applied.

`ContactVolume` holds what a phone or chat system counted, one row per team, date and hour; the logbook's entries
fill the dates it does not cover (forecast.rules.merge_history). Headcounts themselves stay the roster's: "apply"
changes them through roster.team_services.set_headcounts, never here.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dutydesk.models import Profile, Team


class ServiceTarget(models.Model):
    """How fast the team means to answer (e.g. 80 % within 20 seconds), and the handling time assumed where the
    history does not record one (the logbook does not)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="service_target")
    answered_pct = models.PositiveSmallIntegerField(_("answered (%)"), default=80)
    answer_seconds = models.PositiveSmallIntegerField(_("within (seconds)"), default=20)
    handling_seconds = models.PositiveSmallIntegerField(
        _("average handling time (seconds)"),
        default=240,
        help_text=_("Used for contacts counted from the logbook; an imported file brings its own."),
    )

    class Meta:
        verbose_name = _("service target")
        verbose_name_plural = _("service targets")
        constraints = [
            models.CheckConstraint(condition=Q(answered_pct__gte=1, answered_pct__lte=99), name="target_pct_range"),
            models.CheckConstraint(
                condition=Q(answer_seconds__gte=1, answer_seconds__lte=600), name="target_seconds_range"
            ),
            models.CheckConstraint(
                condition=Q(handling_seconds__gte=10, handling_seconds__lte=7200), name="target_handling_range"
            ),
        ]


class VolumeImport(models.Model):
    """One imported volume file: who, when, which dates (the rows are in ContactVolume)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="volume_imports")
    file_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField(default=0)
    first_date = models.DateField()
    last_date = models.DateField()

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(last_date__gte=models.F("first_date")), name="volumeimport_dates"),
        ]


class ContactVolume(models.Model):
    """Contacts in one hour of one date, with their average handling time in seconds."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contact_volume")
    date = models.DateField(_("date"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    contacts = models.PositiveIntegerField(_("contacts"))
    handling_seconds = models.PositiveIntegerField(_("average handling seconds"))
    source = models.ForeignKey(VolumeImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["date", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["team", "date", "hour"], name="volume_one_per_team_hour"),
            models.CheckConstraint(condition=Q(hour__lte=23), name="volume_hour_range"),
            models.CheckConstraint(condition=Q(contacts__lte=100_000), name="volume_contacts_range"),
            models.CheckConstraint(
                condition=Q(handling_seconds__gte=1, handling_seconds__lte=7200), name="volume_handling_range"
            ),
        ]
