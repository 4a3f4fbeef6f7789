"""Rules without a database: reminder timing, defaults, retries, masking (R-LOG-4), robot payloads and signatures."""

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, quote_plus, urlsplit

from dutydesk.notifications import rules, webhooks
from dutydesk.notifications.models import Channel, NoticeKind

START = datetime(2026, 12, 5, 18, 0, tzinfo=timezone.utc)
LEADS = [1440, 60]


def due(now):
    return rules.due_lead(starts_at=START, now=now, leads=LEADS, signin_minutes=15)


def test_due_lead_24h_reminder_from_its_time_until_the_1h_one():
    signin = START - timedelta(minutes=15)
    assert [
        due(signin - timedelta(hours=24, minutes=1)),
        due(signin - timedelta(hours=24)),
        due(signin - timedelta(hours=2)),
        due(signin - timedelta(hours=1, seconds=1)),
    ] == [None, 1440, 1440, 1440]


def test_due_lead_1h_reminder_until_the_shift_starts_then_nothing():
    signin = START - timedelta(minutes=15)
    assert [
        due(signin - timedelta(hours=1)),
        due(START - timedelta(seconds=1)),
        due(START),
        due(START + timedelta(hours=1)),
    ] == [60, 60, None, None]


def test_due_lead_shift_added_30_minutes_ahead_still_gets_the_1h_reminder():
    assert due(START - timedelta(minutes=30)) == 60


def test_reminder_horizon_is_longest_lead_plus_signin():
    assert rules.reminder_horizon([1440, 60], 15) == timedelta(hours=24, minutes=15)


def test_backoff_doubles_and_is_capped():
    assert [rules.backoff(n, base_seconds=30).total_seconds() for n in (1, 2, 3, 4, 10)] == [30, 60, 120, 240, 3600]


def test_channels_for_defaults_and_choices():
    assert rules.channels_for(NoticeKind.ROSTER_PUBLISHED, {}) == {Channel.EMAIL, Channel.WEBHOOK}
    assert rules.channels_for(NoticeKind.REQUEST_DECIDED, {}) == {Channel.EMAIL}
    assert rules.channels_for(NoticeKind.ROSTER_PUBLISHED, {Channel.EMAIL: False}) == {Channel.WEBHOOK}
    assert rules.channels_for(NoticeKind.SEND_FAILED, {Channel.EMAIL: True}) == set()


def test_mask_sensitive_masks_phones_ids_and_emails_but_not_order_numbers():
    text = "客户 13812345678、+86 139-0000-1234 身份证 11010519491231002X 邮箱 zhang.san@qq.com 订单 20261206123456789"
    assert rules.mask_sensitive(text) == (
        "客户 138****5678、139****1234 身份证 1101**********002X 邮箱 z***@qq.com 订单 20261206123456789"
    )


def test_mask_sensitive_is_idempotent():
    once = rules.mask_sensitive("回电 13812345678")
    assert rules.mask_sensitive(once) == once == "回电 138****5678"


def test_wecom_payload_is_markdown_content():
    url, body = webhooks.build_request(
        "wecom",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "",
        title="值班提醒",
        text="请签到",
        now_ms=1_700_000_000_000,
    )
    assert (url, json.loads(body)) == (
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        {"msgtype": "markdown", "markdown": {"content": "**值班提醒**\n请签到"}},
    )


def test_dingtalk_payload_and_signature_in_the_address():
    url, body = webhooks.build_request(
        "dingtalk",
        "https://oapi.dingtalk.com/robot/send?access_token=t",
        "SECabc",
        title="值班提醒",
        text="请签到",
        now_ms=1_700_000_000_000,
    )
    expected = base64.b64encode(hmac.new(b"SECabc", b"1700000000000\nSECabc", hashlib.sha256).digest())
    query = parse_qs(urlsplit(url).query)
    assert (query, json.loads(body)) == (
        {"access_token": ["t"], "timestamp": ["1700000000000"], "sign": [expected.decode()]},
        {"msgtype": "markdown", "markdown": {"title": "值班提醒", "text": "#### 值班提醒\n\n请签到"}},
    )
    assert f"sign={quote_plus(expected)}" in url


def test_feishu_payload_and_signature_in_the_body():
    url, body = webhooks.build_request(
        "feishu",
        "https://open.feishu.cn/open-apis/bot/v2/hook/x",
        "s3cret",
        title="值班提醒",
        text="请签到",
        now_ms=1_700_000_000_999,
    )
    # Feishu: "timestamp\nsecret" is the HMAC key, the message is empty.
    expected = base64.b64encode(hmac.new(b"1700000000\ns3cret", b"", hashlib.sha256).digest()).decode()
    assert json.loads(body) == {
        "timestamp": "1700000000",
        "sign": expected,
        "msg_type": "text",
        "content": {"text": "值班提醒\n请签到"},
    }


def test_accepted_reads_each_platforms_error_code():
    assert [
        webhooks.accepted("wecom", 200, b'{"errcode":0,"errmsg":"ok"}'),
        webhooks.accepted("dingtalk", 200, b'{"errcode":130101,"errmsg":"send too fast"}'),
        webhooks.accepted("feishu", 200, b'{"code":0,"msg":"success"}'),
        webhooks.accepted("feishu", 500, b""),
    ] == [(True, ""), (False, "130101: send too fast"), (True, ""), (False, "HTTP 500")]


def test_mask_sensitive_masks_landlines_too():
    # R-PIPL-1: a customer's landline is personal data like a mobile number.
    assert rules.mask_sensitive("回电 010-12345678 或 0571 8888 6666") == "回电 010-******78 或 0571 ******66"
    assert rules.mask_sensitive(rules.mask_sensitive("010-12345678")) == "010-******78"
