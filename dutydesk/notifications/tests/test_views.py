"""The bell, the list, preferences, the supervisor's robot settings and failed sends."""

import pytest
from django.urls import reverse

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


def notice(profile, n, **extra):
    return Notification.objects.create(
        recipient=profile, kind=NoticeKind.ROSTER_CHANGED, subject=f"班次调整 {n}", dedupe_key=f"v:{n}", **extra
    )


def test_bell_shows_unread_count_on_every_page(client, agent):
    for n in range(3):
        notice(agent.profile, n)
    client.force_login(agent)
    page = client.get("/").content.decode()
    bell = client.get(reverse("notifications:bell")).content.decode()
    for html in (page, bell):
        assert 'data-testid="notification-count">3</span>' in html
        assert 'hx-trigger="every 45s"' in html


def test_list_pages_and_query_count(client, agent, django_assert_max_num_queries):
    for n in range(45):
        notice(agent.profile, n)
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notifications:list"), {"page": 2})
    assert [n.subject for n in response.context["page"]] == [f"班次调整 {n}" for n in range(24, 4, -1)]


def test_mark_read_only_own_notice(client, agent, lead):
    mine, theirs = notice(agent.profile, 1), notice(lead.profile, 2)
    client.force_login(agent)
    client.post(reverse("notifications:read", args=[theirs.pk]))
    response = client.post(reverse("notifications:read", args=[mine.pk]), {"next": "/roster/"})
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert (response.status_code, response["Location"], mine.read_at is not None, theirs.read_at) == (
        302,
        "/roster/",
        True,
        None,
    )


def test_mark_read_refuses_outside_redirect(client, agent):
    mine = notice(agent.profile, 1)
    client.force_login(agent)
    response = client.post(reverse("notifications:read", args=[mine.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_read(client, agent):
    for n in range(3):
        notice(agent.profile, n)
    client.force_login(agent)
    client.post(reverse("notifications:read-all"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_preferences_save_choices(client, agent):
    client.force_login(agent)
    form = client.get(reverse("notifications:preferences")).context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.initial}
    del data[f"{NoticeKind.ROSTER_PUBLISHED}__{Channel.EMAIL}"]
    data[f"{NoticeKind.REQUEST_DECIDED}__{Channel.WEBHOOK}"] = "on"
    client.post(reverse("notifications:preferences"), data)
    saved = set(ChannelPreference.objects.filter(profile=agent.profile).values_list("kind", "channel", "enabled"))
    assert {
        (NoticeKind.ROSTER_PUBLISHED, Channel.EMAIL, False),
        (NoticeKind.REQUEST_DECIDED, Channel.WEBHOOK, True),
        (NoticeKind.SHIFT_REMINDER, Channel.EMAIL, True),
    } <= saved


def test_team_settings_saves_robot_and_keeps_secret(client, supervisor, team):
    client.force_login(supervisor)
    url = reverse("notifications:team-settings", args=[team.slug])
    data = {
        "reminder_hours": "24，2",
        "signin_minutes": "15",
        "webhook_platform": Platform.DINGTALK,
        "webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=abc",
        "webhook_secret": "SECxyz",
    }
    client.post(url, data)
    client.post(url, {**data, "webhook_secret": ""})
    saved = TeamNotificationSettings.objects.get(team=team)
    assert (saved.reminder_leads, saved.webhook_platform, saved.webhook_secret) == ([1440, 120], "dingtalk", "SECxyz")


def test_team_settings_refuse_an_address_outside_the_platform(client, supervisor, team):
    client.force_login(supervisor)
    response = client.post(
        reverse("notifications:team-settings", args=[team.slug]),
        {
            "reminder_hours": "24, 1",
            "signin_minutes": "15",
            "webhook_platform": Platform.WECOM,
            "webhook_url": "https://127.0.0.1/cgi-bin/webhook/send?key=x",
        },
    )
    assert response.context["form"].errors == {
        "webhook_url": ["这不是企业微信的机器人地址（https://qyapi.weixin.qq.com/...）。"]
    }
    assert not TeamNotificationSettings.objects.filter(team=team).exclude(webhook_url="").exists()


def test_failed_page_lists_team_failures_and_resend(client, supervisor, team, other_team):
    failed = Outbox.objects.create(
        team=team,
        key="a",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject="排班表已发布",
        status=OutboxStatus.FAILED,
        attempts=5,
        last_error="HTTP 500",
    )
    Outbox.objects.create(
        team=other_team,
        key="b",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject="别组",
        status=OutboxStatus.FAILED,
        last_error="HTTP 500",
    )
    client.force_login(supervisor)
    page = client.get(reverse("notifications:failed", args=[team.slug]))
    assert [r.subject for r in page.context["page"]] == ["排班表已发布"]
    client.post(reverse("notifications:resend", args=[failed.pk]))
    second = client.post(reverse("notifications:resend", args=[failed.pk]), follow=True)
    failed.refresh_from_db()
    assert (failed.status, [str(m) for m in second.context["messages"]]) == (
        OutboxStatus.PENDING,
        ["该消息已排队重新发送。", "这条消息已不是失败状态：有人已重新发送，或它已发出。"],
    )


def test_failed_page_refuses_agents_and_other_teams(client, agent, outsider, team):
    client.force_login(agent)
    assert client.get(reverse("notifications:failed", args=[team.slug])).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("notifications:failed", args=[team.slug])).status_code == 404


def test_resend_of_another_teams_message_answers_404(client, outsider, team):
    row = Outbox.objects.create(
        team=team,
        key="a",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject="排班表已发布",
        status=OutboxStatus.FAILED,
        last_error="HTTP 500",
    )
    client.force_login(outsider)
    assert client.post(reverse("notifications:resend", args=[row.pk])).status_code == 404
    row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED
