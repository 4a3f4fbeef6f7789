"""Group-chat robot messages: the documented payload and signature of each platform (pure, no network here).

- WeCom (企业微信) group robot, "群机器人配置说明" https://developer.work.weixin.qq.com/document/path/91770 :
  POST {"msgtype": "markdown", "markdown": {"content": "..."}} to .../cgi-bin/webhook/send?key=...; content at most
  4096 bytes; answers {"errcode": 0, "errmsg": "ok"}. No signing (the key in the address is the secret).
- DingTalk (钉钉) custom robot, https://open.dingtalk.com/document/robots/custom-robot-access and
  .../customize-robot-security-settings : POST {"msgtype": "markdown", "markdown": {"title": ..., "text": ...}};
  signed: string_to_sign = timestamp_ms + "\\n" + secret, HmacSHA256 keyed with the secret, Base64, then
  urlEncode, appended to the address as &timestamp=...&sign=...; answers {"errcode": 0, "errmsg": "ok"}.
- Feishu (飞书) custom bot, https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot :
  POST {"msg_type": "text", "content": {"text": ...}}; signed: string_to_sign = timestamp_s + "\\n" + secret is
  the HmacSHA256 KEY over an empty message, Base64; "timestamp" and "sign" go in the body; answers {"code": 0}.
  Limits: 100 messages a minute, 5 a second, 20 KB a request.
"""

import base64
import hashlib
import hmac
import json
from urllib.parse import quote_plus

from dutydesk.notifications.models import Platform

WECOM_MAX_BYTES = 4096


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return quote_plus(base64.b64encode(digest))


def feishu_sign(secret: str, timestamp_s: int) -> str:
    string_to_sign = f"{timestamp_s}\n{secret}".encode()
    digest = hmac.new(string_to_sign, b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _truncate_utf8(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode(errors="ignore") + "..."


def build_request(platform: str, url: str, secret: str, *, title: str, text: str, now_ms: int) -> tuple[str, bytes]:
    """The address to POST to and the JSON body, for one message of `title` and `text` (already masked)."""
    if platform == Platform.WECOM:
        content = _truncate_utf8(f"**{title}**\n{text}" if text else f"**{title}**", WECOM_MAX_BYTES)
        payload = {"msgtype": "markdown", "markdown": {"content": content}}
    elif platform == Platform.DINGTALK:
        payload = {"msgtype": "markdown", "markdown": {"title": title, "text": f"#### {title}\n\n{text}"}}
        if secret:
            sign = dingtalk_sign(secret, now_ms)
            url = f"{url}{'&' if '?' in url else '?'}timestamp={now_ms}&sign={sign}"
    elif platform == Platform.FEISHU:
        payload = {"msg_type": "text", "content": {"text": f"{title}\n{text}" if text else title}}
        if secret:
            timestamp = now_ms // 1000
            payload = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **payload}
    else:
        raise ValueError(f"unknown chat platform {platform!r}")
    return url, json.dumps(payload, ensure_ascii=False).encode()


def accepted(platform: str, status: int, body: bytes) -> tuple[bool, str]:
    """Whether the platform took the message: HTTP 200 and its own error code 0 (rate limits answer 200 too)."""
    if status != 200:
        return False, f"HTTP {status}"
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return False, "answer is not JSON"
    code = answer.get("code", answer.get("StatusCode")) if platform == Platform.FEISHU else answer.get("errcode")
    if code == 0:
        return True, ""
    return False, f"{code}: {answer.get('errmsg') or answer.get('msg') or ''}"[:200]


def allowed_hosts(platform: str) -> tuple[str, ...]:
    """Official robot hosts: a supervisor can only point the robot at its platform (no arbitrary address)."""
    return {
        Platform.WECOM: ("qyapi.weixin.qq.com",),
        Platform.DINGTALK: ("oapi.dingtalk.com",),
        Platform.FEISHU: ("open.feishu.cn", "open.larksuite.com"),
    }.get(platform, ())


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def robot_address_allowed(platform: str, url: str) -> bool:
    """Whether notices may be posted to `url`: https on port 443 of the platform's official robot host, with no user
    or password in it (no other address: the server must not become a way to reach other machines). Tests set
    ROBOT_WEBHOOK_ALLOW_LOOPBACK to post to their local sink on 127.0.0.1 over plain http."""
    from urllib.parse import urlsplit

    from django.conf import settings

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a port that is not a number, or out of range
        return False
    if parts.username is not None or parts.password is not None:
        return False
    if (
        getattr(settings, "ROBOT_WEBHOOK_ALLOW_LOOPBACK", False)
        and parts.scheme == "http"
        and parts.hostname in LOOPBACK_HOSTS
        and port is not None
    ):
        return True
    return parts.scheme == "https" and port in (None, 443) and parts.hostname in allowed_hosts(platform)
