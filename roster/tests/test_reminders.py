"""Shift reminders worked out from the roster as it is (roster/reminders.py), on the real database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dutydesk.notifications.models import Channel, Notification, Outbox, Platform, TeamNotificationSettings
from roster.models import AssignmentRole
from roster.reminders import _open_items_providers, register_open_items_provider, schedule_reminders
from testdata import make_shift, publish

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


def _night_shift(team, now, hours_ahead):
    return make_shift(team, starts_at=now + timedelta(hours=hours_ahead))


def test_reminders_due_once_even_when_beat_fires_twice(team, agent, lead, supervisor, chat):
    now = timezone.now().replace(second=0, microsecond=0)
    shift = _night_shift(team, now, 24)  # sign-in 23h45 ahead: the 24-hour reminder is due
    publish(
        team,
        [(agent.profile, shift, AssignmentRole.PRIMARY), (lead.profile, shift, AssignmentRole.BACKUP)],
        by=supervisor,
    )
    assert (
        schedule_reminders(now=now),
        schedule_reminders(now=now),
        schedule_reminders(now=now + timedelta(minutes=1)),
    ) == (2, 0, 0)
    key = f"reminder:{shift.pk}"
    assert outbox_rows() == [
        (None, team.pk, key, Channel.WEBHOOK, 1440),
        (agent.profile.pk, team.pk, key, Channel.EMAIL, 1440),
        (lead.profile.pk, team.pk, key, Channel.EMAIL, 1440),
    ]
    notice = Notification.objects.get(recipient=agent.profile)
    assert notice.dedupe_key == f"{key}:1440"
    assert notice.body.splitlines() == [
        f"请于 {timezone.localtime(shift.starts_at - timedelta(minutes=15)):%H:%M} 前签到。",
        f"本班角色：{AssignmentRole.PRIMARY.label}",
        f"同班：{lead.profile.name}",
        "没有待处理事项。",
    ]


def test_reminders_follow_a_new_roster_version(team, agent, lead, supervisor):
    now = timezone.now().replace(second=0, microsecond=0)
    shift = _night_shift(team, now, 1)  # sign-in 45 minutes ahead: the 1-hour reminder is due
    publish(team, [(agent.profile, shift)], by=supervisor)
    # A swap before the reminder run: the lead now holds the shift.
    publish(team, [(lead.profile, shift)], by=supervisor)
    schedule_reminders(now=now)
    assert list(Notification.objects.values_list("recipient_id", "dedupe_key")) == [
        (lead.profile.pk, f"reminder:{shift.pk}:60")
    ]


def test_reminders_shift_added_late_gets_the_1h_reminder(team, agent, supervisor):
    now = timezone.now().replace(second=0, microsecond=0)
    shift = _night_shift(team, now, 0.5)
    publish(team, [(agent.profile, shift)], by=supervisor)
    schedule_reminders(now=now)
    assert list(Notification.objects.values_list("dedupe_key", flat=True)) == [f"reminder:{shift.pk}:60"]


def test_reminders_use_team_lead_times_and_open_items_hook(team, agent, supervisor):
    TeamNotificationSettings.objects.create(team=team, reminder_leads=[180], signin_minutes=30)
    now = timezone.now().replace(second=0, microsecond=0)
    shift = _night_shift(team, now, 3.5)  # sign-in 3 hours ahead
    publish(team, [(agent.profile, shift)], by=supervisor)

    def provider(shift_ids):
        return {shift.pk: ["客户13812345678 退款未到账，约定18:00前回电"]}

    register_open_items_provider(provider)
    try:
        schedule_reminders(now=now)
    finally:
        _open_items_providers.remove(provider)
    notice = Notification.objects.get()
    assert (notice.dedupe_key, notice.body.splitlines()[-2:]) == (
        f"reminder:{shift.pk}:180",
        ["待处理事项（1）：", "- 客户138****5678 退款未到账，约定18:00前回电"],
    )
