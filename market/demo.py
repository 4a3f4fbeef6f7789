"""Demo marketplace on the demo rosters: a few open shifts (one with three claims waiting, fairest first), a
give-away with a claim and a trade. Idempotent: each case is keyed on its reason text and skipped when it exists;
everything goes through market.services, so the claims, versions and notices are the real ones. A case that the
roster's rules do not allow on the demo data is skipped rather than forced."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from dutydesk.models import Team
from dutydesk.queries import supervisors_of
from market import queries, services
from market.models import Offer
from market.services import MarketError
from roster import queries as roster_queries


def load(*, today: date) -> None:
    now = datetime.combine(today, time(8), tzinfo=timezone.get_default_timezone())
    for slug in ("team-east", "team-south"):
        team = Team.objects.filter(slug=slug).first()
        supervisor = supervisors_of(team).order_by("user__username").first() if team else None
        if team is None or supervisor is None:
            continue
        staff = list(roster_queries.duty_staff(team))
        shifts = [s for s, _short in queries.postable_shifts(team, now=now)]
        used: set[int] = set(Offer.objects.filter(team=team).values_list("duty_shift_id", flat=True))
        for note, claims in (
            ("周末咨询量预计上涨，加开一个名额", 3),
            ("补上请假留下的空缺", 1),
            ("大促预热，欢迎报名", 0),
        ):
            if Offer.objects.filter(team=team, reason=note).exists():
                continue
            for shift in shifts:
                if shift.pk in used:
                    continue
                try:
                    offer = services.post_open_shift(
                        team, actor=supervisor, duty_shift_id=shift.pk, places=1, reason=note, now=now
                    )
                except MarketError:
                    continue
                used.add(shift.pk)
                _claims(offer, staff, claims, now)
                break
        _give_away(team, staff, used, now, "周日晚上家里有事，求接班")
        _trade(team, staff, used, now, "想换到下周的白班")


def _claims(offer: Offer, staff, wanted: int, now: datetime) -> None:
    made = 0
    for person in staff:
        if made >= wanted:
            return
        try:
            services.claim_offer(offer, profile=person, now=now)
        except MarketError:
            continue
        made += 1


def _mine(person, used: set[int], now: datetime):
    return [s for s in queries.my_upcoming(person, now=now) if s.pk not in used]


def _give_away(team, staff, used: set[int], now: datetime, note: str) -> None:
    if Offer.objects.filter(team=team, reason=note).exists():
        return
    for person in staff:
        for shift in _mine(person, used, now):
            try:
                offer = services.offer_shift(
                    profile=person, duty_shift_id=shift.pk, kind="give_away", reason=note, now=now
                )
            except MarketError:
                continue
            used.add(shift.pk)
            _claims(offer, [p for p in staff if p.pk != person.pk], 1, now)
            return


def _trade(team, staff, used: set[int], now: datetime, note: str) -> None:
    if Offer.objects.filter(team=team, reason=note).exists():
        return
    for person in staff:
        mine = _mine(person, used, now)
        if not mine:
            continue
        theirs = [a.duty_shift_id for a in queries.colleagues_shifts(person, mine[0].date, now=now)][:3]
        if not theirs:
            continue
        try:
            services.offer_shift(
                profile=person, duty_shift_id=mine[0].pk, kind="trade", wants=theirs, reason=note, now=now
            )
        except MarketError:
            continue
        used.add(mine[0].pk)
        return
