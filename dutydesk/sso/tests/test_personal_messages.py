"""Personal messages (issue 23 item 5) through the outbox to the local WeCom, DingTalk and Feishu servers: once per
notice, to the chat app the person chose, with a link that opens the page signed in; token refreshed, rate limits
honoured, failures retried and then shown to the supervisor."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from dutydesk.notifications import sending
from dutydesk.notifications.models import (
    Channel,
    ChannelPreference,
    NoticeKind,
    Notification,
    Outbox,
    OutboxStatus,
    PersonalPlatform,
)
from dutydesk.notifications.services import notify
from dutydesk.sso.models import ProviderSettings

pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://duty.example.com"


def offer(profile, n: int = 1, url: str = "/roster/team-east/swaps/7/"):
    # No email address: the counts below are of personal messages alone.
    User.objects.filter(profile=profile).update(email="")
    return notify(
        [profile],
        kind=NoticeKind.REQUEST_WAITING,
        subject=f"李娜 proposes a swap {n}",
        body="Sat 09:00 day shift",
        url=url,
        dedupe_key=f"swap:test:{n}",
    )


def personal_rows():
    return list(Outbox.objects.filter(channel=Channel.PERSONAL).order_by("id"))


def test_notice_reaches_the_persons_wecom_once_with_a_signed_in_link(agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    offer(agent.profile)
    offer(agent.profile)  # the same notice again: nothing new
    assert [(r.platform, r.status) for r in personal_rows()] == [("wecom", OutboxStatus.PENDING)]
    assert sending.send_due()["sent"] == 1
    assert sending.send_due()["sent"] == 0
    [message] = wecom.messages_to("zhangwei")
    assert message.title == "李娜 proposes a swap 1"
    link = urlsplit(message.url)
    assert (link.scheme, link.netloc, link.path) == ("https", "duty.example.com", "/accounts/open/wecom/")
    assert parse_qs(link.query) == {"next": ["/roster/team-east/swaps/7/"]}
    assert Notification.objects.filter(recipient=agent.profile).count() == 1  # the bell has it too


def test_preference_off_sends_no_personal_message(agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    ChannelPreference.objects.create(
        profile=agent.profile, kind=NoticeKind.REQUEST_WAITING, channel=Channel.PERSONAL, enabled=False
    )
    offer(agent.profile)
    assert personal_rows() == []


def test_nobody_without_an_account_in_the_chat_app_gets_a_row(agent, wecom):
    offer(agent.profile)
    assert personal_rows() == []


def test_chosen_platform_carries_the_message(agent, wecom, feishu):
    agent.profile.wecom_id, agent.profile.feishu_id = "zhangwei", "fs-zw"
    agent.profile.save()
    feishu.add_person("fs-zw", "张伟")
    PersonalPlatform.objects.create(profile=agent.profile, platform="feishu")
    offer(agent.profile)
    assert [r.platform for r in personal_rows()] == ["feishu"]
    assert sending.send_due()["sent"] == 1
    assert [m.key for m in feishu.messages_to("fs-zw")] == [f"outbox-{personal_rows()[0].pk}"]
    assert wecom.arrivals == []


def test_dingtalk_work_notice(agent, dingtalk):
    agent.profile.dingtalk_id = "ding-zw"
    agent.profile.save()
    dingtalk.add_person("ding-zw", "张伟")
    offer(agent.profile)
    assert sending.send_due()["sent"] == 1
    [message] = dingtalk.messages_to("ding-zw")
    assert message.url.startswith("https://duty.example.com/accounts/open/dingtalk/?next=")


def test_expired_token_is_refreshed_and_the_message_goes(agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    offer(agent.profile, 1)
    sending.send_due()
    wecom.expire_tokens()
    offer(agent.profile, 2)
    assert sending.send_due() == {"sent": 1, "failed": 0, "released": 0, "cancelled": 0, "postponed": 0}
    assert len(wecom.messages_to("zhangwei")) == 2 and wecom.token_fetches == 2


def test_own_rate_limit_postpones_to_the_next_minute_without_failing(agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    ProviderSettings.objects.filter(provider="wecom").update(messages_per_minute=2)
    for n in range(5):
        offer(agent.profile, n)
    counts = sending.send_due()
    sent = len(wecom.messages_to("zhangwei"))
    # Two fit in this minute (three if the minute turned while sending); the rest wait, not failed.
    assert sent in (2, 3) and counts["sent"] == sent and counts["postponed"] == 5 - sent and counts["failed"] == 0
    waiting = Outbox.objects.filter(channel=Channel.PERSONAL, status=OutboxStatus.PENDING)
    assert waiting.count() == 5 - sent
    assert all(r.attempts == 0 and r.next_attempt_at > timezone.now() for r in waiting)


def test_platforms_rate_answer_postpones(agent, wecom):
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    wecom.faults.per_minute = 1
    for n in range(3):
        offer(agent.profile, n)
    counts = sending.send_due()
    assert counts["failed"] == 0 and counts["sent"] + counts["postponed"] == 3 and counts["sent"] >= 1
    assert wecom.rate_limited >= 1


def test_failed_send_is_retried_then_shown_to_the_supervisor(agent, supervisor, wecom, settings, client):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    settings.NOTIFY_BACKOFF_SECONDS = 0
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    wecom.faults.fail_next = 10
    offer(agent.profile)
    assert sending.send_due()["failed"] == 2  # the first try, and the retry once its backoff (0 s) ended
    [row] = personal_rows()
    assert (row.status, row.attempts) == (OutboxStatus.FAILED, 2)
    assert "HTTP 500" in row.last_error
    assert Notification.objects.filter(recipient=supervisor.profile, kind=NoticeKind.SEND_FAILED).count() == 1
    client.force_login(supervisor)
    page = client.get("/notifications/team-east/failed/").content.decode()
    assert "李娜 proposes a swap 1" in page and "Personal message" in page


def test_person_no_longer_reachable_fails_with_a_reason(agent, wecom, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    offer(agent.profile)
    agent.profile.wecom_id = ""
    agent.profile.save()
    assert sending.send_due()["failed"] == 1
    assert "no linked account" in personal_rows()[0].last_error


CUSTOMER = "客户 13812345678 (身份证 110101199003071234, 座机 021-62345678, zhao.lei@example.com) 要求回电"


def _whole_numbers_in(*texts: str) -> list[str]:
    whole = ("13812345678", "110101199003071234", "62345678", "zhao.lei@")
    return [w for w in whole for t in texts if w in t]


@pytest.mark.parametrize("through_notify", [True, False])
def test_customers_personal_data_reaches_the_chat_app_masked(agent, wecom, through_notify):
    # R-PIPL-1, R-LOG-4: a personal message leaves dutydesk like any notice, customers' numbers masked; also a row
    # written into the outbox directly with the whole number (sending.deliver masks at the one place a message
    # leaves, whoever wrote the row).
    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    if through_notify:
        User.objects.filter(profile=agent.profile).update(email="")
        notify(
            [agent.profile],
            kind=NoticeKind.REQUEST_WAITING,
            subject=f"交接待签: {CUSTOMER}",
            body=CUSTOMER,
            url="/logbook/",
            dedupe_key="handover:test:mask",
        )
    else:
        Outbox.objects.create(
            channel=Channel.PERSONAL,
            platform="wecom",
            recipient=agent.profile,
            team=agent.profile.team,
            kind=NoticeKind.REQUEST_WAITING,
            key="direct:mask",
            subject=f"交接待签: {CUSTOMER}",
            body=CUSTOMER,
            url="/logbook/",
            next_attempt_at=timezone.now(),
        )
    assert sending.send_due()["sent"] == 1
    [message] = wecom.messages_to("zhangwei")
    assert _whole_numbers_in(message.title, message.text) == []
    assert "138****5678" in message.text and "1101**********1234" in message.text and "z***@example.com" in message.text
    assert "021-******78" in message.text


def test_your_shift_in_an_hour_reaches_wecom_through_the_reminder_job(team, agent, supervisor, wecom):
    # Issue 23 item 5, "your shift in 1 h": the roster's reminder job (beat) writes the personal row with the
    # 1-hour reminder, and its link opens "my shifts" signed in.
    from roster.reminders import schedule_reminders
    from testdata import make_shift, publish

    agent.profile.wecom_id = "zhangwei"
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    User.objects.filter(profile=agent.profile).update(email="")  # the count below is of personal messages alone
    now = timezone.now().replace(second=0, microsecond=0)
    shift = make_shift(team, starts_at=now + timedelta(minutes=70))  # sign-in 55 minutes ahead
    publish(team, [(agent.profile, shift)], by=supervisor)
    schedule_reminders(now=now)
    schedule_reminders(now=now + timedelta(minutes=1))  # beat again: nothing new
    [row] = personal_rows()
    assert (row.recipient_id, row.lead_minutes, row.kind) == (agent.profile.pk, 60, NoticeKind.SHIFT_REMINDER)
    assert sending.send_due()["sent"] == 1
    [message] = wecom.messages_to("zhangwei")
    assert f"{timezone.localtime(shift.starts_at - timedelta(minutes=15)):%H:%M}" in message.text
    assert urlsplit(message.url).path == "/accounts/open/wecom/" and parse_qs(urlsplit(message.url).query)["next"]


def test_person_chooses_the_chat_app_on_the_notice_settings_page(client, agent, wecom, feishu):
    # "The person's preference says which channel": with two chat apps sending, 通知设置 asks which one.
    agent.profile.wecom_id, agent.profile.feishu_id = "zhangwei", "fs-zw"
    agent.profile.save()
    client.force_login(agent)
    form = client.get("/notifications/preferences/").context["form"]
    assert [value for value, _label in form.fields["platform"].choices] == ["", "wecom", "feishu"]
    data = {name: "on" for name, field in form.fields.items() if field.initial and name != "platform"}
    client.post("/notifications/preferences/", {**data, "platform": "feishu"})
    assert PersonalPlatform.objects.get(profile=agent.profile).platform == "feishu"
    offer(agent.profile)
    assert [r.platform for r in personal_rows()] == ["feishu"]
    # Back to the default: the first of the person's accounts (WeCom).
    client.post("/notifications/preferences/", {**data, "platform": ""})
    assert not PersonalPlatform.objects.filter(profile=agent.profile).exists()
    offer(agent.profile, 2)
    assert [r.platform for r in personal_rows()] == ["feishu", "wecom"]


def test_leaver_gets_no_personal_message_from_the_leaving_date(agent, wecom):
    # A leaver's identities stop working on their date (item 3); so do their personal messages: no row is written
    # on the leaving date, and one written the day before that is still due fails with a reason instead of going.
    agent.profile.wecom_id = "zhangwei"
    agent.profile.left_on = timezone.localdate() + timedelta(days=1)
    agent.profile.save()
    wecom.add_person("zhangwei", "张伟")
    offer(agent.profile, 1)
    assert len(personal_rows()) == 1  # her last day: still reached
    agent.profile.left_on = timezone.localdate()
    agent.profile.save()
    offer(agent.profile, 2)
    assert len(personal_rows()) == 1
    sending.send_due()
    assert wecom.arrivals == []
    [row] = personal_rows()
    assert row.status != OutboxStatus.SENT and "no linked account" in row.last_error
