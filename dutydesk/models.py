"""People and teams, shared by every app (DOMAIN.md, People and roles)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    LEAD = "lead", _("Team lead")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")


class Team(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name"), max_length=40, unique=True, help_text=_("Used in addresses, e.g. team-a."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name


class Skill(models.Model):
    """A skill of the company (refunds, VIP line ...): shift types require skills and people hold them (R-ROSTER-5).
    The code is what the roster generator works with; people pick a skill by its display name, so names are
    unique too."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self):
        return self.name


class Qualification(models.TextChoices):
    # R-ROSTER-6: a new hire shadows before working a shift alone.
    NEW_HIRE = "new_hire", pgettext_lazy("qualification", "New hire")
    QUALIFIED = "qualified", pgettext_lazy("qualification", "Qualified")


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    name = models.CharField(_("name"), max_length=40, help_text=_("Full name as colleagues know it."))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.AGENT)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    oversees = models.ManyToManyField(
        Team,
        blank=True,
        related_name="overseers",
        verbose_name=_("oversees"),
        help_text=_("Teams a supervisor or manager is responsible for besides their own."),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="holders", verbose_name=_("skills"))
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    qualification = models.CharField(
        _("qualification"), max_length=16, choices=Qualification.choices, default=Qualification.QUALIFIED
    )
    qualified_on = models.DateField(_("qualified on"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # As HR knows the person: the key of every import (people.imports). Blank for accounts made by hand.
    employee_number = models.CharField(_("employee number"), max_length=32, blank=True)
    wecom_id = models.CharField(_("WeCom user id"), max_length=64, blank=True)
    dingtalk_id = models.CharField(_("DingTalk user id"), max_length=64, blank=True)
    feishu_id = models.CharField(_("Feishu user id"), max_length=64, blank=True)
    # From this date on the person is no longer on duty: not offered for drafts, swaps or substitutes. Their
    # history, logbooks and scores stay.
    left_on = models.DateField(_("left on"), null=True, blank=True)
    # R-ROSTER-6: shadow shifts count from this date; a failed qualification check starts the count again.
    shadowing_since = models.DateField(_("shadowing since"), null=True, blank=True)
    # The language the person chose with the switcher (blank: the site's): e-mails are written in it.
    language = models.CharField(_("language"), max_length=16, blank=True, choices=settings.LANGUAGES)

    class Meta:
        ordering = ["team__name", "name"]
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="profile_role_valid"),
            models.CheckConstraint(
                condition=Q(qualification__in=Qualification.values), name="profile_qualification_valid"
            ),
            # Agents and team leads work in exactly one team (DOMAIN.md: a person belongs to one team).
            models.CheckConstraint(
                condition=~Q(role__in=[Role.AGENT, Role.LEAD]) | Q(team__isnull=False),
                name="profile_duty_staff_has_team",
            ),
            models.UniqueConstraint(
                fields=["employee_number"], condition=~Q(employee_number=""), name="profile_employee_number_unique"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_qualified(self) -> bool:
        return self.qualification == Qualification.QUALIFIED

    def qualified_for(self, day) -> bool:
        """R-ROSTER-6: qualified to work a shift alone on `day` (a pass counts from its first roster month)."""
        return self.is_qualified and (self.qualified_on is None or self.qualified_on <= day)

    def has_left(self, day) -> bool:
        return self.left_on is not None and self.left_on <= day


class ProtectionKind(models.TextChoices):
    # R-LAW-4 (女职工劳动保护特别规定第六条、第九条): the period and its kind only, never medical detail.
    PREGNANCY = "pregnancy", _("Pregnant from the 7th month")
    NURSING = "nursing", _("Nursing a baby under one year")


class ProtectionPeriod(models.Model):
    """A person's protection period (R-LAW-4): no night shift and no extended hours (no rest-day or holiday duty)
    from `starts_on` to `ends_on`, both included. Recorded by the supervisor or HR (people.services.protection);
    seen by the person, their supervisors and managers only. The roster reads it with the person
    (roster.queries.month_data), as it reads qualified_on and left_on."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="protection_periods")
    kind = models.CharField(_("kind"), max_length=16, choices=ProtectionKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    recorded_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["profile", "starts_on"]
        verbose_name = _("protection period")
        verbose_name_plural = _("protection periods")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProtectionKind.values), name="protection_kind_valid"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="protection_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.profile} {self.starts_on}..{self.ends_on}"


class DemoLoad(models.Model):
    """The marker row: the demo organisation was loaded into this database. It is loaded once, into an empty
    database, and never again (dutydesk.demo_loading), so a restart never touches what people did since."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="demoload_one_row")]
