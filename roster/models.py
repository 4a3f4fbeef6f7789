"""Roster (排班表): team duty settings, the duty shifts of a month, and the roster's versions.

A month's roster is a `Roster` with numbered `RosterVersion`s. At most one version is a draft (editable); every
published version is immutable (R-ROSTER-9: a change after publication is a new version that says who, when and
why). `Assignment` rows belong to one version. `DutyShift` is one shift on one date (12-06 night): it is stable
across versions, so sign-in, the logbook, reminders and evaluations refer to it, and "who holds it" is read from
the roster's published version.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.limits import TEXT, length_checks
from dutydesk.models import Profile, Skill, Team

# The most people one shift may ask for (a weekend duty team, not a call centre floor).
MAX_HEADCOUNT = 50


def weekend() -> list[int]:
    return [5, 6]


def monday_to_friday() -> list[int]:
    return [0, 1, 2, 3, 4]


class WorkingTimeSystem(models.TextChoices):
    """The team's working-time system (R-LAW-1, -2); comprehensive and flexible hours need the labour bureau's
    approval, which the team holds."""

    STANDARD = "standard", _("Standard working hours (标准工时)")
    COMPREHENSIVE = "comprehensive", _("Comprehensive working hours (综合计算工时)")
    FLEXIBLE = "flexible", _("Flexible working hours (不定时)")


class SettlementPeriod(models.IntegerChoices):
    """Comprehensive hours are settled over a period of whole calendar months, counted from January."""

    MONTH = 1, _("Month")
    QUARTER = 3, _("Quarter")
    HALF_YEAR = 6, _("Half year")
    YEAR = 12, _("Year")


class TeamRosterSettings(models.Model):
    """Per-team values the policy leaves as [X] (DOMAIN.md), with our defaults."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="roster_settings")
    # R-ROSTER-1: Saturdays and Sundays (Python weekday numbers: Monday 0 ... Sunday 6).
    duty_weekdays = ArrayField(models.PositiveSmallIntegerField(), default=weekend, verbose_name=_("duty weekdays"))
    holidays_are_duty_days = models.BooleanField(
        _("statutory holidays are duty days"),
        default=True,
        help_text=_("China's statutory holidays are staffed like weekends and count as holiday shifts."),
    )
    workdays_are_not_duty_days = models.BooleanField(
        _("adjusted working days (调休) are not duty days"),
        default=True,
        help_text=_("A weekend that is an official working day is staffed by the weekday team."),
    )
    preset_promotion_days = models.BooleanField(
        _("618, Double 11 and Double 12 are promotion days"),
        default=True,
    )
    publish_days_ahead = models.PositiveSmallIntegerField(_("publish at least N days ahead"), default=7)  # R-ROSTER-2
    availability_closes_days = models.PositiveSmallIntegerField(
        _("availability closes N days before the publish deadline"),
        default=3,
    )
    # R-ROSTER-3
    max_consecutive_nights = models.PositiveSmallIntegerField(_("most consecutive night shifts"), default=3)
    # R-ROSTER-6
    shadow_shifts_required = models.PositiveSmallIntegerField(_("shadow shifts before working alone"), default=2)
    solver_time_limit_s = models.PositiveSmallIntegerField(_("generation time limit (seconds)"), default=10)
    leave_notice_hours = models.PositiveSmallIntegerField(_("leave notice (hours)"), default=24)  # R-LEAVE-1
    # Working-time law (R-LAW-1, -2): the system, the regular week every agent works outside duty (the calendar's
    # 调休 working days add to it, its holidays and holiday breaks take from it), the monthly cap on rest-day and
    # holiday duty hours (the law's 36 at most) and whether comp-time hours count toward it.
    working_time_system = models.CharField(
        _("working-time system"),
        max_length=16,
        choices=WorkingTimeSystem.choices,
        default=WorkingTimeSystem.STANDARD,
        help_text=_("Standard hours keep a rest day every week; comprehensive and flexible hours need approval."),
    )
    regular_weekdays = ArrayField(
        models.PositiveSmallIntegerField(), default=monday_to_friday, verbose_name=_("regular working week")
    )
    extended_hours_cap = models.PositiveSmallIntegerField(
        _("most rest-day and holiday duty hours a month"),
        default=36,
        help_text=_("Labour Law article 41 allows at most 36 hours a month; a team may set fewer."),
    )
    settlement_months = models.PositiveSmallIntegerField(
        _("settlement period (comprehensive hours)"),
        choices=SettlementPeriod.choices,
        default=SettlementPeriod.MONTH,
        help_text=_("Under comprehensive hours the cap applies over this period: the monthly cap times its months."),
    )
    count_comp_time_hours = models.BooleanField(
        _("comp-time hours count toward the cap"),
        default=True,
        help_text=_("Off: rest-day duty compensated with comp time (调休) is left out of the extended-hours cap."),
    )
    # Wishes (预排休, issue 26): a window in the month before, up to N wished days off, soft in generation.
    wish_window_opens_day = models.PositiveSmallIntegerField(
        _("wishes open on day"), default=1, help_text=_("Day of the month before the roster's month.")
    )
    wish_window_closes_day = models.PositiveSmallIntegerField(
        _("wishes close on day"), default=15, help_text=_("Day of the month before the roster's month.")
    )
    wish_days_off = models.PositiveSmallIntegerField(_("wished days off per person"), default=2)
    wish_weight = models.PositiveSmallIntegerField(
        _("weight of wishes"),
        default=3,
        help_text=_("0 ignores wishes, 10 grants as many as the balance of the month allows."),
    )

    class Meta:
        verbose_name = _("team roster settings")
        verbose_name_plural = _("team roster settings")
        constraints = [
            models.CheckConstraint(condition=Q(max_consecutive_nights__gte=1), name="settings_nights_positive"),
            models.CheckConstraint(
                condition=Q(solver_time_limit_s__gte=1) & Q(solver_time_limit_s__lte=300),
                name="settings_time_limit_range",
            ),
            # R-LAW-2: a team's policy may be stricter than the law, never looser.
            models.CheckConstraint(condition=Q(extended_hours_cap__lte=36), name="settings_cap_within_law"),
            models.CheckConstraint(
                condition=Q(working_time_system__in=WorkingTimeSystem.values), name="settings_system_valid"
            ),
            models.CheckConstraint(
                condition=Q(settlement_months__in=SettlementPeriod.values), name="settings_settlement_valid"
            ),
            models.CheckConstraint(
                condition=Q(wish_window_opens_day__gte=1)
                & Q(wish_window_closes_day__lte=31)
                & Q(wish_window_opens_day__lte=models.F("wish_window_closes_day")),
                name="settings_wish_window_in_month",
            ),
            models.CheckConstraint(condition=Q(wish_days_off__lte=8), name="settings_wish_days_off_range"),
            models.CheckConstraint(condition=Q(wish_weight__lte=10), name="settings_wish_weight_range"),
        ]

    def __str__(self):
        return str(self.team)


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
    order = models.PositiveSmallIntegerField(pgettext_lazy("position in a list", "order"), default=0)
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive shifts are left out of new rosters."))

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


class DayKind(models.TextChoices):
    DUTY = "duty", _("Duty day")
    NO_DUTY = "no_duty", _("No duty")
    PROMOTION = "promotion", _("Promotion day (A/B pair)")
    HOLIDAY = "holiday", _("Holiday duty day")


class CalendarOverride(models.Model):
    """A team's manual correction of the calendar for one date (R-ROSTER-1, R-ROSTER-7)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="calendar_overrides")
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        constraints = [
            models.UniqueConstraint(fields=["team", "date"], name="override_one_per_team_date"),
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="override_kind_valid"),
        ]


class HeadcountOverride(models.Model):
    """The headcount of one shift on one date, set apart from the shift's usual headcount (R-ROSTER-1: the team
    sets it), e.g. from the demand forecast. prepare_month lays the duty shift out with it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="headcount_overrides")
    date = models.DateField(_("date"))
    shift_type = models.ForeignKey(ShiftType, on_delete=models.CASCADE, related_name="headcount_overrides")
    headcount = models.PositiveSmallIntegerField(_("headcount"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    set_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "shift_type"]
        verbose_name = _("headcount of a date")
        verbose_name_plural = _("headcounts of dates")
        constraints = [
            models.UniqueConstraint(fields=["team", "date", "shift_type"], name="headcount_one_per_shift_date"),
            models.CheckConstraint(
                condition=Q(headcount__gte=1) & Q(headcount__lte=MAX_HEADCOUNT), name="headcount_override_range"
            ),
        ]


class AvailabilityKind(models.TextChoices):
    UNAVAILABLE = "unavailable", _("Cannot work")  # hard: R-ROSTER-8
    PREFERRED = "preferred", _("Would like to work")
    PREFER_OFF = "prefer_off", _("Would rather not work")
    # 预排休 (issue 26): one of the up to N days off a person wishes for in the wish window; soft, granted fairly.
    WISH_OFF = "wish_off", _("Wished day off")


class Availability(models.Model):
    """What an agent declared for a date of a coming month, before the availability deadline."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="availability")
    date = models.DateField(_("date"))
    kind = models.CharField(_("availability"), max_length=16, choices=AvailabilityKind.choices)
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.UniqueConstraint(fields=["profile", "date"], name="availability_one_per_date"),
            models.CheckConstraint(condition=Q(kind__in=AvailabilityKind.values), name="availability_kind_valid"),
        ]


class ShiftWishKind(models.TextChoices):
    PREFER = "prefer", _("Preferred")
    AVOID = "avoid", _("Avoided")


class ShiftWish(models.Model):
    """A shift kind a person would like (or would rather not) work in a month (issue 26); soft in generation."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="shift_wishes")
    month = models.DateField(_("month"))
    shift_type = models.ForeignKey(ShiftType, on_delete=models.CASCADE, related_name="wishes")
    kind = models.CharField(_("wish"), max_length=8, choices=ShiftWishKind.choices)

    class Meta:
        ordering = ["month", "shift_type"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "month", "shift_type"], name="shiftwish_one_per_kind"),
            models.CheckConstraint(condition=Q(kind__in=ShiftWishKind.values), name="shiftwish_kind_valid"),
            models.CheckConstraint(condition=Q(month__day=1), name="shiftwish_month_first_day"),
        ]


class DutyShift(models.Model):
    """One shift on one duty date of a team: the thing people are rostered on, sign in to and log."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="duty_shifts")
    date = models.DateField(_("date"), db_index=True)
    shift_type = models.ForeignKey(ShiftType, on_delete=models.PROTECT, related_name="duty_shifts")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_night = models.BooleanField(_("night shift"), default=False)
    is_holiday = models.BooleanField(_("holiday"), default=False)
    is_promotion = models.BooleanField(_("promotion day"), default=False)  # R-ROSTER-7: A/B pair
    headcount = models.PositiveSmallIntegerField(_("headcount"))
    # False once the calendar or the team's shifts no longer lay it out (a duty day the holiday calendar removed, a
    # shift type made inactive): kept only because a published version holds it, and left out of every version that
    # does not (R-ROSTER-9, R-CAL-2: a revision drops it).
    laid_out = models.BooleanField(default=True)

    class Meta:
        ordering = ["date", "starts_at"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        constraints = [
            models.UniqueConstraint(fields=["team", "date", "shift_type"], name="dutyshift_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="dutyshift_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.date:%m-%d} {self.shift_type.name}"

    @staticmethod
    def bounds(day, shift_type: ShiftType) -> tuple[datetime, datetime]:
        """Aware start and end of a shift type on a date; an end at or before the start is on the next day."""
        zone = timezone.get_default_timezone()
        starts = datetime.combine(day, shift_type.start, tzinfo=zone)
        ends = datetime.combine(day, shift_type.end, tzinfo=zone)
        if ends <= starts:
            ends += timedelta(days=1)
        return starts, ends


class Roster(models.Model):
    """The roster of one team for one month."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rosters")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    # The version in force: the latest published one. Kept here so that "who holds this shift" is one join,
    # and so that publishing locks one row (select_for_update) against a double click or a second supervisor.
    published_version = models.ForeignKey(
        "RosterVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Bumped by every change to the draft; a form carries it so a stale page is refused (optimistic locking).
    draft_revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month", "team"]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="roster_one_per_team_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="roster_month_first_day"),
        ]

    def __str__(self):
        return f"{self.team} {self.month:%Y-%m}"


class VersionKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    REVISION = "revision", _("Supervisor's revision")
    LEAVE = "leave", _("Approved leave")
    SWAP = "swap", _("Approved swap")
    # Issue 24: an open shift claimed, a shift given away or traded in the shift marketplace (market/).
    MARKET = "market", _("Shift marketplace")


class RosterVersion(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="versions")
    # Draft: number is null and published_at is null. Published versions are numbered 1, 2, 3 ...
    number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=VersionKind.choices, default=VersionKind.PUBLICATION)
    reason = models.TextField(_("reason"), blank=True, max_length=TEXT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Who published it (R-ROSTER-9: who, when, why). A draft made by the scheduled job and published by a
    # supervisor's click names the supervisor; null on versions published before this was kept.
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    # The solver's result for a generated draft: score breakdown by goal and the hard-rule problems it reported.
    generation = models.JSONField(default=dict, blank=True)
    # R-CAL-1: published while the holidays of its year were not yet official; the publisher (published_by, at
    # published_at) confirmed it explicitly.
    provisional_calendar = models.BooleanField(_("published on a provisional holiday calendar"), default=False)

    class Meta:
        ordering = ["roster", "number"]
        verbose_name = _("roster version")
        verbose_name_plural = _("roster versions")
        constraints = [
            models.UniqueConstraint(fields=["roster", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["roster"], condition=Q(published_at__isnull=True), name="version_one_draft_per_roster"
            ),
            models.CheckConstraint(
                condition=(Q(number__isnull=True) & Q(published_at__isnull=True))
                | (Q(number__isnull=False) & Q(published_at__isnull=False)),
                name="version_numbered_iff_published",
            ),
            models.CheckConstraint(condition=Q(kind__in=VersionKind.values), name="version_kind_valid"),
            *length_checks("version", reason=TEXT),
        ]

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class AssignmentRole(models.TextChoices):
    MEMBER = "member", _("On duty")
    PRIMARY = "primary", _("A (primary)")  # R-ROSTER-7
    BACKUP = "backup", _("B (backup)")
    SHADOW = "shadow", _("Shadow")  # R-ROSTER-6: beside a qualified agent, not headcount


class Assignment(models.Model):
    version = models.ForeignKey(RosterVersion, on_delete=models.CASCADE, related_name="assignments")
    duty_shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, related_name="assignments")
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="assignments")
    # Copied from the duty shift so that the database itself refuses two shifts on one date (R-ROSTER-8).
    date = models.DateField()
    role = models.CharField(_("role"), max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.MEMBER)

    class Meta:
        ordering = ["date", "duty_shift__starts_at", "profile__name"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            # R-ROSTER-8: one shift at a time; dutydesk allows one shift per person per duty date.
            models.UniqueConstraint(fields=["version", "profile", "date"], name="assignment_one_shift_per_date"),
            models.CheckConstraint(condition=Q(role__in=AssignmentRole.values), name="assignment_role_valid"),
        ]
        indexes = [models.Index(fields=["profile", "date"], name="assignment_profile_date")]

    @property
    def counts_toward_headcount(self) -> bool:
        return self.role != AssignmentRole.SHADOW


class RosterAcknowledgement(models.Model):
    """An agent confirms having seen a published version (the supervisor sees who has not)."""

    version = models.ForeignKey(RosterVersion, on_delete=models.CASCADE, related_name="acknowledgements")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="roster_acknowledgements")
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "profile"], name="acknowledgement_once")]


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("roster generation status", "Queued")
    RUNNING = "running", pgettext_lazy("roster generation status", "Running")
    DONE = "done", pgettext_lazy("roster generation status", "Done")
    FAILED = "failed", pgettext_lazy("roster generation status", "Failed")
    CANCELLED = "cancelled", pgettext_lazy("roster generation status", "Cancelled")


class GenerationRun(models.Model):
    """One click on "generate": the Celery task reports progress here and the page polls it.

    Its lifecycle (the moves in roster.rules.GENERATION_MOVES, made only by roster.services.move_run): queued →
    running → done | failed, or cancelled by the supervisor while
    queued or running. A run that cannot be queued (broker down) fails at once; the beat sweep re-queues a run left
    queued and fails one left running past its time limit, so no run stays active for ever.
    """

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="generation_runs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=GenerationStatus.choices, default=GenerationStatus.QUEUED)
    progress = models.JSONField(default=dict, blank=True)  # solutions found, objective, bound, elapsed
    result = models.JSONField(default=dict, blank=True)  # score breakdown and hard-rule problems
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(default=timezone.now)  # the last time a task was sent for it
    attempts = models.PositiveSmallIntegerField(default=1)  # tasks sent for it (the sweep re-queues)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One generation at a time per roster: a double click queues one run.
            models.UniqueConstraint(
                fields=["roster"],
                condition=Q(status__in=["queued", "running"]),
                name="generation_one_active_per_roster",
            ),
            models.CheckConstraint(condition=Q(status__in=GenerationStatus.values), name="generation_status_valid"),
        ]


def new_feed_token() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of a person's iCalendar feed; resetting it cuts off every old subscription."""

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)
