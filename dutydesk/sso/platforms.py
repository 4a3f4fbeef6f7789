"""The chat platforms' server APIs that dutydesk calls with the company app's credentials: the app's access token
(cached, refreshed), the directory's user record, personal messages, and a connection test.

Documented calls (all answer JSON; an error code other than 0 is a refusal):
- WeCom (企业微信), https://developer.work.weixin.qq.com/document/path/91039 and following:
  GET /cgi-bin/gettoken?corpid&corpsecret → access_token, expires_in (7200 s);
  GET /cgi-bin/auth/getuserinfo?access_token&code → userid (a member) or openid (not one);
  GET /cgi-bin/user/get?access_token&userid → name, mobile, email, extattr;
  POST /cgi-bin/message/send?access_token {touser, msgtype: textcard, agentid, textcard{title, description, url,
  btntxt}, enable_duplicate_check, duplicate_check_interval} → invaliduser names a user it could not reach;
  GET /cgi-bin/agent/get?access_token&agentid (the connection test). Token expired 42001, invalid 40014;
  frequency limits 45009 / 45033.
- DingTalk (钉钉), https://open.dingtalk.com/document/orgapp/ :
  GET oapi /gettoken?appkey&appsecret → access_token, expires_in (7200 s);
  POST oapi /topapi/user/getbyunionid {unionid} → result.userid; POST oapi /topapi/v2/user/get {userid} → result
  (name, mobile, email, job_number); POST oapi /topapi/message/corpconversation/asyncsend_v2 {agent_id,
  userid_list, msg{msgtype: action_card, ...}} → task_id. Token expired 42001, invalid 40014 / 40001;
  frequency limits 90002, 90005, 90006, 90018.
- Feishu (飞书), https://open.feishu.cn/document/ :
  POST /open-apis/auth/v3/tenant_access_token/internal {app_id, app_secret} → tenant_access_token, expire (7200 s);
  POST /open-apis/im/v1/messages?receive_id_type=user_id {receive_id, msg_type: interactive, content, uuid} (uuid:
  the platform sends one message per uuid within an hour); invalid token 99991661 / 99991663 / 99991668;
  frequency limit HTTP 429 or 99991400.

A token is kept in the cache (Redis) until 5 minutes before it expires, shared by every web and worker process;
a call that answers "token expired / invalid" drops it, fetches a new one and is tried once more.
"""

import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache

WECOM, DINGTALK, FEISHU = "wecom", "dingtalk", "feishu"

OFFICIAL_HOSTS = {
    WECOM: {
        "api": "https://qyapi.weixin.qq.com",
        "login": "https://login.work.weixin.qq.com",
        "open": "https://open.weixin.qq.com",
    },
    DINGTALK: {
        "api": "https://api.dingtalk.com",
        "oapi": "https://oapi.dingtalk.com",
        "login": "https://login.dingtalk.com",
    },
    FEISHU: {"open": "https://open.feishu.cn"},
}
TOKEN_CODES = {WECOM: {40014, 42001}, DINGTALK: {40001, 40014, 42001}, FEISHU: {99991661, 99991663, 99991668}}
RATE_CODES = {WECOM: {45009, 45033}, DINGTALK: {90002, 90005, 90006, 90018}, FEISHU: {99991400}}
TOKEN_MARGIN = 300  # seconds: a cached token is dropped this long before the platform's expiry


def host(provider: str, name: str) -> str:
    """The base address of one of a platform's hosts; tests' local servers stand in for all of them at once."""
    override = getattr(settings, "SSO_PROVIDER_BASE_URLS", {}).get(provider)
    return (override or OFFICIAL_HOSTS[provider][name]).rstrip("/")


def timeout() -> float:
    return settings.SOCIALACCOUNT_REQUESTS_TIMEOUT


class PlatformError(Exception):
    """The platform refused or did not answer; the text is for the failed-sends page and the logs."""


class Unavailable(PlatformError):
    """No answer in time (slow), no connection, or a server error (HTTP 5xx): nothing was decided there."""

    def __init__(self, message: str, *, slow: bool = False):
        super().__init__(message)
        self.slow = slow


class RateLimited(PlatformError):
    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class _TokenRejected(PlatformError):
    pass


@dataclass(frozen=True)
class Credentials:
    provider: str
    corp_id: str
    agent_id: str
    app_key: str
    secret: str
    messages_per_minute: int = 600

    def fingerprint(self) -> str:
        """Names the cached token: a new secret or app gets a new token, never the old one's."""
        raw = "\n".join([self.provider, self.corp_id, self.app_key, self.secret])
        return hashlib.sha256(raw.encode()).hexdigest()[:24]


class Client:
    """One platform app. Keeps one HTTP session (connections reused across a batch of messages)."""

    def __init__(self, credentials: Credentials, session: requests.Session | None = None):
        self.credentials = credentials
        self.provider = credentials.provider
        self.session = session or requests.Session()
        self._token = ""  # this client's copy of the cached token: one cache read per client, not per call

    def close(self) -> None:
        self.session.close()

    # --- plumbing ------------------------------------------------------------------------------------------

    def _request(self, method: str, url: str, **kwargs) -> dict:
        try:
            response = self.session.request(method, url, timeout=timeout(), **kwargs)
        except requests.Timeout as error:
            raise Unavailable(f"{self.provider}: no answer within {timeout():g} s", slow=True) from error
        except requests.RequestException as error:
            raise Unavailable(f"{self.provider}: {error}") from error
        if response.status_code >= 500:
            raise Unavailable(f"{self.provider}: HTTP {response.status_code}")
        if response.status_code == 429:
            raise RateLimited(f"{self.provider}: HTTP 429", retry_after=_retry_after(response))
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code != 200 and not isinstance(answer, dict):
            raise PlatformError(f"{self.provider}: HTTP {response.status_code}")
        if not isinstance(answer, dict):
            raise PlatformError(f"{self.provider}: the answer is not JSON")
        code = answer.get("code") if self.provider == FEISHU else answer.get("errcode", 0)
        if code not in (0, None):
            message = f"{self.provider}: {code} {answer.get('errmsg') or answer.get('msg') or ''}".strip()[:300]
            if code in TOKEN_CODES[self.provider]:
                raise _TokenRejected(message)
            if code in RATE_CODES[self.provider]:
                raise RateLimited(message, retry_after=_retry_after(response))
            raise PlatformError(message)
        if response.status_code != 200:
            raise PlatformError(f"{self.provider}: HTTP {response.status_code}")
        return answer

    def _token_key(self) -> str:
        return f"sso:token:{self.provider}:{self.credentials.fingerprint()}"

    def access_token(self, *, fresh: bool = False) -> str:
        key = self._token_key()
        if not fresh:
            token = self._token or cache.get(key)
            if token:
                self._token = token
                return token
        token, expires_in = self._fetch_token()
        cache.set(key, token, timeout=max(int(expires_in) - TOKEN_MARGIN, 60))
        self._token = token
        return token

    def _fetch_token(self) -> tuple[str, int]:
        c = self.credentials
        if self.provider == WECOM:
            answer = self._request(
                "GET", f"{host(WECOM, 'api')}/cgi-bin/gettoken", params={"corpid": c.corp_id, "corpsecret": c.secret}
            )
            return answer["access_token"], answer.get("expires_in", 7200)
        if self.provider == DINGTALK:
            answer = self._request(
                "GET", f"{host(DINGTALK, 'oapi')}/gettoken", params={"appkey": c.app_key, "appsecret": c.secret}
            )
            return answer["access_token"], answer.get("expires_in", 7200)
        answer = self._request(
            "POST",
            f"{host(FEISHU, 'open')}/open-apis/auth/v3/tenant_access_token/internal",
            json={"app_id": c.app_key, "app_secret": c.secret},
        )
        return answer["tenant_access_token"], answer.get("expire", 7200)

    def _with_token(self, call):
        """call(token) -> answer; once more with a fresh token if the platform says the cached one is no good."""
        try:
            return call(self.access_token())
        except _TokenRejected:
            self._token = ""
            cache.delete(self._token_key())
            return call(self.access_token(fresh=True))

    # --- what dutydesk asks ---------------------------------------------------------------------------------

    def wecom_user_of_code(self, code: str) -> dict:
        """WeCom sign-in: the member behind a login code (auth/getuserinfo), then their record (user/get)."""
        answer = self._with_token(
            lambda token: self._request(
                "GET", f"{host(WECOM, 'api')}/cgi-bin/auth/getuserinfo", params={"access_token": token, "code": code}
            )
        )
        userid = answer.get("userid") or answer.get("UserId")
        if not userid:
            raise PlatformError("wecom: the person who scanned is not a member of the company")
        return self.user_detail(userid)

    def dingtalk_userid_of_unionid(self, unionid: str) -> str:
        answer = self._with_token(
            lambda token: self._request(
                "POST",
                f"{host(DINGTALK, 'oapi')}/topapi/user/getbyunionid",
                params={"access_token": token},
                json={"unionid": unionid},
            )
        )
        userid = (answer.get("result") or {}).get("userid")
        if not userid:
            raise PlatformError("dingtalk: the person who signed in is not a member of the company")
        return userid

    def user_detail(self, userid: str) -> dict:
        if self.provider == WECOM:
            return self._with_token(
                lambda token: self._request(
                    "GET", f"{host(WECOM, 'api')}/cgi-bin/user/get", params={"access_token": token, "userid": userid}
                )
            )
        if self.provider == DINGTALK:
            answer = self._with_token(
                lambda token: self._request(
                    "POST",
                    f"{host(DINGTALK, 'oapi')}/topapi/v2/user/get",
                    params={"access_token": token},
                    json={"userid": userid, "language": "zh_CN"},
                )
            )
            return answer.get("result") or {}
        raise PlatformError(f"{self.provider}: no directory look-up")

    def send(self, userid: str, *, title: str, text: str, url: str, key: str) -> None:
        """One personal message with a button that opens `url`. `key` names the message (the outbox row): Feishu
        sends one message per key within an hour, WeCom folds the same message within 30 minutes."""
        c = self.credentials
        if self.provider == WECOM:
            body: dict[str, Any] = {
                "touser": userid,
                "msgtype": "textcard",
                "agentid": int(c.agent_id) if c.agent_id.isdigit() else c.agent_id,
                "textcard": {
                    "title": title[:128],
                    "description": text[:512] or title[:128],
                    "url": url,
                    "btntxt": "详情",
                },
                "enable_duplicate_check": 1,
                "duplicate_check_interval": 1800,
            }
            answer = self._with_token(
                lambda token: self._request(
                    "POST", f"{host(WECOM, 'api')}/cgi-bin/message/send", params={"access_token": token}, json=body
                )
            )
            if answer.get("invaliduser"):
                raise PlatformError(f"wecom: user {answer['invaliduser']} cannot be reached")
            return
        if self.provider == DINGTALK:
            body = {
                "agent_id": c.agent_id,
                "userid_list": userid,
                "msg": {
                    "msgtype": "action_card",
                    "action_card": {
                        "title": title[:64],
                        "markdown": f"#### {title}\n\n{text}",
                        "single_title": "查看详情",
                        "single_url": url,
                    },
                },
            }
            self._with_token(
                lambda token: self._request(
                    "POST",
                    f"{host(DINGTALK, 'oapi')}/topapi/message/corpconversation/asyncsend_v2",
                    params={"access_token": token},
                    json=body,
                )
            )
            return
        card = {
            "header": {"title": {"tag": "plain_text", "content": title[:100]}},
            "elements": [
                {"tag": "div", "text": {"tag": "plain_text", "content": text or title}},
                {
                    "tag": "action",
                    "actions": [
                        {
                            "tag": "button",
                            "text": {"tag": "plain_text", "content": "查看详情"},
                            "url": url,
                            "type": "primary",
                        }
                    ],
                },
            ],
        }
        body = {
            "receive_id": userid,
            "msg_type": "interactive",
            "content": json.dumps(card, ensure_ascii=False),
            "uuid": key[:50],
        }
        self._with_token(
            lambda token: self._request(
                "POST",
                f"{host(FEISHU, 'open')}/open-apis/im/v1/messages",
                params={"receive_id_type": "user_id"},
                headers={"Authorization": f"Bearer {token}"},
                json=body,
            )
        )

    def check(self) -> None:
        """The connection test: a fresh token (the app's id and secret are right) and, for WeCom, the app itself
        (the agent id is right). Raises PlatformError saying what is wrong."""
        token = self.access_token(fresh=True)
        if self.provider == WECOM and self.credentials.agent_id:
            self._request(
                "GET",
                f"{host(WECOM, 'api')}/cgi-bin/agent/get",
                params={"access_token": token, "agentid": self.credentials.agent_id},
            )


def _retry_after(response) -> float:
    try:
        return max(float(response.headers.get("Retry-After", "")), 1.0)
    except ValueError:
        return 60 - time.time() % 60 + 0.5  # the platforms count per minute: the next minute


def take_send_slots(provider: str, per_minute: int, wanted: int, *, now: float | None = None) -> tuple[int, float]:
    """Reserve up to `wanted` messages against the app's limit for the current minute, shared by every worker
    (one Redis counter a minute). Returns (granted, wait): how many may go now, and when none may, the seconds
    until the next minute. A reserved slot left unused counts as used (the limit is never exceeded)."""
    now = time.time() if now is None else now
    minute = int(now // 60)
    key = f"sso:rate:{provider}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key, wanted)
    except ValueError:  # expired between add and incr
        cache.add(key, wanted, timeout=120)
        used = wanted
    granted = max(0, min(wanted, per_minute - (used - wanted)))
    return granted, (0.0 if granted else (minute + 1) * 60 - now + 0.05)
