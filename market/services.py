"""Every write of the marketplace (issue 24): post, offer, claim, approve, withdraw, settings, the deadline job.

Each move locks the offer row first (select_for_update), so two people acting on one offer at once are serialised:
the second finds it moved and is told, in a sentence, what happened ("somebody else was faster"), nothing changed
(item 6). A taken shift is a new published version of the roster through roster.services.revise_published in the
same transaction (R-ROSTER-9: version, who, when, why), which also tells the people whose shifts moved; the
database refuses more takers than places and two live claims of one person on one offer. Every write is recorded
in the audit trail with its actor. A refused action raises MarketError (translated) and changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutydesk.audit import rules as refs
from dutydesk.audit.services import record, snapshot
from dutydesk.models import Profile
from dutydesk.notifications.models import NoticeKind
from dutydesk.notifications.services import notify
from dutydesk.queries import leads_of, supervisors_of
from market import permissions as perms
from market import queries, rules, texts
from market.models import Claim, ClaimState, MarketSettings, Offer, OfferKind, OfferState, Payback
from roster import queries as roster_queries
from roster.models import AssignmentRole, DutyShift, VersionKind
from roster.services import Replacement, RosterError, revise_published


class MarketError(Exception):
    """A refused marketplace action; the message is translated and fit to show the user as it is."""


def _words(shift: DutyShift) -> str:
    return f"{shift.date:%m-%d} {shift.shift_type.name}"


def _url(offer: Offer) -> str:
    return reverse("market:offer", kwargs={"team": offer.team.slug, "offer": offer.pk})


def _held(shift: DutyShift) -> dict[int, str]:
    """Who holds `shift` in the version in force, with their role."""
    return {a.profile_id: a.role for a in roster_queries.holders(shift)}


def _upcoming_shift(team, duty_shift_id, *, now: datetime) -> DutyShift:
    shift = DutyShift.objects.filter(pk=duty_shift_id, team=team).select_related("shift_type", "team").first()
    if shift is None:
        raise MarketError(_("That shift is not in this team's roster."))
    if rules.too_late(shift_start=shift.starts_at, now=now):
        raise MarketError(_("%(shift)s has already started; nothing was changed.") % {"shift": _words(shift)})
    if not roster_queries.is_published(team, shift.date):
        raise MarketError(_("This roster is not published."))
    return shift


def _eligible(shift: DutyShift, *, leaving: int | None) -> list[Profile]:
    staff = list(roster_queries.duty_staff(shift.team_id))
    found = roster_queries.take_refusals(shift, [p.pk for p in staff], leaving=leaving)
    return [p for p in staff if p.pk in found and found[p.pk] is None and p.pk != leaving]


# --- posting and offering ---------------------------------------------------------------------------------------


@transaction.atomic
def post_open_shift(
    team, *, actor: Profile, duty_shift_id: int, places: int, reason: str = "", now: datetime | None = None
) -> Offer:
    """Item 1: a supervisor posts places of a published shift as open (抢班). Side effects: everyone the roster's
    rules let take it is notified; recorded (market.post)."""
    now = now or timezone.now()
    if not perms.can_post(actor, team.pk):
        raise MarketError(_("Only a supervisor of this team may post an open shift."))
    shift = _upcoming_shift(team, duty_shift_id, now=now)
    if not 1 <= places <= 10:
        raise MarketError(_("Post between 1 and 10 places."))
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                team=team,
                kind=OfferKind.OPEN,
                duty_shift=shift,
                places=places,
                reason=reason.strip(),
                posted_by=actor,
                posted_at=now,
            )
    except IntegrityError as error:
        raise MarketError(_("This shift is already posted as open.")) from error
    record(
        "market.post",
        actor=actor,
        target=offer,
        after={"shift": _words(shift), "places": places},
        reason=reason,
        refs=[refs.day(shift.date)],
    )
    notify(
        _eligible(shift, leaving=None),
        kind=NoticeKind.REQUEST_WAITING,
        url=_url(offer),
        dedupe_key=f"market:{offer.pk}:posted",
        subject=texts.OPEN_POSTED(shift=_words(shift)),
        body=reason.strip(),
    )
    return offer


@transaction.atomic
def offer_shift(
    *,
    profile: Profile,
    duty_shift_id: int,
    kind: str,
    wants: list[int] | tuple[int, ...] = (),
    reason: str = "",
    now: datetime | None = None,
) -> Offer:
    """Item 2 (give away, 放班) and item 3 (trade, 换班): an agent offers their own shift to everyone who may take it,
    a trade in exchange for one of the colleagues' shifts in `wants`. They stay responsible until a taker is
    approved. A give-away gets the team's deadline, after which the lead is told. Recorded (market.offer)."""
    now = now or timezone.now()
    team = profile.team
    if team is None or not perms.is_duty_member(profile, team.pk):
        raise MarketError(_("Only the team's duty staff may offer their shifts."))
    if kind not in (OfferKind.GIVE_AWAY, OfferKind.TRADE):
        raise MarketError(_("Choose to give the shift away or to trade it."))
    shift = _upcoming_shift(team, duty_shift_id, now=now)
    if profile.pk not in _held(shift):
        raise MarketError(_("You do not hold that shift in the published roster."))
    wanted: list[DutyShift] = []
    if kind == OfferKind.TRADE:
        wanted = list(
            DutyShift.objects.filter(pk__in=[int(w) for w in wants], team=team, starts_at__gt=now).exclude(pk=shift.pk)
        )
        if not wanted or len(wanted) != len(set(wants)):
            raise MarketError(_("Choose the colleagues' shifts you would take in exchange."))
    settings = queries.settings_for(team)
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                team=team,
                kind=kind,
                duty_shift=shift,
                giver=profile,
                reason=reason.strip(),
                posted_by=profile,
                posted_at=now,
                deadline=rules.give_away_deadline(shift.starts_at, settings.give_away_hours)
                if kind == OfferKind.GIVE_AWAY
                else None,
            )
    except IntegrityError as error:
        raise MarketError(_("You already offer this shift.")) from error
    offer.wants.set(wanted)
    record(
        "market.offer",
        actor=profile,
        target=offer,
        after={"kind": kind, "shift": _words(shift), "wants": [_words(s) for s in wanted]},
        reason=reason,
        refs=[refs.person(profile), refs.day(shift.date)],
    )
    if kind == OfferKind.GIVE_AWAY:
        recipients = _eligible(shift, leaving=profile.pk)
        subject = texts.GIVE_AWAY_POSTED(name=profile.name, shift=_words(shift))
    else:
        holders = set(
            roster_queries.published_assignments().filter(duty_shift__in=wanted).values_list("profile_id", flat=True)
        )
        recipients = [p for p in _eligible(shift, leaving=profile.pk) if p.pk in holders]
        subject = texts.TRADE_POSTED(name=profile.name, shift=_words(shift))
    notify(
        recipients,
        kind=NoticeKind.REQUEST_WAITING,
        url=_url(offer),
        dedupe_key=f"market:{offer.pk}:posted",
        subject=subject,
        body=reason.strip(),
    )
    return offer


# --- claiming, approving ----------------------------------------------------------------------------------------


def _locked(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related("team", "duty_shift__shift_type", "giver")
        .get(pk=offer.pk)
    )


def _gone_message(offer: Offer) -> str:
    if offer.state == OfferState.TAKEN:
        return _("Somebody else was faster: %(shift)s was just taken; nothing was changed.") % {
            "shift": _words(offer.duty_shift)
        }
    return _("%(shift)s is no longer offered; nothing was changed.") % {"shift": _words(offer.duty_shift)}


def _refuse_taking(offer: Offer, profile: Profile, *, now: datetime, give_back: DutyShift | None) -> None:
    """The checks of a claim, made again at its approval: the shift's start, the team's cap, the roster's hard
    rules for the taker (and, in a trade, for the giver taking the shift back)."""
    settings = queries.settings_for(offer.team_id)
    month = offer.duty_shift.date
    taken = queries.taken_in_month([profile.pk], month).get(profile.pk, 0)
    refusal = queries.claim_refusal_text(
        offer, profile, now=now, settings=settings, taken_this_month=taken, give_back=give_back
    )
    if refusal:
        raise MarketError(_("You cannot take this shift: %(reason)s") % {"reason": refusal})
    if give_back is not None and offer.giver is not None:
        if rules.too_late(shift_start=give_back.starts_at, now=now):
            raise MarketError(_("%(shift)s has already started; nothing was changed.") % {"shift": _words(give_back)})
        if profile.pk not in _held(give_back):
            raise MarketError(_("You do not hold that shift in the published roster."))
        found = roster_queries.take_refusals(
            give_back, [offer.giver.pk], leaving=profile.pk, set_aside=((offer.giver.pk, offer.duty_shift),)
        )
        problem = found.get(offer.giver.pk)
        if problem is not None or not found:
            raise MarketError(
                _("%(name)s cannot take %(shift)s under the roster's rules.")
                % {"name": offer.giver.name, "shift": _words(give_back)}
            )


@transaction.atomic
def claim_offer(
    offer: Offer, *, profile: Profile, give_back_id: int | None = None, now: datetime | None = None
) -> Claim:
    """A person claims a place (a trade: accepts it, with one of their shifts asked for, or owing nothing now where
    the team tracks paybacks). Where the team lets the first eligible claim win, the claim is approved at once
    (not for trades: the lead records those, R-SWAP-2); otherwise the leads and supervisors are asked.

    Refused, nothing changed: another team's offer (a forged form), an offer just taken or withdrawn, a shift
    that has started, one's own offer, a second claim, the monthly cap, or a hard roster rule."""
    now = now or timezone.now()
    row = _locked(offer)
    if not perms.is_duty_member(profile, row.team_id):
        raise MarketError(_("This shift is not offered to your team."))
    if not row.is_open:
        raise MarketError(_gone_message(row))
    if row.giver_id == profile.pk:
        raise MarketError(_("You cannot claim your own shift."))
    give_back = None
    if row.kind == OfferKind.TRADE:
        if give_back_id:
            give_back = next((s for s in row.wants.select_related("shift_type") if s.pk == int(give_back_id)), None)
            if give_back is None:
                raise MarketError(_("Choose one of the shifts asked for in exchange."))
        elif not queries.settings_for(row.team_id).payback:
            raise MarketError(_("Choose one of the shifts asked for in exchange."))
    _refuse_taking(row, profile, now=now, give_back=give_back)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(offer=row, profile=profile, give_back=give_back, created_at=now)
    except IntegrityError as error:
        raise MarketError(_("You have already claimed this shift.")) from error
    record(
        "market.claim",
        actor=profile,
        target=claim,
        team=row.team_id,
        label=_words(row.duty_shift),
        after={"give_back": _words(give_back) if give_back else ""},
        refs=[refs.person(profile), refs.day(row.duty_shift.date)],
    )
    settings = queries.settings_for(row.team_id)
    if settings.first_claim_wins and row.kind != OfferKind.TRADE:
        return _approve(row, claim, actor=profile, now=now)
    notify(
        _deciders(row, claim),
        kind=NoticeKind.REQUEST_WAITING,
        url=_url(row),
        dedupe_key=f"market:claim:{claim.pk}",
        subject=texts.CLAIM_WAITING(name=profile.name, shift=_words(row.duty_shift)),
    )
    return claim


def _deciders(offer: Offer, claim: Claim) -> list[Profile]:
    people = list(leads_of(offer.team))
    if offer.kind != OfferKind.TRADE:
        people += list(supervisors_of(offer.team))
    return [p for p in people if perms.can_decide(p, offer, claim)]


@transaction.atomic
def approve_claim(claim: Claim, *, actor: Profile, now: datetime | None = None) -> Claim:
    """A lead or supervisor approves a claim (a lead records a trade, R-SWAP-2): the roster changes now."""
    now = now or timezone.now()
    row = _locked(claim.offer)
    current = Claim.objects.select_for_update().select_related("profile").get(pk=claim.pk)
    if not perms.can_decide(actor, row, current):
        raise MarketError(_("Only a team lead or supervisor of this team who is not part of it may approve this."))
    if not row.is_open:
        raise MarketError(_gone_message(row))
    if current.state != ClaimState.WAITING:
        raise MarketError(
            _("This claim is “%(state)s” now; nothing was changed.") % {"state": current.get_state_display()}
        )
    give_back = (
        DutyShift.objects.select_related("shift_type").get(pk=current.give_back_id) if current.give_back_id else None
    )
    _refuse_taking(row, current.profile, now=now, give_back=give_back)
    return _approve(row, current, actor=actor, now=now)


def _approve(offer: Offer, claim: Claim, *, actor: Profile, now: datetime) -> Claim:
    """The claim wins (the offer row is locked): the roster's new version, the claim approved, the offer's place
    taken (the last one closes the offer and tells the other claimers), a payback owed or settled, notices."""
    shift = offer.duty_shift
    held = _held(shift)
    give_back = claim.give_back
    if offer.giver is not None:
        if offer.giver.pk not in held:
            raise MarketError(
                _("%(name)s no longer holds this shift; the roster changed.") % {"name": offer.giver.name}
            )
        changes = [Replacement(shift.pk, offer.giver_id, None)]
        if give_back is not None:
            changes.append(Replacement(give_back.pk, claim.profile_id, None))
        changes.append(Replacement(shift.pk, None, claim.profile_id, held[offer.giver.pk]))
        if give_back is not None:
            back_roles = _held(give_back)
            changes.append(Replacement(give_back.pk, None, offer.giver_id, back_roles.get(claim.profile_id)))
    else:
        role = rules.role_for_open_place(promotion=shift.is_promotion, roles_on_shift=held.values())
        changes = [Replacement(shift.pk, None, claim.profile_id, role or AssignmentRole.MEMBER)]
    roster = roster_queries.roster_for(offer.team_id, shift.date)
    reason = _("%(shift)s taken in the shift marketplace by %(taker)s (offer #%(offer)s), approved by %(by)s") % {
        "shift": _words(shift),
        "taker": claim.profile.name,
        "offer": offer.pk,
        "by": actor.name,
    }
    try:
        if roster is None:
            raise RosterError(_("This roster is not published yet."))
        version = revise_published(
            roster,
            changes,
            actor=actor,
            kind=VersionKind.MARKET,
            reason=reason,
            allow_under_headcount=offer.kind == OfferKind.OPEN,
        )
    except RosterError as error:
        raise MarketError(_("Refused, nothing was changed: %(reason)s") % {"reason": error}) from error
    claim.state, claim.decided_by, claim.decided_at = ClaimState.APPROVED, actor, now
    claim.save(update_fields=["state", "decided_by", "decided_at"])
    offer.taken += 1
    fields = ["taken"]
    if offer.taken >= offer.places:
        offer.state, offer.closed_at = OfferState.TAKEN, now
        fields += ["state", "closed_at"]
    offer.save(update_fields=fields)
    record(
        "market.approve",
        actor=actor,
        target=claim,
        team=offer.team_id,
        label=_words(shift),
        after={"taker": claim.profile.name, "version": version.number},
        reason=reason,
        refs=[refs.person(claim.profile_id), refs.day(shift.date), refs.roster(roster)]
        + ([refs.person(offer.giver_id)] if offer.giver_id else []),
    )
    _paybacks(offer, claim, now=now)
    notify(
        [claim.profile],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(offer),
        dedupe_key=f"market:claim:{claim.pk}:approved",
        subject=texts.CLAIM_APPROVED(shift=_words(shift)),
    )
    if offer.giver is not None:
        notify(
            [offer.giver],
            kind=NoticeKind.REQUEST_DECIDED,
            url=_url(offer),
            dedupe_key=f"market:claim:{claim.pk}:giver",
            subject=texts.SHIFT_TAKEN(name=claim.profile.name, shift=_words(shift)),
        )
    if offer.state == OfferState.TAKEN:
        _close_others(offer, actor=actor, now=now, subject=texts.NOT_CHOSEN(shift=_words(shift)))
    return claim


def _paybacks(offer: Offer, claim: Claim, *, now: datetime) -> None:
    """还班 (item 3): a trade taken without a shift back leaves the giver owing the taker one; a taker who owed
    the giver a shift has paid it back by taking one of theirs."""
    if offer.giver_id is None:
        return
    owed = (
        Payback.objects.select_for_update()
        .filter(owed_by=claim.profile_id, owed_to=offer.giver_id, settled_at__isnull=True)
        .order_by("created_at", "id")
        .first()
    )
    if owed is not None:
        owed.settled_by, owed.settled_at = offer, now
        owed.save(update_fields=["settled_by", "settled_at"])
    elif offer.kind == OfferKind.TRADE and claim.give_back_id is None:
        Payback.objects.create(offer=offer, owed_by_id=offer.giver_id, owed_to_id=claim.profile_id, created_at=now)


def _close_others(offer: Offer, *, actor: Profile | None, now: datetime, subject) -> None:
    waiting = list(offer.claims.filter(state=ClaimState.WAITING).select_related("profile"))
    if not waiting:
        return
    Claim.objects.filter(pk__in=[c.pk for c in waiting]).update(
        state=ClaimState.NOT_CHOSEN, decided_by=actor, decided_at=now
    )
    notify(
        [c.profile for c in waiting],
        kind=NoticeKind.REQUEST_DECIDED,
        url=_url(offer),
        dedupe_key=f"market:{offer.pk}:closed:{offer.state}",
        subject=subject,
    )


# --- withdrawing ------------------------------------------------------------------------------------------------


@transaction.atomic
def withdraw_offer(offer: Offer, *, actor: Profile, now: datetime | None = None) -> Offer:
    """The giver (or, for an open shift, a supervisor) withdraws an offer not yet taken; waiting claims end."""
    now = now or timezone.now()
    row = _locked(offer)
    if not perms.can_withdraw_offer(actor, row):
        raise MarketError(_("Only who offered it may withdraw this offer."))
    if not row.is_open:
        raise MarketError(_gone_message(row))
    row.state, row.closed_at = OfferState.WITHDRAWN, now
    row.save(update_fields=["state", "closed_at"])
    record("market.withdraw", actor=actor, target=row, after={"state": row.state}, refs=[refs.day(row.duty_shift.date)])
    _close_others(row, actor=actor, now=now, subject=texts.OFFER_WITHDRAWN(shift=_words(row.duty_shift)))
    return row


@transaction.atomic
def withdraw_claim(claim: Claim, *, actor: Profile, now: datetime | None = None) -> Claim:
    now = now or timezone.now()
    _locked(claim.offer)  # the offer first, as an approval does: the two never both happen
    row = Claim.objects.select_for_update().select_related("offer__duty_shift__shift_type").get(pk=claim.pk)
    if not perms.can_withdraw_claim(actor, row):
        raise MarketError(_("Only who claimed it may withdraw this claim."))
    if not rules.may_move(rules.CLAIM_MOVES, row.state, ClaimState.WITHDRAWN):
        raise MarketError(_("This claim is “%(state)s” now; nothing was changed.") % {"state": row.get_state_display()})
    row.state, row.decided_by, row.decided_at = ClaimState.WITHDRAWN, actor, now
    row.save(update_fields=["state", "decided_by", "decided_at"])
    record(
        "market.withdraw",
        actor=actor,
        target=row,
        team=row.offer.team_id,
        label=_words(row.offer.duty_shift),
        after={"state": row.state},
        refs=[refs.person(actor)],
    )
    return row


# --- settings and the deadline job ------------------------------------------------------------------------------

SETTINGS_FIELDS = ["first_claim_wins", "order", "monthly_cap", "give_away_hours", "payback"]


@transaction.atomic
def update_settings(team, *, actor: Profile, values: dict) -> MarketSettings:
    if not perms.can_change_settings(actor, team.pk):
        raise MarketError(_("Only a supervisor of this team may change its marketplace settings."))
    settings, _created = MarketSettings.objects.select_for_update().get_or_create(team=team)
    before = snapshot(settings, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(settings, name, values[name])
    settings.full_clean()
    settings.save()
    record(
        "market.settings",
        actor=actor,
        target=settings,
        team=team.pk,
        before=before,
        after=snapshot(settings, SETTINGS_FIELDS),
    )
    return settings


def tell_leads_of_unclaimed(now: datetime | None = None) -> int:
    """The beat job (item 2): each given-away shift nobody took by its deadline is told to the team's leads once
    (the giver still holds it). Safe to run twice: the offer row is locked and stamped. Returns how many."""
    now = now or timezone.now()
    told = 0
    due = Offer.objects.filter(
        kind=OfferKind.GIVE_AWAY, state=OfferState.OPEN, lead_told_at__isnull=True, deadline__lte=now
    ).values_list("pk", flat=True)
    for offer_id in list(due):
        with transaction.atomic():
            row = (
                Offer.objects.select_for_update(of=("self",))
                .select_related("team", "giver", "duty_shift__shift_type")
                .get(pk=offer_id)
            )
            if not rules.lead_to_be_told(
                deadline=row.deadline, now=now, told=row.lead_told_at is not None, is_open=row.is_open
            ):
                continue
            row.lead_told_at = now
            row.save(update_fields=["lead_told_at"])
            record("market.lead_told", actor=None, target=row, refs=[refs.day(row.duty_shift.date)])
            notify(
                [p for p in leads_of(row.team) if p.pk != row.giver_id],
                kind=NoticeKind.REQUEST_WAITING,
                url=_url(row),
                dedupe_key=f"market:{row.pk}:nobody",
                subject=texts.NOBODY_TOOK(shift=_words(row.duty_shift), name=row.giver.name if row.giver else ""),
            )
            told += 1
    return told
