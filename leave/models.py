"""Leave and swap requests with two-level approval (R-LEAVE-1..4, R-SWAP-1..2).

The tables keep the names they had under the roster app (db_table), so the move to this app copied no data. A
request only ever changes state through leave.services (one function per transition, checked against the allowed-moves
tables of leave.rules); every move writes a `RequestEvent`, so the history of a request
(who, when, decision, reason) is those rows (R-ROSTER-9).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.limits import NOTE, length_checks
from dutydesk.models import Profile, Team

__all__ = [
    "LeaveType",
    "LeaveState",
    "SwapState",
    "LeaveRequest",
    "LeaveShift",
    "SwapRequest",
    "RequestEvent",
    "EmergencyCall",
    "LEAVE_OPEN",
    "SWAP_OPEN",
]


class LeaveType(models.TextChoices):
    PERSONAL = "personal", _("Personal leave")
    SICK = "sick", _("Sick leave")
    ANNUAL = "annual", _("Annual leave")
    OTHER = "other", _("Other")
    COMP_TIME = "comp_time", _("Comp-time leave")  # 调休: taken from the balance kept by compensation (kinds.py)


class LeaveState(models.TextChoices):
    # R-LEAVE-2: team lead first, then supervisor.
    AWAITING_LEAD = "awaiting_lead", pgettext_lazy("request state", "Waiting for the team lead")
    AWAITING_SUPERVISOR = "awaiting_supervisor", pgettext_lazy("request state", "Waiting for the supervisor")
    APPROVED = "approved", pgettext_lazy("request state", "Approved")
    REJECTED = "rejected", pgettext_lazy("request state", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("request state", "Withdrawn")


class SwapState(models.TextChoices):
    # R-SWAP-2: the colleague signs, then the team lead records.
    AWAITING_COLLEAGUE = "awaiting_colleague", pgettext_lazy("request state", "Waiting for the colleague")
    AWAITING_LEAD = "awaiting_lead", pgettext_lazy("request state", "Waiting for the team lead")
    APPROVED = "approved", pgettext_lazy("request state", "Recorded")
    DECLINED = "declined", pgettext_lazy("request state", "Declined by the colleague")
    REJECTED = "rejected", pgettext_lazy("request state", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("request state", "Withdrawn")


LEAVE_OPEN = [LeaveState.AWAITING_LEAD, LeaveState.AWAITING_SUPERVISOR]
SWAP_OPEN = [SwapState.AWAITING_COLLEAGUE, SwapState.AWAITING_LEAD]


class LeaveRequest(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="leave_requests")
    profile = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="leave_requests", verbose_name=_("requested by")
    )
    kind = models.CharField(_("type"), max_length=16, choices=LeaveType.choices)
    reason = models.TextField(_("reason"), max_length=NOTE)
    state = models.CharField(
        pgettext_lazy("of a request", "state"),
        max_length=24,
        choices=LeaveState.choices,
        default=LeaveState.AWAITING_LEAD,
    )
    # R-LEAVE-3: filed after the phone report the lead recorded; the 24 h notice does not apply.
    emergency = models.BooleanField(_("emergency leave"), default=False)
    proposed_substitute = models.ForeignKey(
        Profile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed substitute"),
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        db_table = "roster_leaverequest"  # its table from when it lived in the roster app
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=LeaveState.values), name="leave_state_valid"),
            models.CheckConstraint(condition=Q(kind__in=LeaveType.values), name="leave_kind_valid"),
            models.CheckConstraint(condition=~Q(reason=""), name="leave_reason_given"),
            *length_checks("leave", reason=NOTE),
            # A decided request says when; an open one has no decision time.
            models.CheckConstraint(
                condition=Q(state__in=LEAVE_OPEN, decided_at__isnull=True)
                | (~Q(state__in=LEAVE_OPEN) & Q(decided_at__isnull=False)),
                name="leave_decided_iff_closed",
            ),
            models.CheckConstraint(
                condition=~Q(proposed_substitute=models.F("profile")), name="leave_substitute_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.profile} {self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in LEAVE_OPEN


class LeaveShift(models.Model):
    """One duty shift a leave request covers, and (on final approval) who substitutes (R-LEAVE-4)."""

    leave = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="shifts")
    duty_shift = models.ForeignKey("roster.DutyShift", on_delete=models.PROTECT, related_name="leave_shifts")
    # Copied from the request so that the database refuses two open requests for one shift of one person.
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    is_open = models.BooleanField(default=True)
    substitute = models.ForeignKey(
        Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("substitute")
    )

    class Meta:
        ordering = ["duty_shift__starts_at"]
        db_table = "roster_leaveshift"  # its table from when it lived in the roster app
        verbose_name = _("shift on leave")
        verbose_name_plural = _("shifts on leave")
        constraints = [
            models.UniqueConstraint(fields=["leave", "duty_shift"], name="leaveshift_once_per_request"),
            models.UniqueConstraint(
                fields=["profile", "duty_shift"], condition=Q(is_open=True), name="leaveshift_one_open_per_person_shift"
            ),
            models.CheckConstraint(condition=~Q(substitute=models.F("profile")), name="leaveshift_substitute_not_self"),
        ]


class SwapRequest(models.Model):
    """R-SWAP-1: the requester gives `give_shift` to `colleague` and takes `take_shift` (or nothing: gives it away)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="swap_requests")
    profile = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="swap_requests", verbose_name=_("requested by")
    )
    colleague = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="swaps_offered", verbose_name=_("colleague")
    )
    give_shift = models.ForeignKey(
        "roster.DutyShift", on_delete=models.PROTECT, related_name="+", verbose_name=_("shift given")
    )
    take_shift = models.ForeignKey(
        "roster.DutyShift",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shift taken"),
    )
    reason = models.TextField(_("reason"), blank=True, max_length=NOTE)
    state = models.CharField(
        pgettext_lazy("of a request", "state"),
        max_length=24,
        choices=SwapState.choices,
        default=SwapState.AWAITING_COLLEAGUE,
    )
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        db_table = "roster_swaprequest"  # its table from when it lived in the roster app
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SwapState.values), name="swap_state_valid"),
            *length_checks("swap", reason=NOTE),
            models.CheckConstraint(condition=~Q(colleague=models.F("profile")), name="swap_not_with_oneself"),
            models.CheckConstraint(condition=~Q(take_shift=models.F("give_shift")), name="swap_two_shifts"),
            models.CheckConstraint(
                condition=Q(state__in=SWAP_OPEN, decided_at__isnull=True)
                | (~Q(state__in=SWAP_OPEN) & Q(decided_at__isnull=False)),
                name="swap_decided_iff_closed",
            ),
            models.UniqueConstraint(
                fields=["profile", "give_shift"],
                condition=Q(state__in=SWAP_OPEN),
                name="swap_one_open_per_person_shift",
            ),
        ]

    def __str__(self):
        return f"{self.profile} ⇄ {self.colleague} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in SWAP_OPEN


class RequestEvent(models.Model):
    """One move of a leave or swap request: who, when, from which state to which, and why (R-ROSTER-9)."""

    leave = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    swap = models.ForeignKey(SwapRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    from_state = models.CharField(max_length=24, blank=True)  # blank: the request was filed
    to_state = models.CharField(max_length=24)
    note = models.TextField(_("note"), blank=True, max_length=NOTE)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        db_table = "roster_requestevent"  # its table from when it lived in the roster app
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        constraints = [
            models.CheckConstraint(
                condition=Q(leave__isnull=False, swap__isnull=True) | Q(leave__isnull=True, swap__isnull=False),
                name="event_one_request",
            ),
            *length_checks("event", note=NOTE),
        ]


class EmergencyCall(models.Model):
    """R-LEAVE-3: the team lead's record of an agent's phone report; the written request must follow by the deadline
    (shift start + 1 h)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="emergency_calls")
    profile = models.ForeignKey(
        Profile, on_delete=models.PROTECT, related_name="emergency_calls", verbose_name=_("agent")
    )
    duty_shift = models.ForeignKey(
        "roster.DutyShift", on_delete=models.PROTECT, related_name="emergency_calls", verbose_name=_("shift")
    )
    recorded_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    called_at = models.DateTimeField(_("time of the call"))
    said = models.TextField(_("what was said"), max_length=NOTE)
    recorded_at = models.DateTimeField(default=timezone.now)
    # The written request that followed (R-LEAVE-3); empty and past the deadline = overdue.
    leave = models.OneToOneField(
        LeaveRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="emergency_call"
    )

    class Meta:
        ordering = ["-called_at"]
        db_table = "roster_emergencycall"  # its table from when it lived in the roster app
        verbose_name = _("emergency call")
        verbose_name_plural = _("emergency calls")
        constraints = [
            models.UniqueConstraint(fields=["profile", "duty_shift"], name="emergency_call_once_per_shift"),
            models.CheckConstraint(condition=~Q(said=""), name="emergency_call_said"),
            *length_checks("emergency_call", said=NOTE),
        ]
