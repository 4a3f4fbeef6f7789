"""Roster: team duty settings, shifts of a duty day (R-ROSTER-1)."""

from datetime import time

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dutydesk.models import Skill, Team


class ShiftType(models.Model):
    """One shift of a duty day, e.g. 白班 09:00-18:00 (R-ROSTER-1)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shift_types", verbose_name=_("team"))
    key = models.SlugField(_("key"), max_length=20, help_text=_("Short code, e.g. day or night."))
    name = models.CharField(_("name"), max_length=40)
    start = models.TimeField(_("start"))
    # 00:00 as the end means midnight at the end of the day (R-ROSTER-1 night shift 18:00-24:00).
    end = models.TimeField(_("end"))
    is_night = models.BooleanField(_("night shift"), default=False)
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    required_skills = models.ManyToManyField(Skill, blank=True, verbose_name=_("required skills"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["team", "order", "start"]
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        constraints = [
            models.UniqueConstraint(fields=["team", "key"], name="shifttype_key_unique_per_team"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="shifttype_headcount_positive"),
            models.CheckConstraint(condition=~Q(start=models.F("end")) | Q(end=time(0)), name="shifttype_not_empty"),
        ]

    def __str__(self):
        return f"{self.name} {self.start:%H:%M}-{self.end_label}"

    @property
    def end_label(self) -> str:
        return "24:00" if self.end == time(0) else f"{self.end:%H:%M}"
