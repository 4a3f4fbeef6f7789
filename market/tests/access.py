"""Sample URL arguments of the marketplace's pages for the access-matrix test (dutydesk/tests/test_access.py)."""

from datetime import date, time

from market.models import Claim, Offer, OfferKind
from roster.models import DutyShift, ShiftType


def url_samples(team, people) -> dict:
    agent, supervisor = people["agent"].profile, people["supervisor"].profile
    kind = ShiftType.objects.create(team=team, key="market-sample", name="晚班", start=time(18), end=time(0))
    starts, ends = DutyShift.bounds(date(2026, 12, 19), kind)
    shift = DutyShift.objects.create(
        team=team, date=date(2026, 12, 19), shift_type=kind, starts_at=starts, ends_at=ends, headcount=1
    )
    offer = Offer.objects.create(team=team, kind=OfferKind.OPEN, duty_shift=shift, places=1, posted_by=supervisor)
    claim = Claim.objects.create(offer=offer, profile=agent)
    return {"offer": offer.pk, "claim": claim.pk}
