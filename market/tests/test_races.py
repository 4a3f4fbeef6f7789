"""Item 6 on real PostgreSQL, each call in its own thread and connection: two claim the last place at once (one
wins, the other is told), an approval racing a withdrawal (one outcome), one roster change."""

import pytest

from dutydesk.testing import run_together
from market import services
from market.models import Claim, ClaimState, Offer, OfferState
from market.tests.factories import market_settings
from roster.models import Roster
from testdata import holders, leave_setup

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db(transaction=True)]


def split(outcomes) -> tuple[list, list[str]]:
    assert all(isinstance(o, services.MarketError) for o in outcomes if isinstance(o, Exception)), outcomes
    return [o for o in outcomes if not isinstance(o, Exception)], [str(o) for o in outcomes if isinstance(o, Exception)]


def test_two_claim_the_last_place_at_once_one_wins_the_other_is_told(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    market_settings(team, first_claim_wins=True)
    night = setup.shift(1, "night")
    offer = services.post_open_shift(team, actor=supervisor.profile, duty_shift_id=night.pk, places=1)
    a, chief = setup.people["A"], setup.people["L"]
    done, errors = split(
        run_together(
            lambda: services.claim_offer(Offer.objects.get(pk=offer.pk), profile=a),
            lambda: services.claim_offer(Offer.objects.get(pk=offer.pk), profile=chief),
        )
    )
    assert (len(done), len(errors)) == (1, 1)
    assert "Somebody else was faster" in errors[0]
    winner = done[0].profile.name
    assert holders(night) == sorted([winner, "王磊"])
    assert list(Claim.objects.values_list("state", flat=True)) == [ClaimState.APPROVED]
    assert Offer.objects.get().taken == 1
    roster = Roster.objects.get(pk=setup.roster.pk)
    assert roster.published_version.number == 2  # one new version, not two


def test_approval_racing_a_withdrawal_has_one_outcome(team, agent, lead, supervisor):
    setup = leave_setup(team, agent, lead)
    d0_day = setup.shift(0, "day")
    offer = services.offer_shift(profile=setup.people["B"], duty_shift_id=d0_day.pk, kind="give_away")
    claim = services.claim_offer(offer, profile=setup.people["D"])
    done, errors = split(
        run_together(
            lambda: services.approve_claim(Claim.objects.get(pk=claim.pk), actor=lead.profile),
            lambda: services.withdraw_offer(Offer.objects.get(pk=offer.pk), actor=setup.people["B"]),
        )
    )
    assert (len(done), len(errors)) == (1, 1)
    state = Offer.objects.get().state
    if state == OfferState.TAKEN:
        assert holders(d0_day) == ["孙杰", "张伟"] and "just taken" in errors[0]
    else:
        assert state == OfferState.WITHDRAWN and "no longer offered" in errors[0]
        assert holders(d0_day) == ["张伟", "王磊"]
        assert Claim.objects.get().state == ClaimState.NOT_CHOSEN
