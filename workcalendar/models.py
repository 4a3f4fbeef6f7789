"""The company holiday calendar (R-CAL-1): one row per year with its status and source, one row per listed date.

A year is official only from the State Council's notice (entered or imported by a manager, with the notice's title
and date), provisional before that (the `holidays` package's estimate, or empty). Every change of a year's days or
status is a `CalendarRevision` that says who, when, from what, and which dates changed from what to what (R-CAL-2
finds the rosters and statements it touches from there).
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.models import Profile
from workcalendar import days as plain

FIRST_YEAR, LAST_YEAR = 2000, 2100
NAME_LENGTH = 60
TITLE_LENGTH = 200


class YearStatus(models.TextChoices):
    OFFICIAL = plain.OFFICIAL, pgettext_lazy("holiday calendar year", "Official")
    PROVISIONAL = plain.PROVISIONAL, pgettext_lazy("holiday calendar year", "Provisional")


class DayKind(models.TextChoices):
    HOLIDAY = plain.HOLIDAY, _("Statutory holiday")
    REST = plain.REST, _("Rest day of a holiday break")
    WORKDAY = plain.WORKDAY, _("Adjusted working day (调休上班)")


class Origin(models.TextChoices):
    PACKAGE = "package", _("Estimate of the holidays package")
    NOTICE = "notice", _("State Council notice")
    MANAGER = "manager", _("Entered by a manager")


class CalendarYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    status = models.CharField(_("status"), max_length=12, choices=YearStatus.choices, default=YearStatus.PROVISIONAL)
    origin = models.CharField(_("comes from"), max_length=12, choices=Origin.choices, default=Origin.PACKAGE)
    source_title = models.CharField(_("notice title"), max_length=TITLE_LENGTH, blank=True)
    source_date = models.DateField(_("notice date"), null=True, blank=True)
    # A new value with every change of the year: caches of the year's days compare it (workcalendar.queries). Random,
    # so that a change rolled back never leaves a stamp a later change could reuse.
    stamp = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["year"]
        verbose_name = _("holiday calendar year")
        verbose_name_plural = _("holiday calendar years")
        constraints = [
            models.CheckConstraint(condition=Q(year__range=(FIRST_YEAR, LAST_YEAR)), name="calendaryear_year_range"),
            models.CheckConstraint(condition=Q(status__in=YearStatus.values), name="calendaryear_status_valid"),
            models.CheckConstraint(condition=Q(origin__in=Origin.values), name="calendaryear_origin_valid"),
            # R-CAL-1: official only with the notice it comes from.
            models.CheckConstraint(
                condition=Q(status=YearStatus.PROVISIONAL) | ~Q(source_title=""), name="calendaryear_official_source"
            ),
        ]

    def __str__(self):
        return str(self.year)

    @property
    def is_official(self) -> bool:
        return self.status == YearStatus.OFFICIAL


class CalendarDay(models.Model):
    """One listed date: a statutory holiday, a rest day of a break, or an adjusted working day. Dates not listed are
    what their weekday makes them."""

    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=DayKind.choices)
    name = models.CharField(pgettext_lazy("a holiday's", "name"), max_length=NAME_LENGTH, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday calendar day")
        verbose_name_plural = _("holiday calendar days")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="calendarday_kind_valid"),
            models.CheckConstraint(condition=Q(date__year=F("year")), name="calendarday_in_its_year"),
        ]

    def __str__(self):
        return f"{self.date} {self.get_kind_display()} {self.name}"


class RevisionKind(models.TextChoices):
    SEED = "seed", _("Seeded from the holidays package")
    IMPORT = "import", _("Notice imported")
    EDIT = "edit", _("Day edited")
    OFFICIAL = "official", _("Marked official")


class CalendarRevision(models.Model):
    """One change of a year, kept for ever: who, when, from what, and each changed date before and after."""

    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("kind"), max_length=12, choices=RevisionKind.choices)
    status_before = models.CharField(max_length=12, choices=YearStatus.choices, blank=True)
    status_after = models.CharField(max_length=12, choices=YearStatus.choices)
    source_title = models.CharField(_("notice title"), max_length=TITLE_LENGTH, blank=True)
    source_date = models.DateField(_("notice date"), null=True, blank=True)
    # [{"date": "2027-01-31", "before": {"kind", "name"} | null, "after": {"kind", "name"} | null}, ...] by date.
    changes = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["year", "-number"]
        verbose_name = _("holiday calendar revision")
        verbose_name_plural = _("holiday calendar revisions")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="calendarrevision_number_unique"),
            models.CheckConstraint(condition=Q(kind__in=RevisionKind.values), name="calendarrevision_kind_valid"),
        ]
