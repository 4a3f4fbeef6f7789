"""People (团队成员): what a team's supervisor keeps about its people beyond the profile in dutydesk.models.

- `PersonEvent`: who added, changed, moved, imported or marked a person as left, and when (the person's history).
- `PeopleImport`: one imported HR file (its checksum says when the same file comes again).
- `QualificationCheck`: R-ROSTER-6, the check a new hire passes (or fails) after shadowing.
- `TrainingSession`, `TrainingInvitation`: R-TRAIN-1, sessions, invitees and attendance per person.
- `TrainingReward`: R-APP-5 / R-TRAIN-1, a training opportunity granted for consecutive excellent months.
- `SupportContact`: R-TRAIN-2, whom an agent on duty can call (the hotline and each business department).
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk import texts
from dutydesk.limits import NOTE, TEXT, length_checks
from dutydesk.models import Profile, Team


class EventKind(models.TextChoices):
    ADDED = "added", _("Added")
    IMPORTED = "imported", _("Imported")
    CHANGED = "changed", _("Changed")
    MOVED = "moved", _("Moved to another team")
    LEFT = "left", _("Marked as left")
    RETURNED = "returned", _("Leaving withdrawn")
    SKILLS = "skills", _("Skills changed")
    ACTIVATION = "activation", _("Activation link made")
    QUALIFICATION = "qualification", _("Qualification check")


class PersonEvent(models.Model):
    """One change to a person, kept with who made it (None: the command line or a scheduled job)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="person_events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # What the system wrote (changed fields, a check's result) as a message key (dutydesk.texts), shown in the
    # reader's language; `note` keeps it in the site's language (and older rows' notes).
    note_text = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="person_event_kind_valid")]

    @property
    def shown_note(self) -> str:
        return texts.render(self.note_text, self.note)


class PeopleImport(models.Model):
    """An imported HR file: the same file again is recognised by its checksum (and would change nothing)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, null=True, blank=True, related_name="people_imports")
    file_name = models.CharField(max_length=200)
    checksum = models.CharField(max_length=64)
    imported_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # R-ROSTER-6: the new people the file said nothing about whom the importer marked as already working alone.
    marked_qualified = ArrayField(models.CharField(max_length=32), default=list, blank=True)

    class Meta:
        ordering = ["-imported_at"]


class CheckResult(models.TextChoices):
    PASSED = "passed", pgettext_lazy("qualification check", "Passed")
    FAILED = "failed", pgettext_lazy("qualification check", "Failed")


class QualificationCheck(models.Model):
    """R-ROSTER-6: the check after shadowing. A pass makes the person qualified from `qualified_from` (the first
    day of a roster month); a fail starts the shadow count again."""

    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="qualification_checks")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="qualification_checks")
    result = models.CharField(_("result"), max_length=8, choices=CheckResult.choices)
    date = models.DateField(_("date of the check"))
    examiner = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+", verbose_name=_("examiner"))
    note = models.TextField(_("note"), max_length=NOTE, blank=True)
    shadow_shifts = models.PositiveSmallIntegerField(default=0)  # shadow shifts done when the check was recorded
    qualified_from = models.DateField(_("qualified from"), null=True, blank=True)
    recorded_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=CheckResult.values), name="check_result_valid"),
            models.CheckConstraint(
                condition=(Q(result="passed") & Q(qualified_from__isnull=False) & Q(qualified_from__day=1))
                | (Q(result="failed") & Q(qualified_from__isnull=True)),
                name="check_pass_has_month",
            ),
            # A person passes once: a second lead recording at the same moment is refused by the database too.
            models.UniqueConstraint(fields=["profile"], condition=Q(result="passed"), name="check_one_pass"),
            *length_checks("check", note=NOTE),
        ]


class TrainingKind(models.TextChoices):
    # R-TRAIN-1: internal (lectures, case studies, drills) or external.
    LECTURE = "lecture", _("Lecture")
    CASE_STUDY = "case_study", _("Case study")
    DRILL = "drill", _("Drill")
    EXTERNAL = "external", _("External training")


class TrainingSession(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="training_sessions")
    topic = models.CharField(_("topic"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    provider = models.CharField(_("provider"), max_length=120, blank=True)
    trainer = models.CharField(_("trainer"), max_length=60)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=120, blank=True)
    link = models.URLField(_("online link"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=TEXT, blank=True)
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the day-before reminder went out
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TrainingKind.values), name="training_kind_valid"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="training_ends_after_start"),
            models.CheckConstraint(condition=~Q(kind="external") | ~Q(provider=""), name="training_external_provider"),
            models.CheckConstraint(condition=~Q(place="") | ~Q(link=""), name="training_place_or_link"),
            *length_checks("training", description=TEXT),
        ]

    def __str__(self):
        return self.topic

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class Attendance(models.TextChoices):
    INVITED = "invited", pgettext_lazy("training attendance", "Invited")
    PRESENT = "present", pgettext_lazy("training attendance", "Present")
    ABSENT = "absent", pgettext_lazy("training attendance", "Absent")
    EXCUSED = "excused", pgettext_lazy("training attendance", "Excused")


class TrainingInvitation(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="invitations")
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="training_invitations")
    attendance = models.CharField(_("attendance"), max_length=8, choices=Attendance.choices, default=Attendance.INVITED)
    recorded_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["profile__name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "profile"], name="invitation_once_per_person"),
            models.CheckConstraint(condition=Q(attendance__in=Attendance.values), name="invitation_attendance_valid"),
        ]


class TrainingReward(models.Model):
    """R-APP-5: a training opportunity granted for consecutive excellent months; used when the person is invited
    to a session."""

    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="training_rewards")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="training_rewards")
    month = models.DateField(_("appraisal month"))
    excellent_months = models.PositiveSmallIntegerField(_("excellent months in a row"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    granted_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    session = models.ForeignKey(
        TrainingSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="rewards"
    )

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            # A double click or two managers at once grant one reward for a month.
            models.UniqueConstraint(fields=["profile", "month"], name="reward_once_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="reward_month_first_day"),
        ]


class ContactKind(models.TextChoices):
    HOTLINE = "hotline", _("Technical support hotline")
    DEPARTMENT = "department", _("Business department")


class SupportContact(models.Model):
    """R-TRAIN-2: one line of a team's support directory."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="support_contacts")
    kind = models.CharField(_("kind"), max_length=12, choices=ContactKind.choices)
    name = models.CharField(_("department or service"), max_length=60)
    contact = models.CharField(_("contact person"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    wecom_id = models.CharField(_("WeCom user id"), max_length=64, blank=True)
    dingtalk_id = models.CharField(_("DingTalk user id"), max_length=64, blank=True)
    feishu_id = models.CharField(_("Feishu user id"), max_length=64, blank=True)
    hours = models.CharField(
        _("hours they answer"), max_length=60, help_text=_("When they answer, e.g. 每天 09:00-24:00.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(pgettext_lazy("position in a list", "order"), default=0)

    class Meta:
        ordering = ["team", "order", "kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ContactKind.values), name="support_kind_valid"),
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(wecom_id="") | ~Q(dingtalk_id="") | ~Q(feishu_id=""),
                name="support_reachable",
            ),
            models.UniqueConstraint(fields=["team", "name"], name="support_name_once_per_team"),
        ]

    def __str__(self):
        return self.name
