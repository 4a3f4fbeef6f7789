from datetime import timedelta

import pytest
from django.utils import timezone

from dutydesk import demo as dutydesk_demo
from dutydesk.models import Profile, Team
from logbook import demo
from logbook.models import DisciplineRecord, Entry, Handover, Logbook
from testdata import duty_shift, make_shift_types, publish

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
    day, night = make_shift_types(team, day_headcount=2, night_headcount=2)
    today = timezone.localdate()
    agents = list(Profile.objects.filter(team=team, role="agent").order_by("user__username")[:6])
    pairs = []
    for back in (14, 13, 7):
        date = today - timedelta(days=back)
        pairs += [
            (duty_shift(team, date, day), agents[0]),
            (duty_shift(team, date, day), agents[1]),
            (duty_shift(team, date, night), agents[2]),
            (duty_shift(team, date, night), agents[3]),
        ]
    publish(team, [(person, shift) for shift, person in pairs], keep=True)
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


def test_demo_has_reveals_with_reasons_and_ran_the_retention_job(client):
    # Issue 22: the demo grows with reveal records, audit history and retention settings; the job's dry run and
    # run happened on it (DAYS_BACK 35 > the demo's 30 days kept).
    from dutydesk.audit.models import AuditEvent
    from logbook.models import RetentionPolicy, RetentionRun

    dutydesk_demo.load_people()
    team = Team.objects.get(slug="team-east")
    day, _night = make_shift_types(team, day_headcount=2, night_headcount=2)
    today = timezone.localdate()
    agents = list(Profile.objects.filter(team=team, role="agent").order_by("user__username")[:2])
    publish(
        team, [(a, duty_shift(team, today - timedelta(days=back), day)) for back in (34, 5) for a in agents], keep=True
    )
    demo.load(today=today)

    reveals = AuditEvent.objects.filter(action="logbook.reveal")
    assert reveals.count() >= 2 and all(e.reason and e.actor_name for e in reveals)
    assert RetentionPolicy.objects.get().days == demo.DEMO_RETENTION_DAYS
    assert list(RetentionRun.objects.order_by("id").values_list("dry_run", flat=True)) == [True, False]
    dry, run = RetentionRun.objects.order_by("id")
    assert dry.entries == run.entries > 0
    old = Entry.objects.filter(logbook__duty_shift__date=today - timedelta(days=34))
    assert old.exists() and not old.exclude(customer_phone="", customer_name="").exists()
    assert Entry.objects.filter(logbook__duty_shift__date=today - timedelta(days=5)).exclude(customer_phone="").exists()
    assert AuditEvent.objects.filter(action="logbook.retention").count() == 1
    # The manager's page shows the runs.
    manager = Profile.objects.filter(role="manager").first()
    client.force_login(manager.user)
    assert client.get("/logbook/privacy/").content.decode().count('data-testid="retention-run"') == 2
