"""Reads of the marketplace: a team's board with each offer's claims in fair order and, for the reader, whether
they may take it (and why not, in one sentence), in a number of queries that grows neither with the offers nor
with the people (issue 24: the open-shift page's query count is benchmarked)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from dutydesk.months import add_months, month_end, month_start
from market import permissions as perms
from market import rules
from market.models import LIVE_CLAIMS, Claim, ClaimState, MarketSettings, Offer, OfferKind, OfferState, Payback
from roster import queries as roster_queries
from roster.messages import take_reason
from roster.models import AssignmentRole, DutyShift


def settings_for(team) -> MarketSettings:
    """The team's marketplace rules (the defaults, unsaved, for a team that never changed them)."""
    team_id = getattr(team, "pk", team)
    return MarketSettings.objects.filter(team_id=team_id).first() or MarketSettings(team_id=team_id)


def offers(team) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(team=team)
        .select_related("team", "duty_shift__shift_type", "giver", "posted_by")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.select_related("profile", "give_back__shift_type")),
            Prefetch("wants", queryset=DutyShift.objects.select_related("shift_type")),
        )
    )


def duty_counts(profile_ids, month: date) -> dict[int, int]:
    """Item 4: each person's duty shifts in the published rosters over the three months ending with `month` (the
    fairness report's three-month duty count: shadows not counted), in one query."""
    start, end = add_months(month_start(month), -2), month_end(month)
    rows = (
        roster_queries.published_assignments()
        .filter(profile_id__in=list(profile_ids), date__range=(start, end))
        .exclude(role=AssignmentRole.SHADOW)
        .values("profile_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["profile_id"]: row["n"] for row in rows}


def taken_in_month(profile_ids, month: date) -> dict[int, int]:
    """Item 4's cap: shifts each person took from the marketplace (approved claims) in the month of `month`."""
    rows = (
        Claim.objects.filter(
            profile_id__in=list(profile_ids),
            state=ClaimState.APPROVED,
            offer__duty_shift__date__range=(month_start(month), month_end(month)),
        )
        .values("profile_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["profile_id"]: row["n"] for row in rows}


@dataclass
class Ranked:
    claim: Claim
    duty_shifts: int
    fair_first: bool = False


@dataclass
class OfferRow:
    offer: Offer
    ranked: list[Ranked] = field(default_factory=list)  # live claims, best first by the team's rule
    mine: Claim | None = None  # the reader's live claim
    refusal: str = ""  # why the reader may not take it (one sentence), "" if they may
    may_claim: bool = False
    give_back: list[DutyShift] = field(default_factory=list)  # trade: the reader's shifts the giver would take
    may_decide: bool = False
    may_withdraw: bool = False


def offer_rows(
    offer_list: list[Offer],
    profile,
    *,
    settings: MarketSettings,
    now: datetime,
    months: roster_queries.MonthsInForce | None = None,
) -> list[OfferRow]:
    """Each offer with its claims in fair order and what `profile` may do with it. One query for the duty counts
    of every claimer, one for the reader's cap, one month_data per month the offers touch."""
    months = months or roster_queries.MonthsInForce()
    claimers = {c.profile_id for o in offer_list for c in o.claims.all() if c.state in LIVE_CLAIMS}
    months_of = {month_start(o.duty_shift.date) for o in offer_list}
    counts: dict[date, dict[int, int]] = {m: duty_counts(claimers, m) for m in months_of} if claimers else {}
    member = perms.is_duty_member(profile, offer_list[0].team_id) if offer_list else False
    taken = {m: taken_in_month([profile.pk], m).get(profile.pk, 0) for m in months_of} if member else {}
    mine_held = _held_by(profile, offer_list) if member else {}
    rows = []
    for offer in offer_list:
        row = OfferRow(offer)
        month = month_start(offer.duty_shift.date)
        live = [c for c in offer.claims.all() if c.state in LIVE_CLAIMS]
        ranked = rules.fair_order(
            (
                rules.Candidate(c.pk, c.profile_id, c.created_at, counts.get(month, {}).get(c.profile_id, 0))
                for c in live
                if c.state == ClaimState.WAITING
            ),
            settings.order,
        )
        by_id = {c.pk: c for c in live}
        row.ranked = [Ranked(by_id[c.claim_id], c.duty_shifts) for c in ranked]
        if row.ranked:
            row.ranked[0].fair_first = True
        row.mine = next((c for c in live if c.profile_id == profile.pk), None)
        row.may_decide = offer.is_open and perms.can_decide(profile, offer)
        row.may_withdraw = offer.is_open and perms.can_withdraw_offer(profile, offer)
        if member and offer.is_open and row.mine is None and offer.giver_id != profile.pk:
            if offer.kind == OfferKind.TRADE:
                wanted = {s.pk for s in offer.wants.all()}
                row.give_back = [s for s in mine_held.get(month, []) if s.pk in wanted]
            # A trade is judged with the shift the reader would give back set aside (a same-day exchange).
            row.refusal = claim_refusal_text(
                offer,
                profile,
                now=now,
                settings=settings,
                taken_this_month=taken.get(month, 0),
                give_back=row.give_back[0] if row.give_back else None,
                months=months,
            )
            if offer.kind == OfferKind.TRADE and not row.refusal and not row.give_back and not settings.payback:
                row.refusal = _none_wanted()
            row.may_claim = not row.refusal
        rows.append(row)
    return rows


def _none_wanted() -> str:
    from django.utils.translation import gettext as _

    return _("You hold none of the shifts asked for in exchange.")


def _held_by(profile, offer_list: list[Offer]) -> dict[date, list[DutyShift]]:
    """The reader's upcoming shifts in the months of the trades on the board, in one query."""
    trade_months = {month_start(o.duty_shift.date) for o in offer_list if o.kind == OfferKind.TRADE}
    if not trade_months:
        return {}
    held: dict[date, list[DutyShift]] = defaultdict(list)
    for a in roster_queries.shifts_of(profile, start=min(trade_months), end=month_end(max(trade_months))):
        held[month_start(a.date)].append(a.duty_shift)
    return held


def claim_refusal_text(
    offer: Offer,
    profile,
    *,
    now: datetime,
    settings: MarketSettings,
    taken_this_month: int,
    give_back: DutyShift | None = None,
    months: roster_queries.MonthsInForce | None = None,
) -> str:
    """Why `profile` may not claim `offer` now, in one sentence ("" if they may). The roster's hard rules are
    asked through roster.queries.take_refusals, as for swaps and substitutes; a protection period of the reader is
    said as the working-time rules, never named to others (R-LAW-4)."""
    from django.utils.translation import gettext as _

    shift = offer.duty_shift
    if rules.too_late(shift_start=shift.starts_at, now=now):
        return _("This shift has already started.")
    if rules.over_cap(taken_this_month=taken_this_month, cap=settings.monthly_cap):
        return _("You have taken %(cap)s shifts from the marketplace this month, the team's limit.") % {
            "cap": settings.monthly_cap
        }
    months = months or roster_queries.MonthsInForce()
    refusal = roster_queries.take_refusals(
        shift,
        [profile.pk],
        leaving=offer.giver_id,
        set_aside=((profile.pk, give_back),) if give_back is not None else (),
        months=months,
    )
    if not refusal:
        return _("This roster is not published.")
    problem = refusal[profile.pk]
    if problem is None:
        return ""
    state = months.get(shift.team_id, shift.date)
    assert state is not None
    return take_reason(problem, state.instance)


def board(team, profile, *, now: datetime | None = None) -> dict:
    """The board of `team` for `profile`: the open offers of shifts not yet started, the reader's own recent
    claims and offers, and the paybacks still owed in the team."""
    now = now or timezone.now()
    settings = settings_for(team)
    open_offers = list(offers(team).filter(state=OfferState.OPEN, duty_shift__starts_at__gt=now))
    rows = offer_rows(open_offers, profile, settings=settings, now=now)
    return {
        "settings": settings,
        "may_offer": perms.is_duty_member(profile, team.pk),
        "may_post": perms.can_post(profile, team.pk),
        "open": [r for r in rows if r.offer.kind == OfferKind.OPEN],
        "give_aways": [r for r in rows if r.offer.kind == OfferKind.GIVE_AWAY],
        "trades": [r for r in rows if r.offer.kind == OfferKind.TRADE],
        "paybacks": list(
            Payback.objects.filter(offer__team=team, settled_at__isnull=True).select_related(
                "owed_by", "owed_to", "offer__duty_shift__shift_type"
            )
        ),
        "my_claims": list(
            Claim.objects.filter(profile=profile, offer__team=team)
            .select_related("offer__duty_shift__shift_type")
            .order_by("-created_at")[:10]
        ),
    }


def eligibility(offer: Offer, *, now: datetime) -> tuple[list, list[tuple]]:
    """For the offer's page (its poster, leads and supervisors): the team's duty staff who may take it, and the
    others with the reason, one sentence each (never a protection period named)."""
    staff = [p for p in roster_queries.duty_staff(offer.team_id) if p.pk != offer.giver_id]
    months = roster_queries.MonthsInForce()
    found = roster_queries.take_refusals(offer.duty_shift, [p.pk for p in staff], leaving=offer.giver_id, months=months)
    state = months.get(offer.team_id, offer.duty_shift.date)
    may, refused = [], []
    for p in staff:
        problem = found.get(p.pk)
        if state is not None and problem is not None:
            refused.append((p, take_reason(problem, state.instance)))
        elif state is not None:
            may.append(p)
    return may, refused


def offer_of(team, offer_id: int) -> Offer | None:
    """An offer of `team` (None for another team's: a forged address answers 404)."""
    return offers(team).filter(pk=offer_id).first()


def claim_of(team, claim_id: int) -> Claim | None:
    return Claim.objects.filter(pk=claim_id, offer__team=team).select_related("offer", "profile").first()


def postable_shifts(team, *, now: datetime) -> list[tuple[DutyShift, int]]:
    """The shifts a supervisor may post as open: every published shift that has not started, with the places it
    is short of its headcount (the uncovered places leave or a leaver leaves first)."""
    today = timezone.localdate(now)
    shifts = list(
        DutyShift.objects.filter(team=team, date__gte=today, starts_at__gt=now, laid_out=True)
        .select_related("shift_type")
        .annotate(
            held=Count(
                "assignments",
                filter=Q(assignments__version=F("assignments__version__roster__published_version"))
                & ~Q(assignments__role=AssignmentRole.SHADOW),
            )
        )
        .order_by("starts_at")[:200]
    )
    return [(s, max(s.headcount - s.held, 0)) for s in shifts]


def my_upcoming(profile, *, now: datetime) -> list[DutyShift]:
    """The reader's own published shifts that have not started: what they may give away or trade."""
    return [
        a.duty_shift
        for a in roster_queries.shifts_of(profile, start=timezone.localdate(now))
        if a.duty_shift.starts_at > now
    ]


def colleagues_shifts(profile, month: date, *, now: datetime) -> list:
    """Colleagues' published shifts of `month` that have not started: what a trade may ask for in exchange."""
    return list(
        roster_queries.published_assignments()
        .filter(
            profile__team=profile.team_id,
            date__range=(month_start(month), month_end(month)),
            duty_shift__starts_at__gt=now,
        )
        .exclude(profile=profile)
        .exclude(role=AssignmentRole.SHADOW)
        .order_by("duty_shift__starts_at", "profile__name")
    )


def claimed_history(team, start: date, end: date) -> list[tuple[int, date]]:
    """What the roster's fairness report counts as claimed (roster.claimed): (taker id, date) per approved claim of
    `team` on a shift dated in [start, end], open shifts, give-aways and trades alike, in one query."""
    return list(
        Claim.objects.filter(
            offer__team=team, state=ClaimState.APPROVED, offer__duty_shift__date__range=(start, end)
        ).values_list("profile_id", "offer__duty_shift__date")
    )
