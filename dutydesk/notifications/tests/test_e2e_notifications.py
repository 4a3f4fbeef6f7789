"""In Chromium: an agent sees the bell count, opens the list, marks a notice read and changes a channel; a
supervisor sees a failed send and sends it again."""

import pytest
from playwright.sync_api import expect

from dutydesk.notifications.models import Channel, ChannelPreference, NoticeKind, Notification, Outbox, OutboxStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_reads_notices_and_chooses_channels(page, login, agent):
    for n, subject in enumerate(["下月排班表已发布", "您的班次有调整"]):
        Notification.objects.create(
            recipient=agent.profile, kind=NoticeKind.ROSTER_CHANGED, subject=subject, dedupe_key=f"e2e:{n}"
        )
    login(agent)
    expect(page.get_by_test_id("notification-count")).to_have_text("2")
    page.get_by_test_id("notification-bell").click()
    expect(page.locator("h1")).to_have_text("通知")
    expect(page.get_by_test_id("notice-unread")).to_have_count(2)
    page.get_by_test_id("mark-read").first.click()
    expect(page.get_by_test_id("notice-unread")).to_have_count(1)
    expect(page.get_by_test_id("notification-count")).to_have_text("1")

    page.get_by_test_id("preferences-link").click()
    email = page.get_by_test_id(f"pref-{NoticeKind.ROSTER_PUBLISHED}__{Channel.EMAIL}")
    expect(email).to_be_checked()  # default: roster notices by email
    email.uncheck()
    page.get_by_test_id("preferences-save").click()
    expect(page.locator(".alert-success")).to_contain_text("您的通知渠道已保存")
    expect(page.get_by_test_id(f"pref-{NoticeKind.ROSTER_PUBLISHED}__{Channel.EMAIL}")).not_to_be_checked()
    assert (
        ChannelPreference.objects.get(
            profile=agent.profile, kind=NoticeKind.ROSTER_PUBLISHED, channel=Channel.EMAIL
        ).enabled
        is False
    )


def test_supervisor_resends_a_failed_notice(page, login, supervisor, team):
    row = Outbox.objects.create(
        team=team,
        key="e2e",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.ROSTER_PUBLISHED,
        subject="12月排班表已发布",
        status=OutboxStatus.FAILED,
        attempts=5,
        last_error="dingtalk: 130101: send too fast",
    )
    login(supervisor)
    page.goto(f"/notifications/{team.slug}/failed/")
    expect(page.get_by_test_id("failed-row")).to_contain_text("130101: send too fast")
    page.get_by_test_id("resend").click()
    expect(page.locator(".alert-success")).to_contain_text("该消息已排队重新发送")
    row.refresh_from_db()
    assert (row.status, row.resent_by) == (OutboxStatus.PENDING, supervisor)
