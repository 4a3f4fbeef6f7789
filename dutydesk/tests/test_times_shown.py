"""Issue #13 point 3: every time a user reads — in a message, a notice, an e-mail, a pre-filled text — is the team's
time (TIME_ZONE, Asia/Shanghai), never UTC. The events here happen shortly after midnight in Shanghai, while it is
still the day before in UTC, so that a time shown in UTC shows the wrong date as well as the wrong hour."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from dutydesk.notifications.models import Channel, NoticeKind, Notification, Outbox
from dutydesk.notifications.reminders import schedule_reminders
from logbook import services
from logbook.models import Entry
from roster.models import DutyShift, ShiftType
from testdata import acknowledged, inquiry_data, publish

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
EVENT = datetime(2026, 11, 29, 16, 37, tzinfo=UTC)  # 2026-11-30 00:37 in Shanghai
SHOWN = "11-30 00:37"


def _night_shift(team, starts: datetime) -> DutyShift:
    kind, _ = ShiftType.objects.get_or_create(
        team=team,
        key="late-night",
        defaults={"name": "通宵班", "start": starts.astimezone(SHANGHAI).time(), "end": "08:00", "is_night": True},
    )
    return DutyShift.objects.create(
        team=team,
        date=starts.astimezone(SHANGHAI).date(),
        shift_type=kind,
        starts_at=starts,
        ends_at=starts + timedelta(hours=8),
        is_night=True,
        headcount=1,
    )


@pytest.fixture
def logbook(team, agent, lead):
    shift = _night_shift(team, datetime(2026, 11, 29, 16, 0, tzinfo=UTC))  # 00:00-08:00 in Shanghai
    publish(team, [(agent, shift)], keep=True)
    acknowledged(agent)
    return services.sign_in(shift, profile=agent.profile, now=shift.starts_at - timedelta(minutes=20))


def test_an_entrys_name_in_messages_and_titles_is_in_shanghai_time(logbook, agent):
    entry, _ = services.record_entry(
        logbook,
        author=agent.profile,
        client_token="5b0a1c52-0000-4000-8000-000000000001",
        data=inquiry_data(),
        now=EVENT,
    )
    assert str(entry) == f"咨询 {SHOWN}"


def test_entry_saved_message_shows_the_time_of_the_entry_in_shanghai(client, team, agent):
    from testdata import signed_in

    book = signed_in(team, agent)
    client.force_login(agent)
    data = inquiry_data()
    url = reverse("logbook:entry-new", kwargs={"team": team.slug, "logbook": book.pk})
    response = client.post(url, {**data, "client_token": "5b0a1c52-0000-4000-8000-000000000002"}, follow=True)
    created = Entry.objects.get().created_at.astimezone(SHANGHAI)
    assert [str(m) for m in response.context["messages"]] == [f"记录已保存：咨询 {created:%m-%d %H:%M}"]


def test_notices_of_leaving_the_post_and_leaving_early_show_shanghai_time(logbook, agent):
    away = services.leave_post(logbook, profile=agent.profile, reason="去医务室", now=EVENT)
    services.return_to_post(logbook, profile=agent.profile, now=EVENT + timedelta(minutes=5))
    services.sign_out(logbook, profile=agent.profile, early_leave_reason="身体不适", now=EVENT + timedelta(hours=1))
    subjects = sorted(Notification.objects.filter(kind=NoticeKind.ABSENCE_ALERT).values_list("subject", flat=True))
    assert away.started_at == EVENT
    # Left the post at 00:37, left early at 01:37: never 16:37 / 17:37 (UTC).
    assert sorted(("00:37" in s, "01:37" in s) for s in subjects) == [(False, True), (True, False)]


def test_progress_note_and_handover_list_carry_shanghai_times(logbook, agent):
    entry, _ = services.record_entry(
        logbook,
        author=agent.profile,
        client_token="5b0a1c52-0000-4000-8000-000000000003",
        data=inquiry_data(status="open", promised_reply_at=EVENT),
        now=EVENT - timedelta(minutes=30),
    )
    services.add_progress(entry, profile=agent.profile, note="已联系仓库", now=EVENT)
    entry.refresh_from_db()
    assert entry.progress.startswith(f"{SHOWN} ")
    text, _ids = services.open_items_text(logbook.team)
    assert f"{SHOWN} 前回复" in text and "reply" not in text  # issue #13 point 4: in Chinese too


def test_shift_reminder_notice_and_email_show_the_shanghai_date_and_sign_in_time(team, agent):
    shift = _night_shift(team, datetime(2026, 11, 29, 16, 45, tzinfo=UTC))  # 11-30 00:45 in Shanghai
    publish(team, [(agent, shift)], keep=True)
    # One hour before the sign-in time (00:30, 15 minutes before the start).
    assert schedule_reminders(now=datetime(2026, 11, 29, 15, 30, tzinfo=UTC)) == 1
    notice = Notification.objects.get(kind=NoticeKind.SHIFT_REMINDER)
    assert "2026-11-30" in notice.subject and "00:45" in notice.subject
    assert "00:30" in notice.body
    email = Outbox.objects.get(channel=Channel.EMAIL)  # the e-mail the outbox sends: the same times
    assert "2026-11-30" in email.subject and "00:30" in email.body
