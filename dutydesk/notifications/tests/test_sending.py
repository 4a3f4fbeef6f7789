"""Exactly once, with real Celery workers, Redis and PostgreSQL; robots and mail on local sinks (127.0.0.1 only)."""

import base64
import hashlib
import hmac
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from dutydesk.models import Role
from dutydesk.notifications import services
from dutydesk.notifications.models import Channel, NoticeKind, Notification, Outbox, OutboxStatus, Platform
from dutydesk.notifications.reminders import schedule_reminders
from dutydesk.notifications.sending import claim_due, send_due
from dutydesk.notifications.tasks import task_schedule_reminders, task_send_outbox, task_sweep_outbox
from dutydesk.notifications.tests.factories import robot
from dutydesk.testing import queue_drained, wait_until
from roster.models import AssignmentRole
from testdata import make_person, make_shift, publish

pytestmark = pytest.mark.django_db(transaction=True)


def webhook_rows(team, count, **extra):
    return Outbox.objects.bulk_create(
        [
            Outbox(
                team=team,
                key=f"test:{n}",
                channel=Channel.WEBHOOK,
                kind=NoticeKind.ROSTER_PUBLISHED,
                subject=f"通知 {n}",
                body="排班表已发布",
                **extra,
            )
            for n in range(count)
        ]
    )


def statuses():
    return dict(Outbox.objects.values_list("status").annotate(n=Count("id")).order_by())


def test_two_workers_claiming_at_once_send_each_message_once(team, sink):
    robot(team, sink)
    people = [make_person(Role.AGENT, team) for _ in range(20)]
    webhook_rows(team, 200)
    Outbox.objects.bulk_create(
        [
            Outbox(
                recipient=p.profile,
                team=team,
                key=f"mail:{n}",
                channel=Channel.EMAIL,
                kind=NoticeKind.ROSTER_CHANGED,
                subject="班次调整",
            )
            for p in people
            for n in range(5)
        ]
    )
    start = threading.Barrier(4)
    results = []

    def work():
        try:
            start.wait()
            results.append(send_due(time_budget=60))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_mail = [m.extra_headers["X-Dutydesk-Outbox"] for m in mail.outbox]
    assert (len(sink.accepted), set(sink.counts().values())) == (200, {1})
    assert (len(sent_mail), len(set(sent_mail))) == (100, 100)
    assert (statuses(), sum(r["sent"] for r in results)) == ({OutboxStatus.SENT: 300}, 300)


def test_celery_sends_reminders_once_when_beat_fires_twice(team, supervisor, sink, worker):
    robot(team, sink)
    agent, lead = make_person(Role.AGENT, team, name="张伟"), make_person(Role.LEAD, team, name="李娜")
    shift = make_shift(team, starts_at=timezone.now() + timedelta(minutes=50))
    publish(
        team,
        [(agent.profile, shift, AssignmentRole.PRIMARY), (lead.profile, shift, AssignmentRole.BACKUP)],
        by=supervisor,
    )
    task_schedule_reminders.delay()
    task_schedule_reminders.delay()
    wait_until(lambda: statuses() == {OutboxStatus.SENT: 3}, what="3 sent")
    # Beat again, a sweep and a stray sender: none of them may send anything twice.
    task_schedule_reminders.delay()
    task_sweep_outbox.delay()
    task_send_outbox.delay()
    wait_until(lambda: queue_drained(worker), what="queue drained")
    assert (statuses(), set(sink.counts().values()), len(sink.accepted)) == ({OutboxStatus.SENT: 3}, {1}, 1)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([agent.email, lead.email])
    assert [r["json"]["markdown"]["content"].splitlines()[2] for r in sink.accepted] == [
        f"值班人员：张伟（{AssignmentRole.PRIMARY.label}）、李娜（{AssignmentRole.BACKUP.label}）"
    ]
    assert Notification.objects.filter(kind=NoticeKind.SHIFT_REMINDER).count() == 2


def test_sweep_recovers_work_whose_celery_message_was_lost(team, sink, worker):
    robot(team, sink)
    webhook_rows(team, 30)  # written straight to the database: no Celery message exists for them
    task_sweep_outbox.delay()
    # The sink accepts a message a moment before the worker marks its row sent: wait for the rows.
    wait_until(lambda: statuses() == {OutboxStatus.SENT: 30}, what="30 sent")
    assert (len(sink.accepted), set(sink.counts().values())) == (30, {1})


def test_failed_send_is_retried_with_backoff(team, sink, settings):
    settings.NOTIFY_BACKOFF_SECONDS = 30
    robot(team, sink)
    [row] = webhook_rows(team, 1)
    sink.fail_next = 1
    before = timezone.now()
    assert send_due(time_budget=10)["failed"] == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.PENDING, 1, "wecom: HTTP 500")
    assert before + timedelta(seconds=30) <= row.next_attempt_at <= timezone.now() + timedelta(seconds=30)
    # Not due yet: nothing is claimed now; 30 seconds later it is, and the second try is delayed 60 s if it fails.
    assert claim_due(worker="probe") == []
    sink.fail_next = 1
    assert [r.id for r in claim_due(worker="later", now=row.next_attempt_at)] == [row.id]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claimed_by) == (OutboxStatus.SENDING, 2, "later")


def test_retries_until_the_platform_takes_it_then_sent_once(team, sink, worker, settings):
    settings.NOTIFY_BACKOFF_SECONDS = 0
    robot(team, sink)
    [row] = webhook_rows(team, 1)
    sink.fail_next = 2
    task_send_outbox.delay()
    wait_until(lambda: Outbox.objects.get(pk=row.pk).status == OutboxStatus.SENT, what="sent")
    row.refresh_from_db()
    assert (row.attempts, len(sink.accepted), row.last_error) == (3, 1, "")


def test_last_failure_is_shown_to_the_supervisors_one_resends_once(team, supervisor, overseer, sink, worker, settings):
    settings.NOTIFY_BACKOFF_SECONDS = 0
    settings.NOTIFY_MAX_ATTEMPTS = 2
    robot(team, sink)
    [row] = webhook_rows(team, 1)
    sink.fail_next = 2
    task_send_outbox.delay()
    wait_until(lambda: Outbox.objects.get(pk=row.pk).status == OutboxStatus.FAILED, what="failed")
    notice = Notification.objects.get(recipient=supervisor.profile)
    assert (notice.kind, notice.subject, notice.url) == (
        NoticeKind.SEND_FAILED,
        "通知发送失败：通知 0",
        f"/notifications/{team.slug}/failed/",
    )
    assert Notification.objects.filter(recipient=overseer.profile, kind=NoticeKind.SEND_FAILED).count() == 1
    services.resend(outbox_id=row.pk, team=team, actor=supervisor.profile)  # queues a sender on commit
    wait_until(lambda: Outbox.objects.get(pk=row.pk).status == OutboxStatus.SENT, what="sent after resend")
    row.refresh_from_db()
    assert (row.attempts, len(sink.accepted), row.resent_by) == (1, 1, supervisor)


@pytest.mark.parametrize("platform", [Platform.WECOM, Platform.DINGTALK, Platform.FEISHU])
def test_robot_payload_matches_the_platforms_format(team, sink, platform):
    robot(team, sink, platform, secret="SECtest-secret" if platform != Platform.WECOM else "")
    lead = make_person(Role.LEAD, team)
    services.notify(
        [lead.profile],
        kind=NoticeKind.ABSENCE_ALERT,
        subject="脱岗提醒：张伟未签到",
        body="客户 13812345678 的回电待处理",
        dedupe_key="absence:1",
    )
    send_due(time_budget=10)
    [record] = sink.accepted
    if platform == Platform.WECOM:
        assert record["json"] == {
            "msgtype": "markdown",
            "markdown": {"content": "**脱岗提醒：张伟未签到**\n客户 138****5678 的回电待处理"},
        }
    elif platform == Platform.DINGTALK:
        timestamp = record["query"]["timestamp"][0]
        expected = base64.b64encode(
            hmac.new(b"SECtest-secret", f"{timestamp}\nSECtest-secret".encode(), hashlib.sha256).digest()
        ).decode()
        assert (record["query"]["sign"], record["json"]) == (
            [expected],
            {
                "msgtype": "markdown",
                "markdown": {
                    "title": "脱岗提醒：张伟未签到",
                    "text": "#### 脱岗提醒：张伟未签到\n\n客户 138****5678 的回电待处理",
                },
            },
        )
    else:
        body = record["json"]
        expected = base64.b64encode(
            hmac.new(f"{body['timestamp']}\nSECtest-secret".encode(), b"", hashlib.sha256).digest()
        ).decode()
        assert body == {
            "timestamp": body["timestamp"],
            "sign": expected,
            "msg_type": "text",
            "content": {"text": "脱岗提醒：张伟未签到\n客户 138****5678 的回电待处理"},
        }


def test_email_goes_to_the_person_with_a_stable_message_id_and_a_link_that_opens(team, supervisor, settings):
    settings.SITE_URL = "https://duty.example.com/"  # a relative link in an e-mail leads nowhere
    agent = make_person(Role.AGENT, team)
    services.notify(
        [agent.profile],
        kind=NoticeKind.REQUEST_DECIDED,
        subject="您的请假申请已批准",
        body="替班人：陈静，电话 13912345678",
        url="/roster/",
        dedupe_key="leave:1",
    )
    send_due(time_budget=10)
    [message] = mail.outbox
    row = Outbox.objects.get()
    assert (message.to, message.subject, message.body, message.extra_headers["Message-ID"]) == (
        [agent.email],
        "您的请假申请已批准",
        "替班人：陈静，电话 139****5678\n\nhttps://duty.example.com/roster/",
        f"<outbox-{row.pk}@dutydesk>",
    )


def test_reminder_of_someone_swapped_out_before_sending_is_cancelled(team, supervisor, sink):
    robot(team, sink)
    agent, other = make_person(Role.AGENT, team), make_person(Role.AGENT, team)
    shift = make_shift(team, starts_at=timezone.now() + timedelta(minutes=50))
    publish(team, [(agent.profile, shift)], by=supervisor)
    schedule_reminders()
    publish(team, [(other.profile, shift)], by=supervisor)  # approved swap after queueing, before sending
    send_due(time_budget=10)
    cancelled = Outbox.objects.get(recipient=agent.profile)
    assert (cancelled.status, len(mail.outbox)) == (OutboxStatus.CANCELLED, 0)


def test_a_message_leaves_masked_even_if_written_whole(team, sink):
    # R-PIPL-1: the one place a message leaves (sending.Sender.deliver) masks it, whatever wrote the row: a robot is
    # a third party (个人信息保护法第二十三条).
    robot(team, sink)
    Outbox.objects.create(
        team=team,
        key="whole:1",
        channel=Channel.WEBHOOK,
        kind=NoticeKind.REPORT_ESCALATED,
        subject="客户13812345678投诉",
        body="身份证 11010519491231002X，座机 010-12345678",
    )
    assert send_due(time_budget=10)["sent"] == 1
    [message] = sink.accepted
    text = str(message["json"])
    assert "13812345678" not in text and "11010519491231002X" not in text and "12345678" not in text
    assert "138****5678" in text and "1101**********002X" in text and "010-******78" in text
