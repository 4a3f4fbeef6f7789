"""The shift marketplace (issue 24): open shifts a supervisor posts (抢班), shifts an agent gives away (放班), trades
(换班) with payback (还班), and the claims on them.

An offer or a claim changes state only through market.services (one function per move, checked against the
allowed-moves tables of market.rules). A taken shift changes the roster only through
roster.services.revise_published, inside the same transaction (R-ROSTER-9). Invariants the database keeps too: no
more places taken than posted, one live claim per person and offer, one open offer per shift and giver.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dutydesk.limits import NOTE, length_checks
from dutydesk.models import Profile, Team
from roster.models import DutyShift

__all__ = ["FairOrder", "MarketSettings", "OfferKind", "OfferState", "Offer", "ClaimState", "Claim", "Payback"]


class FairOrder(models.TextChoices):
    # Issue 24 item 4: the team's rule when several claim.
    FEWEST_SHIFTS = "fewest_shifts", _("Fewest duty shifts over the last three months first, then the earliest claim")
    EARLIEST = "earliest", _("The earliest claim first")


class MarketSettings(models.Model):
    """A team's marketplace rules; a team without a row has the defaults (market.queries.settings_for)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="market_settings")
    first_claim_wins = models.BooleanField(
        _("the first eligible claim takes the shift"),
        default=False,
        help_text=_("Otherwise a team lead or supervisor approves one of the claims."),
    )
    order = models.CharField(_("order of claims"), max_length=16, choices=FairOrder.choices, default="fewest_shifts")
    monthly_cap = models.PositiveSmallIntegerField(
        _("shifts one person may take per month"),
        default=4,
        help_text=_("From open shifts, give-aways and trades together; 0: no limit."),
    )
    give_away_hours = models.PositiveSmallIntegerField(
        _("tell the team lead when a given-away shift is not taken this many hours before it starts"), default=48
    )
    payback = models.BooleanField(_("track paybacks of trades"), default=True)

    class Meta:
        verbose_name = _("marketplace settings")
        constraints = [
            models.CheckConstraint(condition=Q(order__in=FairOrder.values), name="market_settings_order_valid"),
            models.CheckConstraint(condition=Q(monthly_cap__lte=31), name="market_settings_cap_range"),
            models.CheckConstraint(condition=Q(give_away_hours__lte=24 * 14), name="market_settings_hours_range"),
        ]


class OfferKind(models.TextChoices):
    OPEN = "open", pgettext_lazy("market offer kind", "Open shift")  # 抢班
    GIVE_AWAY = "give_away", pgettext_lazy("market offer kind", "Give-away")  # 放班
    TRADE = "trade", pgettext_lazy("market offer kind", "Trade")  # 换班


class OfferState(models.TextChoices):
    OPEN = "open", pgettext_lazy("market offer state", "Open")
    TAKEN = "taken", pgettext_lazy("market offer state", "Taken")
    WITHDRAWN = "withdrawn", pgettext_lazy("market offer state", "Withdrawn")


class Offer(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="market_offers")
    kind = models.CharField(_("kind"), max_length=16, choices=OfferKind.choices)
    duty_shift = models.ForeignKey(DutyShift, on_delete=models.PROTECT, related_name="market_offers")
    # Give-away and trade: the holder, who stays responsible for the shift until a taker is approved.
    giver = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="offers_given")
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    taken = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(
        pgettext_lazy("of a request", "state"), max_length=16, choices=OfferState.choices, default="open"
    )
    reason = models.TextField(_("reason"), max_length=NOTE, blank=True)
    # Trade: the shifts of colleagues the giver would take in exchange (one of them).
    wants = models.ManyToManyField(DutyShift, blank=True, related_name="+")
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    lead_told_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="offers_posted")
    posted_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["duty_shift__starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OfferKind.values), name="offer_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=OfferState.values), name="offer_state_valid"),
            # Issue 24 item 6: never more takers than places, whatever two requests do at once.
            models.CheckConstraint(condition=Q(places__gte=1, taken__lte=F("places")), name="offer_places_taken"),
            models.CheckConstraint(
                condition=Q(kind="open", giver__isnull=True) | (~Q(kind="open") & Q(giver__isnull=False, places=1)),
                name="offer_giver_iff_not_open",
            ),
            models.UniqueConstraint(
                fields=["duty_shift", "giver"],
                condition=Q(state="open"),
                nulls_distinct=False,
                name="offer_one_open_per_shift_and_giver",
            ),
            *length_checks("offer", reason=NOTE),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.duty_shift}"

    @property
    def is_open(self) -> bool:
        return self.state == OfferState.OPEN

    @property
    def places_left(self) -> int:
        return self.places - self.taken


class ClaimState(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("market claim state", "Waiting for approval")
    APPROVED = "approved", pgettext_lazy("market claim state", "Approved")
    NOT_CHOSEN = "not_chosen", pgettext_lazy("market claim state", "Not chosen")
    WITHDRAWN = "withdrawn", pgettext_lazy("market claim state", "Withdrawn")


LIVE_CLAIMS = (ClaimState.WAITING, ClaimState.APPROVED)


class Claim(models.Model):
    """A person asks to take a place on an offer (for a trade: accepts it, giving one of their shifts back or
    owing nothing now and being paid back later)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="claims")
    profile = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="market_claims")
    state = models.CharField(
        pgettext_lazy("of a request", "state"), max_length=16, choices=ClaimState.choices, default="waiting"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Trade: the claimer's shift the giver takes in exchange (None: the giver pays back later, 还班).
    give_back = models.ForeignKey(DutyShift, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(Profile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ClaimState.values), name="claim_state_valid"),
            models.UniqueConstraint(
                fields=["offer", "profile"], condition=Q(state__in=LIVE_CLAIMS), name="claim_one_live_per_person"
            ),
        ]


class Payback(models.Model):
    """还班: a trade taken without a shift back; the giver owes the taker a shift, settled when the giver takes one
    of the taker's shifts in the marketplace."""

    offer = models.OneToOneField(Offer, on_delete=models.PROTECT, related_name="payback")
    owed_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="paybacks_owed")
    owed_to = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="paybacks_due")
    created_at = models.DateTimeField(default=timezone.now)
    settled_by = models.ForeignKey(Offer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(owed_by=F("owed_to")), name="payback_two_people"),
            models.CheckConstraint(
                condition=Q(settled_at__isnull=True, settled_by__isnull=True)
                | Q(settled_at__isnull=False, settled_by__isnull=False),
                name="payback_settled_together",
            ),
        ]
