"""The duty day (考勤纪律, 值班记录簿, 交接班): sign-in, the logbook of each person's shift, entries, handovers,
discipline records and the discipline acknowledgement.

A `Logbook` is one person's record of one duty shift (R-LOG-1): it holds the attendance of that shift (sign-in,
late explanation, equipment check, sign-out), the summary (R-LOG-6) and the supervisor's record-accuracy mark.
Entries belong to a logbook; an entry left open (R-LOG-2) stays open across shifts until answered.
"""

from datetime import timedelta

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.limits import LIST, LONG, NOTE, TEXT, length_checks
from dutydesk.models import Profile, Team
from roster.models import DutyShift


class Accuracy(models.TextChoices):
    # R-APP-3: record accuracy bands.
    ACCURATE = "accurate", pgettext_lazy("record accuracy", "Accurate")
    FEW_ERRORS = "few_errors", pgettext_lazy("record accuracy", "Few errors")
    MANY_ERRORS = "many_errors", pgettext_lazy("record accuracy", "Many errors")


class Logbook(models.Model):
    duty_shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, related_name="logbooks")
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="logbooks")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="logbooks")
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(_("minutes late"), default=0)  # R-ATT-2
    late_explanation = models.TextField(_("late explanation"), blank=True, max_length=NOTE)
    late_explained_at = models.DateTimeField(null=True, blank=True)
    equipment_checked = ArrayField(models.CharField(max_length=60), default=list, blank=True)  # R-ATT-1
    equipment_checked_at = models.DateTimeField(null=True, blank=True)
    signed_out_at = models.DateTimeField(_("signed out at"), null=True, blank=True)
    early_leave_reason = models.TextField(_("early leave reason"), blank=True, max_length=NOTE)  # R-ATT-4
    hot_issues = models.TextField(_("hot issues"), blank=True, max_length=TEXT)  # R-LOG-6
    suggestions = models.TextField(_("suggestions"), blank=True, max_length=TEXT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accuracy = models.CharField(_("record accuracy"), max_length=16, choices=Accuracy.choices, blank=True)
    review_note = models.TextField(_("review note"), blank=True, max_length=NOTE)
    reviewed_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-duty_shift__starts_at", "profile__name"]
        verbose_name = _("logbook")
        verbose_name_plural = _("logbooks")
        constraints = [
            models.UniqueConstraint(fields=["duty_shift", "profile"], name="logbook_one_per_person_shift"),
            models.CheckConstraint(condition=Q(accuracy__in=["", *Accuracy.values]), name="logbook_accuracy_valid"),
            models.CheckConstraint(
                condition=Q(signed_out_at__isnull=True) | Q(signed_in_at__isnull=False), name="logbook_out_after_in"
            ),
            # R-ATT-2: nobody signs out late without a late explanation.
            models.CheckConstraint(
                condition=Q(signed_out_at__isnull=True) | Q(late_minutes=0) | ~Q(late_explanation=""),
                name="logbook_late_explained_before_out",
            ),
            models.CheckConstraint(
                condition=Q(accuracy="") | Q(submitted_at__isnull=False), name="logbook_reviewed_after_submit"
            ),
            *length_checks(
                "logbook",
                late_explanation=NOTE,
                early_leave_reason=NOTE,
                hot_issues=TEXT,
                suggestions=TEXT,
                review_note=NOTE,
            ),
        ]

    def __str__(self):
        return f"{self.duty_shift} {self.profile}"

    @property
    def is_on_duty(self) -> bool:
        return self.signed_in_at is not None and self.signed_out_at is None


class BreakKind(models.TextChoices):
    NIGHT_BREAK = "night_break", _("Night break")  # R-ATT-5
    LEFT_POST = "left_post", _("Left the post")  # R-ATT-4


class PostBreak(models.Model):
    """Time away from the post during a shift, with times (R-ATT-4, R-ATT-5)."""

    logbook = models.ForeignKey(Logbook, on_delete=models.CASCADE, related_name="breaks")
    kind = models.CharField(_("kind"), max_length=16, choices=BreakKind.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("left at"))
    ended_at = models.DateTimeField(_("back at"), null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=BreakKind.values), name="postbreak_kind_valid"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="postbreak_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["logbook"], condition=Q(ended_at__isnull=True), name="postbreak_one_open_per_logbook"
            ),
        ]


class EntryKind(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    COMPLAINT = "complaint", _("Complaint")
    TASK = "task", _("Business task")


class TaskType(models.TextChoices):
    ORDER_LOOKUP = "order_lookup", _("Order lookup")
    ORDER_CHANGE = "order_change", _("Order change")
    REFUND = "refund", _("Refund")


class Category(models.TextChoices):
    LOGISTICS = "logistics", _("Logistics inquiry")
    LOGISTICS_DELAY = "logistics_delay", _("Logistics delay")
    REFUND_PROGRESS = "refund_progress", _("Refund progress")
    SLOW_REFUND = "slow_refund", _("Slow refund")
    ORDER_CHANGE = "order_change", _("Order change")
    PRODUCT_QUALITY = "product_quality", _("Product quality")
    SERVICE_ATTITUDE = "service_attitude", _("Service attitude")
    ACCOUNT = "account", _("Account and payment")
    OTHER = "other", _("Other")


class EntryStatus(models.TextChoices):
    DONE = "done", pgettext_lazy("logbook entry status", "Done")
    OPEN = "open", pgettext_lazy("logbook entry status", "Open")  # R-LOG-2: waits for a promised reply


class Entry(models.Model):
    logbook = models.ForeignKey(Logbook, on_delete=models.PROTECT, related_name="entries")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")  # copied: searches filter by team
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    # The form's one-time token: a second POST of the same form finds this row instead of writing another.
    client_token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    task_type = models.CharField(_("task"), max_length=16, choices=TaskType.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    customer_name = models.CharField(_("customer"), max_length=40, blank=True)
    customer_phone = models.CharField(_("customer phone"), max_length=20, blank=True)
    customer_ref = models.CharField(_("order or customer id"), max_length=40, blank=True)
    content = models.TextField(_("content"), max_length=TEXT)
    outcome = models.TextField(_("outcome"), blank=True, max_length=TEXT)
    status = models.CharField(_("status"), max_length=8, choices=EntryStatus.choices, default=EntryStatus.DONE)
    promised_reply_at = models.DateTimeField(_("promised reply by"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answer = models.TextField(_("reply given"), blank=True, max_length=TEXT)
    # R-LOG-3: complaint details.
    demand = models.TextField(_("customer's demand"), blank=True, max_length=NOTE)
    departments = models.CharField(_("departments involved"), max_length=200, blank=True)
    progress = models.TextField(_("progress notes"), blank=True, max_length=LONG)
    result_told = models.TextField(_("result told to the customer"), blank=True, max_length=NOTE)
    # R-LOG-7, computed by logbook.search when the entry is written: n-grams for the GIN index (candidates) and the
    # normalised text the substring test confirms them on (the exact result).
    search = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    # R-PIPL-3: when the retention job removed the customer's personal data (fields, numbers in the text and the
    # search index, in one UPDATE); None while the entry still holds it.
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed at"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="entry_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=EntryStatus.values), name="entry_status_valid"),
            models.CheckConstraint(condition=Q(category__in=Category.values), name="entry_category_valid"),
            models.CheckConstraint(
                condition=(Q(kind="task") & Q(task_type__in=TaskType.values)) | (~Q(kind="task") & Q(task_type="")),
                name="entry_task_type_iff_task",
            ),
            models.CheckConstraint(condition=~Q(content=""), name="entry_has_content"),
            # R-LOG-3: a complaint records the customer's demand.
            models.CheckConstraint(condition=~Q(kind="complaint") | ~Q(demand=""), name="entry_complaint_has_demand"),
            # R-LOG-2: an open entry carries the promised reply time.
            models.CheckConstraint(
                condition=~Q(status="open") | Q(promised_reply_at__isnull=False), name="entry_open_has_promise"
            ),
            # R-LOG-2: a promise within a sensible window (the form allows 30 days; this is the backstop).
            models.CheckConstraint(
                condition=Q(promised_reply_at__isnull=True)
                | Q(promised_reply_at__lte=models.F("created_at") + timedelta(days=60)),
                name="entry_promise_within_window",
            ),
            *length_checks(
                "entry", content=TEXT, outcome=TEXT, answer=TEXT, demand=NOTE, progress=LONG, result_told=NOTE
            ),
        ]
        indexes = [
            GinIndex(fields=["search"], name="entry_search_gin"),
            models.Index(fields=["-created_at"], name="entry_created_desc"),
            models.Index(fields=["team", "-created_at"], name="entry_team_created"),
            models.Index(fields=["team"], condition=Q(status="open"), name="entry_open_by_team"),
            models.Index(
                fields=["author", "promised_reply_at"],
                condition=Q(promised_reply_at__isnull=False),
                name="entry_promises_by_author",
            ),
            # R-PIPL-3: the retention job reads only entries still holding personal data.
            models.Index(fields=["logbook"], condition=Q(personal_data_removed_at__isnull=True), name="entry_pii_kept"),
        ]

    def __str__(self):
        # Shown in messages and titles: the team's time (TIME_ZONE), never UTC (issue #13 point 3).
        return f"{self.get_kind_display()} {timezone.localtime(self.created_at):%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == EntryStatus.OPEN


class Handover(models.Model):
    """R-LOG-5: the outgoing agent's note to the next shift; locked once both have signed (also in the database:
    see migration 0002, a trigger refuses any update or delete of a row signed by both)."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    from_shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, related_name="handovers_out")
    to_shift = models.ForeignKey(
        DutyShift, on_delete=models.PROTECT, null=True, blank=True, related_name="handovers_in"
    )
    outgoing = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    incoming = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    open_items = models.TextField(_("unfinished issues"), blank=True, max_length=LIST)
    important = models.TextField(_("important information"), blank=True, max_length=TEXT)
    notes = models.TextField(_("notes"), blank=True, max_length=TEXT)
    open_entry_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    outgoing_signed_at = models.DateTimeField(_("outgoing signed at"), null=True, blank=True)
    incoming_signed_at = models.DateTimeField(_("incoming signed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.UniqueConstraint(fields=["from_shift", "outgoing"], name="handover_one_per_outgoing_shift"),
            models.CheckConstraint(
                condition=Q(incoming_signed_at__isnull=True)
                | (Q(incoming__isnull=False) & Q(outgoing_signed_at__isnull=False)),
                name="handover_incoming_signs_after_outgoing",
            ),
            models.CheckConstraint(
                condition=Q(incoming__isnull=True) | ~Q(incoming=models.F("outgoing")), name="handover_two_people"
            ),
            *length_checks("handover", open_items=LIST, important=TEXT, notes=TEXT),
        ]

    @property
    def is_locked(self) -> bool:
        return self.outgoing_signed_at is not None and self.incoming_signed_at is not None


class Report(models.Model):
    """A major or widespread issue reported in writing to the supervisor and the manager (R-LOG-6)."""

    logbook = models.ForeignKey(Logbook, on_delete=models.PROTECT, related_name="reports")
    author = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("report"), max_length=LONG)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(title="") & ~Q(body=""), name="report_not_empty"),
            *length_checks("report", body=LONG),
        ]


class DisciplineKind(models.TextChoices):
    # R-ATT-7, the keys appraisal reads through logbook.queries.monthly_inputs.
    LATE = "late", _("Late")
    ABSENCE = "absence", _("Absence from post")
    EARLY_LEAVE = "early_leave", _("Early leave")
    UNAPPROVED_SWAP = "unapproved_swap", _("Unapproved swap")
    DEMERIT = "demerit", _("Demerit")


class DisciplineRecord(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="discipline_records")
    kind = models.CharField(_("kind"), max_length=16, choices=DisciplineKind.choices)
    date = models.DateField(_("date"))
    duty_shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True, max_length=NOTE)
    recorded_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("discipline record")
        verbose_name_plural = _("discipline records")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DisciplineKind.values), name="discipline_kind_valid"),
            # The absence job may run twice at once: one record per person, shift and kind.
            models.UniqueConstraint(
                fields=["profile", "duty_shift", "kind"],
                condition=Q(duty_shift__isnull=False),
                name="discipline_once_per_shift_kind",
            ),
            *length_checks("discipline", note=NOTE),
        ]
        indexes = [models.Index(fields=["profile", "date"], name="discipline_profile_date")]


class DisciplineAcknowledgement(models.Model):
    """R-ATT-6: each person signs the discipline acknowledgement once, before first duty."""

    profile = models.OneToOneField(Profile, on_delete=models.PROTECT, related_name="discipline_acknowledgement")
    signed_at = models.DateTimeField(default=timezone.now)
    version = models.CharField(max_length=20)


class EquipmentItem(models.Model):
    """A team's pre-shift checklist item (R-ATT-1); a team without items uses rules.DEFAULT_EQUIPMENT."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="equipment_items")
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["team", "order", "name"]
        verbose_name = _("equipment item")
        verbose_name_plural = _("equipment items")
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="equipment_unique_per_team")]


class RetentionPolicy(models.Model):
    """R-PIPL-3: how long the company keeps customers' personal data in logbook entries, counted from the day the
    logbook was closed (submitted; or signed out, or its shift ended, when never submitted). One row."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    days = models.PositiveIntegerField(_("days kept after the logbook is closed"), default=180)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("retention period")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="retention_policy_one_row"),
            models.CheckConstraint(condition=Q(days__gte=30) & Q(days__lte=1095), name="retention_days_in_range"),
        ]


class RetentionRun(models.Model):
    """One run of the retention job (or its dry run): what it removed, or would remove (R-PIPL-3)."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    days = models.PositiveIntegerField(_("days kept"))
    cutoff = models.DateTimeField(_("closed before"))
    entries = models.PositiveIntegerField(_("entries"), default=0)
    # {field name: how many entries lost it}
    fields = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
