"""notify(), preferences and resend, on the real database (shift reminders: roster/tests/test_reminders.py)."""

import pytest
from django.utils import timezone

from dutydesk.notifications import services
from dutydesk.notifications.models import (
    Channel,
    ChannelPreference,
    NoticeKind,
    Notification,
    Outbox,
    OutboxStatus,
    Platform,
    TeamNotificationSettings,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(team):
    return TeamNotificationSettings.objects.create(
        team=team, webhook_platform=Platform.WECOM, webhook_url="http://127.0.0.1:9/wecom?key=x"
    )


def outbox_rows():
    return sorted(
        ((r.recipient_id, r.team_id, r.key, r.channel, r.lead_minutes) for r in Outbox.objects.all()),
        key=lambda row: (row[0] or 0, row[3]),
    )


def test_notify_records_in_app_and_queues_chosen_channels_once(agent, lead, team, chat):
    ChannelPreference.objects.create(
        profile=lead.profile, kind=NoticeKind.ROSTER_PUBLISHED, channel=Channel.EMAIL, enabled=False
    )
    people = [agent.profile, lead.profile]
    first = services.notify(people, kind=NoticeKind.ROSTER_PUBLISHED, subject="12月排班表已发布", dedupe_key="pub:1")
    again = services.notify(people, kind=NoticeKind.ROSTER_PUBLISHED, subject="12月排班表已发布", dedupe_key="pub:1")
    assert (first, again) == (2, 0)
    assert Notification.objects.count() == 2
    # Email for the agent only (the lead turned it off); one team-chat message for the team, not one per person.
    assert outbox_rows() == [
        (None, team.pk, "pub:1", Channel.WEBHOOK, 0),
        (agent.profile.pk, team.pk, "pub:1", Channel.EMAIL, 0),
    ]


def test_notify_masks_customer_data_everywhere(agent):
    services.notify(
        [agent.profile],
        kind=NoticeKind.REPORT_ESCALATED,
        subject="客户13812345678投诉",
        body="身份证 11010519491231002X",
        dedupe_key="esc:1",
    )
    notice, email = Notification.objects.get(), Outbox.objects.get()
    assert (notice.subject, notice.body, email.subject, email.body) == (
        "客户138****5678投诉",
        "身份证 1101**********002X",
        "客户138****5678投诉",
        "身份证 1101**********002X",
    )


def test_notify_send_failed_stays_in_the_app(supervisor):
    services.notify([supervisor.profile], kind=NoticeKind.SEND_FAILED, subject="发送失败", dedupe_key="f:1")
    assert (Notification.objects.count(), Outbox.objects.count()) == (1, 0)


def test_set_channel_preferences_keeps_in_app_on(agent):
    services.set_channel_preferences(
        profile=agent.profile,
        enabled={
            (NoticeKind.ROSTER_PUBLISHED, Channel.EMAIL): False,
            (NoticeKind.ROSTER_PUBLISHED, Channel.IN_APP): False,
            (NoticeKind.SEND_FAILED, Channel.EMAIL): True,
        },
    )
    assert list(ChannelPreference.objects.values_list("kind", "channel", "enabled")) == [
        (NoticeKind.ROSTER_PUBLISHED, Channel.EMAIL, False)
    ]


def test_resend_only_a_failed_message(team, supervisor):
    row = Outbox.objects.create(
        team=team,
        key="k",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject="s",
        status=OutboxStatus.FAILED,
        attempts=5,
        last_error="HTTP 500",
    )
    services.resend(outbox_id=row.pk, team=team, actor=supervisor.profile)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.resent_by) == (OutboxStatus.PENDING, 0, supervisor)
    with pytest.raises(services.NotificationError):
        services.resend(outbox_id=row.pk, team=team, actor=supervisor.profile)


def test_resend_refuses_another_teams_message(team, other_team, supervisor):
    row = Outbox.objects.create(
        team=other_team,
        key="k",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject="s",
        status=OutboxStatus.FAILED,
    )
    with pytest.raises(services.NotificationError):
        services.resend(outbox_id=row.pk, team=team, actor=supervisor.profile)


def test_reminder_sources_registered_by_apps_are_run_and_asked_before_sending():
    from types import SimpleNamespace

    from dutydesk.notifications import reminders

    calls = []
    kind = "test_reminder"
    reminders.register(
        kind, due=lambda now: calls.append(now) or 3, stale=lambda rows, now: {row.id for row in rows if row.id % 2}
    )
    try:
        now = timezone.now()
        shift_reminders = reminders.schedule_reminders(now=now) - 3
        rows = [SimpleNamespace(id=n, kind=kind) for n in (1, 2, 3)] + [SimpleNamespace(id=5, kind="other")]
        assert (calls, shift_reminders >= 0, reminders.stale_ids(rows, now)) == ([now], True, {1, 3})
    finally:
        reminders._sources.pop(kind)
    # The roster registered its shift reminders and the wish window's (issue 26) in RosterConfig.ready():
    # notifications never imports it.
    assert [source.kind for source in reminders.sources()] == [NoticeKind.SHIFT_REMINDER, NoticeKind.WISH_REMINDER]
