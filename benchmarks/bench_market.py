"""The shift marketplace (issue 24) at size: a team of 200 agents, a published month of 9 duty days x 6 shifts,
50 open shifts with 3 claims each. Times a claim that takes the shift at once (the team lets the first eligible
claim win: the roster's rules asked, a new published version written) and counts the open-shift page's queries,
beside the same page for 20 agents and 5 open shifts: the two counts must be equal (nothing grows with people or
offers).

The month is the first from the month after next with 9 weekend days, and its first 9 (the same size on any date).
"""

import time as clock
from datetime import time

from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dutydesk.models import Role
from market import services
from market.models import Claim, MarketSettings, Offer, OfferKind
from roster.models import DutyShift, ShiftType
from testdata import make_person, make_skill, make_team, publish

from .bench_leave import duty_days

SHIFT_KINDS = 6


def _team(slug: str, agents: int, offers: int):
    team = make_team(f"基准市场{slug}", f"bench-market-{slug}")
    refund = make_skill("refund", "退款处理")
    kinds = []
    for i in range(SHIFT_KINDS):
        kind = ShiftType.objects.create(
            team=team, key=f"s{i}", name=f"班{i}", start=time(8 + 2 * i), end=time(10 + 2 * i), headcount=1, order=i
        )
        kind.required_skills.set([refund])
        kinds.append(kind)
    supervisor = make_person(Role.SUPERVISOR, team, name=f"主管{slug}", oversees=[team]).profile
    staff = [
        make_person(Role.AGENT, team, name=f"客服{slug}{i:03d}", username=f"bm-{slug}-{i}", skills=[refund]).profile
        for i in range(agents)
    ]
    days = duty_days()
    shifts, rows = [], []
    for d, day in enumerate(days):
        for k, kind in enumerate(kinds):
            starts, ends = DutyShift.bounds(day, kind)
            shift = DutyShift.objects.create(
                team=team, date=day, shift_type=kind, starts_at=starts, ends_at=ends, headcount=1
            )
            shifts.append(shift)
            rows.append((staff[(d * SHIFT_KINDS + k) % agents], shift))
    publish(team, rows, by=supervisor)
    posted = Offer.objects.bulk_create(
        Offer(team=team, kind=OfferKind.OPEN, duty_shift=s, places=2, posted_by=supervisor) for s in shifts[:offers]
    )
    Claim.objects.bulk_create(
        Claim(offer=o, profile=staff[-1 - ((i * 3 + j) % (agents - 1))]) for i, o in enumerate(posted) for j in range(3)
    )
    return team, supervisor, staff, posted


def _page_queries(team, user) -> tuple[int, float]:
    client = Client()
    client.force_login(user)
    client.get(f"/market/{team.slug}/")  # the first visit stores the working team in the session
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        start = clock.perf_counter()
        response = client.get(f"/market/{team.slug}/")
        took = (clock.perf_counter() - start) * 1000
    assert response.status_code == 200
    return len(captured.captured_queries), took


def main() -> None:
    small_team, _s, small_staff, _o = _team("s", 20, 5)
    team, supervisor, staff, posted = _team("l", 200, 50)
    small_queries, _ms = _page_queries(small_team, small_staff[0].user)
    queries, took = _page_queries(team, staff[0].user)
    print(f"BENCH roster.market.page.agents200.offers50.queries {queries} queries")
    print(f"BENCH roster.market.page.agents20.offers5.queries {small_queries} queries")
    print(f"BENCH roster.market.page.agents200.offers50.ms {took:.0f} ms")
    assert queries == small_queries, (queries, small_queries)
    MarketSettings.objects.create(team=team, first_claim_wins=True)
    claimer = staff[60]  # holds no shift (the month has 54), has claimed a few other offers
    offer = next(o for o in posted if not Claim.objects.filter(offer=o, profile=claimer).exists())
    start = clock.perf_counter()
    claim = services.claim_offer(Offer.objects.get(pk=offer.pk), profile=claimer)
    took = (clock.perf_counter() - start) * 1000
    assert claim.state == "approved"
    print(f"BENCH roster.market.claim.ms {took:.0f} ms")
