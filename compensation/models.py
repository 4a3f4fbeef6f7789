"""Duty hours and compensation (值班工时与补偿): each team's policy, the comp-time ledger (调休余额) and the
monthly statements.

The ledger is a list of `CompTimeEntry` lines per person, each traced to what caused it: the duty shift that
earned it, the leave request that took it, the appraisal reward that granted it, the earnings that expired. A
person's balance is the sum of their lines. Spending locks the person's `CompTimeAccount` row, so two approvals
spending one balance are serialised and the second sees what the first took.

A team's month is a `DutyStatement` with numbered versions, like the appraisal: the current version is recomputed
in place until the supervisor finalises it; a finalised version is frozen, and a later correction is a new version
with a reason, the old one kept. `StatementLine` holds one person's figures of one version, with the policy they
were computed under and each shift's hours, so that a frozen month explains itself.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.limits import NOTE, length_checks
from dutydesk.models import Profile, Team
from roster.models import DutyShift


class Treatment(models.TextChoices):
    COMP_TIME = "comp_time", _("Comp time")
    OVERTIME_PAY = "overtime_pay", _("Overtime pay")


HOURS = {"max_digits": 7, "decimal_places": 2}
FACTOR = {"max_digits": 4, "decimal_places": 2}


class CompensationPolicy(models.Model):
    """How a team compensates duty on rest days and statutory holidays (PRC Labour Law art. 44), set by the
    supervisor. Defaults: rest days earn comp time 1:1; holidays are paid 3.0; comp time expires after 6 months."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="compensation_policy")
    rest_day_treatment = models.CharField(
        _("rest-day duty earns"), max_length=16, choices=Treatment.choices, default=Treatment.COMP_TIME
    )
    rest_day_ratio = models.DecimalField(
        _("comp time per rest-day hour"),
        default=1,
        **FACTOR,
        help_text=_("1.00 means one hour off for each hour worked (1:1)."),
    )
    rest_day_multiplier = models.DecimalField(
        _("rest-day overtime pay multiplier"), default=2, **FACTOR, help_text=_("At least 2.00 (200 %), by law.")
    )
    holiday_multiplier = models.DecimalField(
        _("statutory-holiday pay multiplier"), default=3, **FACTOR, help_text=_("At least 3.00 (300 %), by law.")
    )
    holiday_comp_time = models.BooleanField(_("statutory-holiday duty also earns comp time"), default=False)
    holiday_ratio = models.DecimalField(_("comp time per holiday hour"), default=1, **FACTOR)
    expiry_months = models.PositiveSmallIntegerField(
        _("comp time expires after (months)"),
        null=True,
        blank=True,
        default=6,
        help_text=_("Empty: comp time never expires."),
    )
    reward_hours = models.DecimalField(
        _("comp time of an extra reward (hours)"),
        default=8,
        **FACTOR,
        help_text=_("Offered when a manager grants an appraisal reward as comp time."),
    )
    updated_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("compensation policy")
        verbose_name_plural = _("compensation policies")
        constraints = [
            models.CheckConstraint(condition=Q(rest_day_treatment__in=Treatment.values), name="policy_treatment_valid"),
            models.CheckConstraint(
                condition=Q(rest_day_ratio__gt=0) & Q(holiday_ratio__gt=0) & Q(reward_hours__gt=0),
                name="policy_ratios_positive",
            ),
            models.CheckConstraint(
                condition=Q(rest_day_multiplier__gte=2) & Q(holiday_multiplier__gte=3), name="policy_multipliers_legal"
            ),
            models.CheckConstraint(
                condition=Q(expiry_months__isnull=True) | Q(expiry_months__range=(1, 60)), name="policy_expiry_range"
            ),
        ]

    def __str__(self):
        return str(self.team)


class PolicyException(models.Model):
    """One person's departure from the team's policy (an empty value: as the team), with the reason."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="compensation_exception", verbose_name=_("person")
    )
    rest_day_treatment = models.CharField(
        _("rest-day duty earns"), max_length=16, choices=Treatment.choices, blank=True
    )
    rest_day_ratio = models.DecimalField(_("comp time per rest-day hour"), null=True, blank=True, **FACTOR)
    rest_day_multiplier = models.DecimalField(_("rest-day overtime pay multiplier"), null=True, blank=True, **FACTOR)
    holiday_multiplier = models.DecimalField(_("statutory-holiday pay multiplier"), null=True, blank=True, **FACTOR)
    holiday_comp_time = models.BooleanField(_("statutory-holiday duty also earns comp time"), null=True, blank=True)
    holiday_ratio = models.DecimalField(_("comp time per holiday hour"), null=True, blank=True, **FACTOR)
    reason = models.TextField(_("reason"), max_length=NOTE)
    set_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("policy exception")
        verbose_name_plural = _("policy exceptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(rest_day_treatment__in=["", *Treatment.values]), name="exception_treatment_valid"
            ),
            models.CheckConstraint(
                condition=(Q(rest_day_ratio__isnull=True) | Q(rest_day_ratio__gt=0))
                & (Q(holiday_ratio__isnull=True) | Q(holiday_ratio__gt=0)),
                name="exception_ratios_positive",
            ),
            models.CheckConstraint(
                condition=(Q(rest_day_multiplier__isnull=True) | Q(rest_day_multiplier__gte=2))
                & (Q(holiday_multiplier__isnull=True) | Q(holiday_multiplier__gte=3)),
                name="exception_multipliers_legal",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="exception_has_reason"),
            *length_checks("exception", reason=NOTE),
        ]


class CompTimeAccount(models.Model):
    """The row that spending a person's comp time locks (select_for_update); the balance is the ledger's sum."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="comp_time_account")


class EntryKind(models.TextChoices):
    EARNED = "earned", _("Earned on duty")
    CORRECTION = "correction", _("Correction")
    REWARD = "reward", _("Appraisal reward")
    USED = "used", _("Taken as comp-time leave")
    EXPIRED = "expired", _("Expired")


class CompTimeEntry(models.Model):
    """One line of a person's comp-time ledger, traced to its cause. Hours are signed: + earned, − taken."""

    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="comp_time_entries")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    hours = models.DecimalField(_("hours"), **HOURS)
    # The date the line counts from: the shift's date, the day of the approval, grant or expiry.
    on = models.DateField(_("date"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    duty_shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    leave = models.ForeignKey("leave.LeaveRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reward_score = models.ForeignKey(
        "appraisal.AgentScore", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="expiries")
    statement = models.ForeignKey(
        "DutyStatement", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("comp-time line")
        verbose_name_plural = _("comp-time ledger")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EntryKind.values), name="comptime_kind_valid"),
            models.CheckConstraint(
                condition=(Q(kind__in=["earned", "reward"]) & Q(hours__gt=0))
                | (Q(kind__in=["used", "expired"]) & Q(hours__lt=0))
                | (Q(kind="correction") & ~Q(hours=0)),
                name="comptime_sign_matches_kind",
            ),
            # Each line is traced to its cause.
            models.CheckConstraint(
                condition=(Q(kind="earned") & Q(duty_shift__isnull=False))
                | (Q(kind="correction") & Q(duty_shift__isnull=False) & Q(statement__isnull=False))
                | (Q(kind="reward") & Q(reward_score__isnull=False))
                | (Q(kind="used") & Q(leave__isnull=False))
                | (Q(kind="expired") & Q(source__isnull=False)),
                name="comptime_traced",
            ),
            models.UniqueConstraint(
                fields=["profile", "duty_shift"], condition=Q(kind="earned"), name="comptime_earned_once_per_shift"
            ),
            # A leave request takes comp time once, however many times its approval is clicked.
            models.UniqueConstraint(fields=["leave"], condition=Q(kind="used"), name="comptime_used_once_per_leave"),
            models.UniqueConstraint(fields=["reward_score"], condition=Q(kind="reward"), name="comptime_reward_once"),
            models.UniqueConstraint(fields=["source"], condition=Q(kind="expired"), name="comptime_expires_once"),
        ]
        indexes = [models.Index(fields=["profile", "on"], name="comptime_profile_on")]


class StatementStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("duty statement", "Open")
    FINALISED = "finalised", pgettext_lazy("duty statement", "Finalised")


class DutyStatement(models.Model):
    """One version of one team's month of duty hours (值班工时月结)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="duty_statements")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    status = models.CharField(_("status"), max_length=12, choices=StatementStatus.choices, default=StatementStatus.OPEN)
    reason = models.TextField(_("reason for the correction"), blank=True, max_length=NOTE)
    policy = models.JSONField(default=dict)  # the team's policy this version was computed with
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    computed_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-month", "team", "-version"]
        verbose_name = _("duty statement")
        verbose_name_plural = _("duty statements")
        constraints = [
            models.UniqueConstraint(fields=["team", "month", "version"], name="statement_version_unique"),
            models.UniqueConstraint(
                fields=["team", "month"], condition=Q(is_current=True), name="statement_one_current_per_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="statement_month_first_day"),
            models.CheckConstraint(condition=Q(status__in=StatementStatus.values), name="statement_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="finalised") & Q(finalised_at__isnull=False))
                | (Q(status="open") & Q(finalised_at__isnull=True)),
                name="statement_finalised_iff_date",
            ),
            models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""), name="statement_correction_has_reason"),
            *length_checks("statement", reason=NOTE),
        ]

    def __str__(self):
        return f"{self.team} {self.month:%Y-%m} v{self.version}"

    @property
    def is_finalised(self) -> bool:
        return self.status == StatementStatus.FINALISED


class StatementLine(models.Model):
    """One person's month in one version: hours, comp time and overtime pay units, with the policy applied."""

    statement = models.ForeignKey(DutyStatement, on_delete=models.CASCADE, related_name="lines")
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="statement_lines")
    shifts = models.PositiveSmallIntegerField(_("duty shifts"), default=0)
    planned_hours = models.DecimalField(_("planned hours"), default=0, **HOURS)
    actual_hours = models.DecimalField(_("actual hours"), default=0, **HOURS)
    night_hours = models.DecimalField(_("night-shift hours"), default=0, **HOURS)
    workday_hours = models.DecimalField(_("working-day hours"), default=0, **HOURS)
    rest_day_hours = models.DecimalField(_("rest-day hours"), default=0, **HOURS)
    holiday_hours = models.DecimalField(_("statutory-holiday hours"), default=0, **HOURS)
    overtime_pay_units = models.DecimalField(_("overtime pay units"), default=0, **HOURS)
    comp_opening = models.DecimalField(_("comp time at the start"), default=0, **HOURS)
    comp_earned = models.DecimalField(_("comp time earned"), default=0, **HOURS)
    comp_granted = models.DecimalField(_("comp time granted"), default=0, **HOURS)
    comp_used = models.DecimalField(_("comp time used"), default=0, **HOURS)
    comp_expired = models.DecimalField(_("comp time expired"), default=0, **HOURS)
    comp_balance = models.DecimalField(_("comp-time balance"), default=0, **HOURS)
    # The person's effective policy (the team's, or their exception) when computed.
    rest_day_treatment = models.CharField(max_length=16, choices=Treatment.choices, default=Treatment.COMP_TIME)
    rest_day_ratio = models.DecimalField(default=1, **FACTOR)
    rest_day_multiplier = models.DecimalField(default=2, **FACTOR)
    holiday_multiplier = models.DecimalField(default=3, **FACTOR)
    holiday_comp_time = models.BooleanField(default=False)
    has_exception = models.BooleanField(default=False)
    unrecorded = models.PositiveSmallIntegerField(_("shifts without attendance record"), default=0)
    absences = models.PositiveSmallIntegerField(_("absences"), default=0)
    shift_rows = models.JSONField(default=list)  # each shift's hours, for "how was this computed"

    class Meta:
        ordering = ["profile__name"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        constraints = [
            models.UniqueConstraint(fields=["statement", "profile"], name="statement_line_once_per_version"),
            models.CheckConstraint(
                condition=Q(actual_hours=F("workday_hours") + F("rest_day_hours") + F("holiday_hours")),
                name="statement_line_hours_add_up",
            ),
            models.CheckConstraint(
                condition=Q(
                    comp_balance=F("comp_opening")
                    + F("comp_earned")
                    + F("comp_granted")
                    - F("comp_used")
                    - F("comp_expired")
                ),
                name="statement_line_balance_adds_up",
            ),
        ]


class ResponseKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")


class StatementResponse(models.Model):
    """The agent's confirmation or dispute of their month, and the team lead's resolution of a dispute."""

    line = models.OneToOneField(StatementLine, on_delete=models.CASCADE, related_name="response")
    kind = models.CharField(_("response"), max_length=12, choices=ResponseKind.choices)
    comment = models.TextField(_("what is disputed"), blank=True, max_length=NOTE)
    created_at = models.DateTimeField(default=timezone.now)
    resolution = models.TextField(_("resolution"), blank=True, max_length=NOTE)
    resolved_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response to a statement")
        verbose_name_plural = _("responses to statements")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ResponseKind.values), name="statement_response_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="confirmed") | ~Q(comment=""), name="statement_dispute_has_comment"
            ),
            models.CheckConstraint(
                condition=(Q(resolved_at__isnull=True) & Q(resolution=""))
                | (Q(kind="disputed") & Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="statement_resolution_complete",
            ),
            *length_checks("statement_response", comment=NOTE, resolution=NOTE),
        ]

    @property
    def is_open_dispute(self) -> bool:
        return self.kind == ResponseKind.DISPUTED and self.resolved_at is None
