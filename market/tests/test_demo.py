"""market.demo: open shifts with claims, a give-away and a trade through the services; a second run adds nothing."""

import pytest
from django.utils import timezone

from market import demo
from market.models import Claim, Offer
from testdata import leave_setup

pytestmark = pytest.mark.django_db


def test_market_demo_shows_open_shifts_claims_and_a_give_away_once(team, agent, lead, supervisor):
    leave_setup(team, agent, lead)
    demo.load(today=timezone.localdate())
    first = (Offer.objects.count(), Claim.objects.count())
    kinds = set(Offer.objects.values_list("kind", flat=True))
    demo.load(today=timezone.localdate())
    assert (Offer.objects.count(), Claim.objects.count()) == first
    assert {"open", "give_away", "trade"} <= kinds and first[1] >= 2
