"""The demo's year of volume gives the forecast page something to say, and loading it twice adds nothing."""

from datetime import date

import pytest

from dutydesk.months import next_month
from forecast import demo, queries
from forecast.models import ContactVolume
from testdata import laid_out_month

TODAY = date(2027, 1, 20)


@pytest.mark.django_db
def test_demo_year_of_volume_learns_the_promotion_uplift(team):
    laid_out_month(team, next_month(TODAY))
    demo.load(today=TODAY)
    rows = ContactVolume.objects.filter(team=team).count()
    demo.load(today=TODAY)
    assert ContactVolume.objects.filter(team=team).count() == rows
    history, promotion = queries.history_of(team, today=TODAY)
    assert min(history) <= date(2026, 1, 25) and len(promotion) == 3  # 2026-06-18, 11-11, 12-12
    page = queries.month_forecast(team, next_month(TODAY), today=TODAY)
    assert 1.8 <= page["uplift"].factor <= 2.4
    assert all(row["suggestion"].agents >= 2 for row in page["rows"] if row["suggestion"].shift.night)
