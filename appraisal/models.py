"""Appraisal (考核): daily evaluations, satisfaction survey results, and the monthly appraisal of each team.

A team's month is a `MonthlyAppraisal` with numbered versions. The current version is recomputed in place
(same inputs, same numbers) until the manager finalises it; a finalised version is frozen, and a later correction
is a new version with a reason, the old one kept (R-APP-2..5). `AgentScore` holds one person's figures of one
version, with the inputs and the settings they came from, so that a frozen month explains itself.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.limits import NOTE, length_checks
from dutydesk.models import Profile, Team
from roster.models import DutyShift


class Band(models.TextChoices):
    # R-APP-3: 优秀 / 良好 / 一般; a composite below the pass mark fails the month (R-APP-5, 考核不合格).
    EXCELLENT = "excellent", pgettext_lazy("appraisal band", "Excellent")
    GOOD = "good", pgettext_lazy("appraisal band", "Good")
    AVERAGE = "average", pgettext_lazy("appraisal band", "Average")
    POOR = "poor", pgettext_lazy("appraisal band", "Failing")


class TeamAppraisalSettings(models.Model):
    """Per-team values the policy leaves as [X] (DOMAIN.md R-APP-3, R-APP-5), with our defaults."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="appraisal_settings")
    # Weights of the composite, in percent (they add up to 100).
    weight_satisfaction = models.PositiveSmallIntegerField(_("weight of satisfaction"), default=30)
    weight_on_time = models.PositiveSmallIntegerField(_("weight of on-time resolution"), default=20)
    weight_accuracy = models.PositiveSmallIntegerField(_("weight of record accuracy"), default=15)
    weight_attitude = models.PositiveSmallIntegerField(_("weight of attitude"), default=15)
    weight_evaluation = models.PositiveSmallIntegerField(_("weight of daily evaluations"), default=10)
    weight_discipline = models.PositiveSmallIntegerField(_("weight of discipline"), default=10)
    satisfaction_excellent = models.PositiveSmallIntegerField(_("satisfaction excellent from (%)"), default=95)
    satisfaction_good = models.PositiveSmallIntegerField(_("satisfaction good from (%)"), default=85)
    on_time_excellent = models.PositiveSmallIntegerField(_("on-time resolution excellent from (%)"), default=95)
    on_time_good = models.PositiveSmallIntegerField(_("on-time resolution good from (%)"), default=85)
    composite_excellent = models.PositiveSmallIntegerField(_("composite excellent from"), default=90)
    composite_good = models.PositiveSmallIntegerField(_("composite good from"), default=80)
    composite_pass = models.PositiveSmallIntegerField(_("composite passes from"), default=60)
    reward_after_months = models.PositiveSmallIntegerField(
        _("excellent months in a row for an extra reward"), default=3
    )
    review_after_months = models.PositiveSmallIntegerField(_("failing months in a row for dismissal review"), default=3)
    poor_month_deduction = models.PositiveSmallIntegerField(_("bonus deduction of a failing month (%)"), default=10)

    class Meta:
        verbose_name = _("team appraisal settings")
        verbose_name_plural = _("team appraisal settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    weight_satisfaction=100
                    - F("weight_on_time")
                    - F("weight_accuracy")
                    - F("weight_attitude")
                    - F("weight_evaluation")
                    - F("weight_discipline")
                ),
                name="appraisal_weights_add_to_100",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction_good__lte=F("satisfaction_excellent"))
                & Q(satisfaction_excellent__lte=100)
                & Q(on_time_good__lte=F("on_time_excellent"))
                & Q(on_time_excellent__lte=100)
                & Q(composite_pass__lte=F("composite_good"))
                & Q(composite_good__lte=F("composite_excellent"))
                & Q(composite_excellent__lte=100),
                name="appraisal_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(reward_after_months__gte=1)
                & Q(review_after_months__gte=1)
                & Q(poor_month_deduction__lte=100),
                name="appraisal_streaks_and_deduction_valid",
            ),
        ]

    def __str__(self):
        return str(self.team)


RATING_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Rating(models.IntegerChoices):
    # R-APP-1: one scale for all five aspects; 5 excellent ... 1 poor.
    EXCELLENT = 5, _("5 Excellent")
    GOOD = 4, _("4 Good")
    AVERAGE = 3, _("3 Average")
    WEAK = 2, _("2 Below expectations")
    POOR = 1, _("1 Poor")


class DailyEvaluation(models.Model):
    """A supervisor's or team lead's evaluation of one person on one duty shift (R-APP-1)."""

    duty_shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, related_name="evaluations")
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="evaluations")
    evaluator = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="evaluations_given")
    inquiry = models.PositiveSmallIntegerField(
        _("inquiry handling"), choices=Rating.choices, validators=RATING_VALIDATORS
    )
    complaint = models.PositiveSmallIntegerField(
        _("complaint handling"), choices=Rating.choices, validators=RATING_VALIDATORS
    )
    business = models.PositiveSmallIntegerField(
        _("business handling"), choices=Rating.choices, validators=RATING_VALIDATORS
    )
    records = models.PositiveSmallIntegerField(
        _("record keeping"), choices=Rating.choices, validators=RATING_VALIDATORS
    )
    attitude = models.PositiveSmallIntegerField(
        _("service attitude"), choices=Rating.choices, validators=RATING_VALIDATORS
    )
    comment = models.TextField(_("comment"), blank=True, max_length=NOTE)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["duty_shift__starts_at", "profile__name"]
        verbose_name = _("daily evaluation")
        verbose_name_plural = _("daily evaluations")
        constraints = [
            models.UniqueConstraint(fields=["duty_shift", "profile"], name="evaluation_once_per_shift_person"),
            models.CheckConstraint(
                condition=Q(inquiry__range=(1, 5))
                & Q(complaint__range=(1, 5))
                & Q(business__range=(1, 5))
                & Q(records__range=(1, 5))
                & Q(attitude__range=(1, 5)),
                name="evaluation_ratings_1_to_5",
            ),
            *length_checks("evaluation", comment=NOTE),
        ]


class Scale(models.TextChoices):
    FIVE = "five", _("1-5 points")
    PERCENT = "percent", _("0-100 points")
    BINARY = "binary", _("Satisfied / unsatisfied")


class SurveyImport(models.Model):
    """One imported survey file. The file's hash makes a second upload of the same file add nothing (R-APP-2)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="survey_imports")
    file_name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_added = models.PositiveIntegerField(_("results added"), default=0)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")
        constraints = [models.UniqueConstraint(fields=["team", "sha256"], name="survey_import_file_once")]


class SurveyResult(models.Model):
    """One customer's satisfaction answer about one person's service on one date (R-APP-2)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="survey_results")
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="survey_results")
    date = models.DateField(_("date"))
    scale = models.CharField(_("scale"), max_length=8, choices=Scale.choices)
    score = models.PositiveSmallIntegerField(_("score"))  # binary: 1 satisfied, 0 unsatisfied
    satisfied = models.BooleanField(_("satisfied"))
    # The natural key of a row: the survey's own reference when the file has one, otherwise the score and the
    # occurrence of identical rows (appraisal.rules.survey_key), so that the same rows imported again add nothing.
    key = models.CharField(max_length=100)
    source = models.ForeignKey(SurveyImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="results")
    entered_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "profile__name"]
        verbose_name = _("survey result")
        verbose_name_plural = _("survey results")
        constraints = [
            models.UniqueConstraint(fields=["profile", "date", "key"], name="survey_result_natural_key"),
            models.CheckConstraint(condition=Q(scale__in=Scale.values), name="survey_scale_valid"),
            models.CheckConstraint(
                condition=(Q(scale="five") & Q(score__range=(1, 5)))
                | (Q(scale="percent") & Q(score__lte=100))
                | (Q(scale="binary") & Q(score__lte=1)),
                name="survey_score_in_scale",
            ),
        ]
        indexes = [models.Index(fields=["profile", "date"], name="survey_profile_date")]


class AppraisalStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("appraisal month status", "Computed, open")
    FINALISED = "finalised", pgettext_lazy("appraisal month status", "Finalised")


class MonthlyAppraisal(models.Model):
    """One version of one team's appraisal month. The current version is the one in force."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="appraisals")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    is_current = models.BooleanField(default=True)
    status = models.CharField(_("status"), max_length=12, choices=AppraisalStatus.choices, default=AppraisalStatus.OPEN)
    reason = models.TextField(_("reason for the correction"), blank=True, max_length=NOTE)
    settings = models.JSONField(default=dict)  # the weights and thresholds this version was computed with
    excellent_names = models.JSONField(default=list)  # R-APP-4, kept with the version for the agents' view
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    computed_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-month", "team", "-version"]
        verbose_name = _("monthly appraisal")
        verbose_name_plural = _("monthly appraisals")
        constraints = [
            models.UniqueConstraint(fields=["team", "month", "version"], name="appraisal_version_unique"),
            *length_checks("appraisal", reason=NOTE),
            models.UniqueConstraint(
                fields=["team", "month"], condition=Q(is_current=True), name="appraisal_one_current_per_month"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="appraisal_month_first_day"),
            models.CheckConstraint(condition=Q(status__in=AppraisalStatus.values), name="appraisal_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="finalised") & Q(finalised_at__isnull=False))
                | (Q(status="open") & Q(finalised_at__isnull=True)),
                name="appraisal_finalised_iff_date",
            ),
            # A correction (version 2+) always says why (R-APP-5 decisions rest on it).
            models.CheckConstraint(condition=Q(version=1) | ~Q(reason=""), name="appraisal_correction_has_reason"),
        ]

    def __str__(self):
        return f"{self.team} {self.month:%Y-%m} v{self.version}"

    @property
    def is_finalised(self) -> bool:
        return self.status == AppraisalStatus.FINALISED


class ScoreStatus(models.TextChoices):
    RATED = "rated", pgettext_lazy("appraisal score status", "Rated")
    NO_DUTY = "no_duty", pgettext_lazy("appraisal score status", "No duty this month")
    UNRATED = "unrated", pgettext_lazy("appraisal score status", "On duty, no evaluations or surveys")


class AgentScore(models.Model):
    """One person's figures in one version of a month (R-APP-2..5). Metrics are 0-100, null when no data."""

    appraisal = models.ForeignKey(MonthlyAppraisal, on_delete=models.CASCADE, related_name="scores")
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="appraisal_scores")
    status = models.CharField(_("status"), max_length=10, choices=ScoreStatus.choices)
    satisfaction = models.DecimalField(_("satisfaction"), max_digits=4, decimal_places=1, null=True)
    on_time = models.DecimalField(_("on-time resolution"), max_digits=4, decimal_places=1, null=True)
    accuracy = models.DecimalField(_("record accuracy"), max_digits=4, decimal_places=1, null=True)
    attitude = models.DecimalField(_("attitude"), max_digits=4, decimal_places=1, null=True)
    evaluation = models.DecimalField(_("daily evaluations"), max_digits=4, decimal_places=1, null=True)
    discipline = models.DecimalField(_("discipline"), max_digits=4, decimal_places=1, null=True)
    composite = models.DecimalField(_("composite"), max_digits=4, decimal_places=1, null=True)
    satisfaction_band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    on_time_band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    accuracy_band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    attitude_band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    evaluation_band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    discipline_band = models.CharField(max_length=10, choices=Band.choices, blank=True)
    band = models.CharField(_("band"), max_length=10, choices=Band.choices, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    is_excellent_agent = models.BooleanField(_("excellent agent of the month"), default=False)  # R-APP-4
    excellent_streak = models.PositiveSmallIntegerField(default=0)  # R-APP-5
    failing_streak = models.PositiveSmallIntegerField(default=0)
    reward_flag = models.BooleanField(_("extra reward"), default=False)
    review_flag = models.BooleanField(_("dismissal review"), default=False)
    deduction = models.PositiveSmallIntegerField(_("bonus deduction (%)"), default=0)
    inputs = models.JSONField(default=dict)  # the counts the figures came from, for "how was this computed"

    class Meta:
        ordering = ["rank", "profile__name"]
        verbose_name = _("agent score")
        verbose_name_plural = _("agent scores")
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "profile"], name="score_once_per_version"),
            models.CheckConstraint(condition=Q(status__in=ScoreStatus.values), name="score_status_valid"),
            # Only a rated month has a composite, a band and a rank.
            models.CheckConstraint(
                condition=(Q(status="rated") & Q(composite__isnull=False) & ~Q(band=""))
                | (~Q(status="rated") & Q(composite__isnull=True) & Q(band="") & Q(rank__isnull=True)),
                name="score_composite_iff_rated",
            ),
        ]


class ResponseKind(models.TextChoices):
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("appraisal response", "Acknowledged")
    DISPUTED = "disputed", pgettext_lazy("appraisal response", "Disputed")


class ScoreResponse(models.Model):
    """The agent's acknowledgement or dispute of their month, and the supervisor's answer (R-APP-6)."""

    score = models.OneToOneField(AgentScore, on_delete=models.CASCADE, related_name="response")
    kind = models.CharField(_("response"), max_length=12, choices=ResponseKind.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=NOTE)
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True, max_length=NOTE)
    answered_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("response to a score")
        verbose_name_plural = _("responses to scores")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ResponseKind.values), name="response_kind_valid"),
            *length_checks("response", comment=NOTE, answer=NOTE),
            models.CheckConstraint(condition=Q(kind="acknowledged") | ~Q(comment=""), name="dispute_has_comment"),
            models.CheckConstraint(
                condition=(Q(answered_at__isnull=True) & Q(answer="")) | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="response_answer_complete",
            ),
        ]

    @property
    def is_open_dispute(self) -> bool:
        return self.kind == ResponseKind.DISPUTED and self.answered_at is None
