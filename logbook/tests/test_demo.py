from datetime import timedelta

import pytest
from django.utils import timezone

from dutydesk import demo as dutydesk_demo
from dutydesk.models import Profile, Team
from logbook import demo
from logbook.models import DisciplineRecord, Entry, Handover, Logbook
from logbook.tests.factories import duty_shift, publish, shift_types

pytestmark = pytest.mark.django_db


def _counts():
    return (Logbook.objects.count(), Entry.objects.count(), Handover.objects.count(), DisciplineRecord.objects.count())


def test_demo_without_published_rosters_is_a_no_op():
    dutydesk_demo.load_people()
    demo.load(today=timezone.localdate())
    assert _counts() == (0, 0, 0, 0)


def test_demo_logbooks_for_past_duty_days_twice_adds_nothing():
    dutydesk_demo.load_people()
    team = Team.objects.get(slug="team-east")
    day, night = shift_types(team)
    today = timezone.localdate()
    agents = list(Profile.objects.filter(team=team, role="agent").order_by("user__username")[:6])
    pairs = []
    for back in (14, 13, 7):
        date = today - timedelta(days=back)
        pairs += [
            (duty_shift(team, day, date), agents[0]),
            (duty_shift(team, day, date), agents[1]),
            (duty_shift(team, night, date), agents[2]),
            (duty_shift(team, night, date), agents[3]),
        ]
    publish(team, pairs)
    demo.load(today=today)
    first = _counts()
    demo.load(today=today)
    assert _counts() == first
    logbooks, entries, handovers, records = first
    assert logbooks + DisciplineRecord.objects.filter(kind="absence").count() == 12
    # A random 3 % are absent, and which ones depends on today's date: every day-shift logbook hands over to the
    # night (R-LOG-5), the night is the day's last shift and hands over to nobody.
    assert entries >= 2 * logbooks
    assert handovers == Logbook.objects.filter(duty_shift__shift_type=day).count() >= 3
    assert Logbook.objects.filter(submitted_at__isnull=False).count() == logbooks
    assert (
        Entry.objects.filter(kind="complaint").exclude(demand="").count()
        == Entry.objects.filter(kind="complaint").count()
    )
    assert Handover.objects.filter(incoming_signed_at__isnull=False).count() == handovers
