"""The marketplace's services on a real database: open shifts with fair order and cap (items 1, 4), the roster's new
version (item 5), give-aways with their deadline (item 2), trades with payback (item 3), and bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dutydesk.audit.models import AuditEvent
from dutydesk.models import Role
from dutydesk.notifications.models import Notification
from market import services
from market.models import Claim, ClaimState, Offer, OfferKind, OfferState, Payback
from market.services import MarketError
from market.tests.factories import market_settings, past_duty
from roster.models import RosterVersion, VersionKind
from testdata import holders, leave_setup, make_person, soon_setup

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def setup(team, agent, lead, supervisor):
    return leave_setup(team, agent, lead)


def extra_agents(team, setup, names=("钱多", "孔明")):
    refund = setup.shift(0).shift_type.required_skills.get()
    made = []
    for i, name in enumerate(names):
        profile = make_person(Role.AGENT, team, name=name, username=f"extra-{i}", skills=[refund]).profile
        setup.people[name] = profile
        made.append(profile)
    return made


def test_open_shift_tells_only_who_may_take_it(setup, supervisor):
    # d1 night (B): A and L are free; C and D work d1's day shift (R-ROSTER-8), E is a new hire (R-ROSTER-6), F
    # lacks the refund skill (R-ROSTER-5).
    offer = services.post_open_shift(
        setup.roster.team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1
    )
    told = set(
        Notification.objects.filter(dedupe_key=f"market:{offer.pk}:posted").values_list("recipient__name", flat=True)
    )
    assert told == {"张伟", "李娜"}
    assert AuditEvent.objects.filter(action="market.post", actor=supervisor.profile).count() == 1


def test_three_claim_the_fair_one_is_approved_and_the_roster_has_a_new_version(setup, team, supervisor, lead):
    night = setup.shift(1, "night")
    g, h = extra_agents(team, setup)
    a = setup.people["A"]
    # Over the last three months: A 3 duty shifts (2 this month and 1 before), G 4, H 2: H is the fair choice,
    # then A; G claimed first.
    past_duty(team, g, night, 4, lead)
    past_duty(team, h, night, 2, lead)
    past_duty(team, a, night, 1, lead)
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=night.pk, places=1)
    now = timezone.now()
    claims = {
        p.name: services.claim_offer(offer, profile=p, now=now + timedelta(seconds=i)) for i, p in enumerate([g, a, h])
    }
    from market import queries

    row = queries.offer_rows(
        [queries.offer_of(team, offer.pk)], supervisor.profile, settings=queries.settings_for(team), now=now
    )[0]
    assert [(r.claim.profile.name, r.duty_shifts) for r in row.ranked] == [("孔明", 2), ("张伟", 3), ("钱多", 4)]
    before = setup.roster.published_version.number
    services.approve_claim(claims["孔明"], actor=supervisor.profile)
    setup.roster.refresh_from_db()
    version = setup.roster.published_version
    assert (version.number, version.kind, version.published_by) == (before + 1, VersionKind.MARKET, supervisor)
    assert "孔明" in version.reason
    assert holders(night) == ["孔明", "王磊"]  # an extra place beside B
    assert sorted(Claim.objects.values_list("profile__name", "state")) == [
        ("孔明", ClaimState.APPROVED),
        ("张伟", ClaimState.NOT_CHOSEN),
        ("钱多", ClaimState.NOT_CHOSEN),
    ]
    offer.refresh_from_db()
    assert (offer.state, offer.taken) == (OfferState.TAKEN, 1)
    assert Notification.objects.filter(recipient=h, kind="roster_changed").count() == 1


def test_first_eligible_claim_wins_where_the_team_says_so(setup, team, supervisor):
    market_settings(team, first_claim_wins=True)
    night = setup.shift(1, "night")
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=night.pk, places=1)
    claim = services.claim_offer(offer, profile=setup.people["A"])
    assert claim.state == ClaimState.APPROVED
    assert holders(night) == ["张伟", "王磊"]
    # The next one is told the shift was just taken, nothing changed (bad input: claiming a shift just taken).
    with pytest.raises(MarketError, match="Somebody else was faster"):
        services.claim_offer(offer, profile=setup.people["L"])
    assert Claim.objects.count() == 1 and holders(night) == ["张伟", "王磊"]


def test_monthly_cap_stops_hoarding(setup, team, supervisor):
    market_settings(team, first_claim_wins=True, monthly_cap=1)
    first = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1)
    services.claim_offer(first, profile=setup.people["L"])
    second = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(3, "day").pk, places=1)
    with pytest.raises(MarketError, match="the team's limit"):
        services.claim_offer(second, profile=setup.people["L"])
    assert Claim.objects.filter(offer=second).count() == 0


def test_refused_claims_say_why_and_change_nothing(setup, team, other_team, supervisor):
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1)
    versions = RosterVersion.objects.count()
    with pytest.raises(MarketError, match="lacks|Does not hold the skill"):
        services.claim_offer(offer, profile=setup.people["F"])
    with pytest.raises(MarketError, match="new hire"):
        services.claim_offer(offer, profile=setup.people["E"])
    stranger = make_person(Role.AGENT, other_team, name="外人", username="stranger").profile
    with pytest.raises(MarketError, match="not offered to your team"):
        services.claim_offer(offer, profile=stranger)
    assert (Claim.objects.count(), RosterVersion.objects.count()) == (0, versions)


def test_a_shift_in_the_past_cannot_be_claimed(team, agent, lead, supervisor):
    setup = soon_setup(team, agent, lead, starts_in=timedelta(hours=2))
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(0).pk, places=1)
    later = timezone.now() + timedelta(hours=3)
    with pytest.raises(MarketError, match="already started"):
        services.claim_offer(offer, profile=setup.people["L"], now=later)
    assert Claim.objects.count() == 0


def test_give_away_skill_refused_eligible_takes_it_and_the_giver_is_off(setup, team, lead, supervisor):
    d0_day = setup.shift(0, "day")
    offer = services.offer_shift(profile=setup.people["B"], duty_shift_id=d0_day.pk, kind=OfferKind.GIVE_AWAY)
    with pytest.raises(MarketError, match="Does not hold the skill"):
        services.claim_offer(offer, profile=setup.people["F"])
    claim = services.claim_offer(offer, profile=setup.people["D"])
    assert holders(d0_day) == ["张伟", "王磊"]  # B stays responsible until a taker is approved
    services.approve_claim(claim, actor=lead.profile)
    assert holders(d0_day) == ["孙杰", "张伟"]
    told = set(Notification.objects.filter(kind="roster_changed").values_list("recipient__name", flat=True))
    assert told == {"孙杰", "王磊"}


def test_nobody_took_the_give_away_by_its_deadline_the_lead_is_told_once(setup, team, lead):
    market_settings(team, give_away_hours=24 * 14)
    offer = services.offer_shift(profile=setup.people["B"], duty_shift_id=setup.shift(3, "day").pk, kind="give_away")
    at = offer.deadline + timedelta(minutes=1)
    assert services.tell_leads_of_unclaimed(offer.deadline - timedelta(minutes=1)) == 0
    assert services.tell_leads_of_unclaimed(at) == 1
    assert services.tell_leads_of_unclaimed(at) == 0
    assert list(
        Notification.objects.filter(dedupe_key=f"market:{offer.pk}:nobody").values_list("recipient", flat=True)
    ) == [lead.profile.pk]


def test_trade_with_payback_then_paid_back(setup, team, lead):
    c, d, chief = setup.people["C"], setup.people["D"], setup.people["L"]
    lead_d = make_person(Role.LEAD, team, name="何平", username="lead-two").profile
    # C trades d0 night for D's d3 night; the lead L, free all month, accepts owing nothing now: C owes L (还班).
    trade = services.offer_shift(
        profile=c, duty_shift_id=setup.shift(0, "night").pk, kind=OfferKind.TRADE, wants=[setup.shift(3, "night").pk]
    )
    assert d.pk  # D holds the shift asked for
    claim = services.claim_offer(trade, profile=chief)
    with pytest.raises(MarketError, match="Only a team lead"):
        services.approve_claim(claim, actor=chief)  # not the lead who is part of it (R-SWAP-2)
    services.approve_claim(claim, actor=lead_d)
    assert holders(setup.shift(0, "night")) == ["李娜"]
    payback = Payback.objects.get()
    assert (payback.owed_by, payback.owed_to, payback.settled_at) == (c, chief, None)
    # Later L gives that shift away and C takes it back: the payback is settled.
    give = services.offer_shift(profile=chief, duty_shift_id=setup.shift(0, "night").pk, kind=OfferKind.GIVE_AWAY)
    services.approve_claim(services.claim_offer(give, profile=c), actor=lead_d)
    payback.refresh_from_db()
    assert payback.settled_by == give and payback.settled_at is not None


def test_approval_after_withdrawal_is_refused(setup, team, supervisor, lead):
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1)
    claim = services.claim_offer(offer, profile=setup.people["A"])
    services.withdraw_offer(offer, actor=supervisor.profile)
    with pytest.raises(MarketError, match="no longer offered"):
        services.approve_claim(claim, actor=lead.profile)
    assert Offer.objects.get().state == OfferState.WITHDRAWN
    assert Claim.objects.get().state == ClaimState.NOT_CHOSEN


def test_the_fairness_report_counts_claimed_shifts(setup, team, supervisor, lead):
    from roster import queries as roster_queries

    market_settings(team, first_claim_wins=True)
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=setup.shift(1, "night").pk, places=1)
    services.claim_offer(offer, profile=setup.people["A"])
    give = services.offer_shift(profile=setup.people["B"], duty_shift_id=setup.shift(0, "day").pk, kind="give_away")
    services.claim_offer(give, profile=setup.people["D"])
    rows = {r.name: r for r in roster_queries.fairness_rows(team, setup.roster.month)}
    assert {name: row.value("claimed", 1) for name, row in rows.items() if row.value("claimed", 1)} == {
        "张伟": 1,
        "孙杰": 1,
    }


def test_a_same_day_trade_is_an_exchange_not_two_shifts_at_once(setup, team, lead):
    # B holds d1 night, D holds d1 day: they exchange them, each leaving theirs in the same change (R-ROSTER-8).
    b, d = setup.people["B"], setup.people["D"]
    night, day = setup.shift(1, "night"), setup.shift(1, "day")
    trade = services.offer_shift(profile=b, duty_shift_id=night.pk, kind=OfferKind.TRADE, wants=[day.pk])
    claim = services.claim_offer(trade, profile=d, give_back_id=day.pk)
    services.approve_claim(claim, actor=lead.profile)
    assert (holders(night), holders(day)) == (["孙杰"], ["王磊", "赵敏"])
    assert Payback.objects.count() == 0
