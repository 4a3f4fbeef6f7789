"""Local servers on 127.0.0.1 that answer as WeCom, DingTalk, Feishu and an OpenID Connect provider do (the calls and
answers documented in dutydesk/sso/platforms.py and oauth.py), so sign-in and personal messages run over real HTTP.

Each server has a directory of people (`add_person`), an authorise page that lists them as a QR scan would
("scanning" is a click on one of them), one-time codes, app tokens that can be expired, an inbox of the personal
messages it took, and faults to switch on: `fail_next` (answer HTTP 500), `hold` (answer nothing until released or
`hold_seconds` pass: a slow provider), a per-minute send limit answered with the platform's own "too often" code.

The inbox applies the platform's own idempotency as the real one does (WeCom's duplicate check, Feishu's uuid) and
also keeps every send request as it arrived (`arrivals`), so a benchmark can count both.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class Person:
    userid: str
    name: str
    mobile: str = ""
    email: str = ""
    employee_number: str = ""
    unionid: str = ""
    open_id: str = ""


@dataclass
class Message:
    userid: str
    title: str
    text: str
    url: str
    key: str = ""


@dataclass
class Faults:
    fail_next: int = 0  # answer this many API calls with HTTP 500
    hold: bool = False  # hold API calls (not the authorise page) until release() or hold_seconds
    hold_seconds: float = 30.0
    per_minute: int = 0  # sends a minute before the platform answers "too often" (0: no limit)
    paths: tuple[str, ...] = ()  # faults only on these paths ("" prefix: every API path)


class FakeProvider:
    """The common part: an HTTP/1.1 server (keep-alive, as the platforms are used) with a directory."""

    platform = ""
    authorise_paths: tuple[str, ...] = ()
    secret = "test-secret"

    def __init__(self):
        self.people: dict[str, Person] = {}
        self.codes: dict[str, str] = {}  # code → userid, removed when used
        self.used_codes: set[str] = set()
        self.tokens: dict[str, float] = {}  # app token → expiry (time.time())
        self.token_fetches = 0
        self.signed_in_user = ""  # inside the chat app: who is signed in there (免登)
        self.faults = Faults()
        self.inbox: list[Message] = []
        self.arrivals: list[Message] = []
        self.rate_limited = 0
        self.lock = threading.Lock()
        self._released = threading.Event()
        self._minute_counts: Counter = Counter()
        self._dedupe: set = set()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body leave in separate writes: without TCP_NODELAY, Nagle and the client's delayed ACK
            # hold every keep-alive answer ~40 ms.
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_GET(self):
                provider._handle(self, "GET")

            def do_POST(self):
                provider._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # --- set-up by tests ---------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def add_person(self, userid: str, name: str, **fields) -> Person:
        person = Person(userid=userid, name=name, unionid=f"union-{userid}", open_id=f"open-{userid}", **fields)
        self.people[userid] = person
        return person

    def expire_tokens(self) -> None:
        """Every app token issued so far is expired from now on (the platform answers "token expired")."""
        with self.lock:
            for token in self.tokens:
                self.tokens[token] = 0

    def release(self) -> None:
        self._released.set()

    def messages_to(self, userid: str) -> list[Message]:
        with self.lock:
            return [m for m in self.inbox if m.userid == userid]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._released.set()
        self.server.shutdown()
        self.server.server_close()

    # --- plumbing ----------------------------------------------------------------------------------------------

    def _handle(self, handler, method):
        parts = urlsplit(handler.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body: dict = {}
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        try:
            if parts.path in self.authorise_paths:
                status, headers, payload = self.authorise(parts.path, query)
            else:
                fault = self._fault(parts.path)
                if fault is not None:
                    status, headers, payload = fault
                else:
                    status, headers, payload = self.api(method, parts.path, query, body, handler.headers)
        except Exception as error:  # a bug in the fake must show, not hang the client
            status, headers, payload = 599, {}, json.dumps({"fake_error": repr(error)}).encode()
        try:
            handler.send_response(status)
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            pass  # the client gave up (timed out) while we held it

    def _fault(self, path):
        faults = self.faults
        if faults.paths and not any(path.startswith(p) for p in faults.paths):
            return None
        with self.lock:
            failing = faults.fail_next > 0
            if failing:
                faults.fail_next -= 1
        if failing:
            return 500, {"Content-Type": "text/plain"}, b"internal error"
        if faults.hold:
            self._released.wait(faults.hold_seconds)
        return None

    @staticmethod
    def json(answer: dict, status: int = 200):
        return status, {"Content-Type": "application/json"}, json.dumps(answer, ensure_ascii=False).encode()

    @staticmethod
    def redirect(url: str):
        return 302, {"Location": url}, b""

    def new_code(self, userid: str) -> str:
        code = secrets.token_urlsafe(12)
        with self.lock:
            self.codes[code] = userid
        return code

    def take_code(self, code: str) -> str | None:
        """A code works once (the platforms' codes are one-time)."""
        with self.lock:
            userid = self.codes.pop(code, None)
            if userid is None:
                return None
            self.used_codes.add(code)
            return userid

    def new_token(self) -> str:
        token = secrets.token_hex(16)
        with self.lock:
            self.tokens[token] = time.time() + 7200
            self.token_fetches += 1
        return token

    def token_state(self, token: str) -> str:
        with self.lock:
            expiry = self.tokens.get(token)
        if expiry is None:
            return "invalid"
        return "ok" if expiry > time.time() else "expired"

    def take_send(self, message: Message, dedupe_key) -> bool:
        """Record a send; False when over the per-minute limit (nothing taken)."""
        with self.lock:
            minute = int(time.time() // 60)
            if self.faults.per_minute and self._minute_counts[minute] >= self.faults.per_minute:
                self.rate_limited += 1
                return False
            self._minute_counts[minute] += 1
            self.arrivals.append(message)
            if dedupe_key is not None and dedupe_key in self._dedupe:
                return True
            if dedupe_key is not None:
                self._dedupe.add(dedupe_key)
            self.inbox.append(message)
            return True

    def authorise_page(self, redirect_uri: str, state: str, code_param: str = "code"):
        """The QR page: each person in the directory is a link a scan would follow."""
        rows = []
        for person in self.people.values():
            target = f"{redirect_uri}{'&' if '?' in redirect_uri else '?'}" + urlencode(
                {code_param: self.new_code(person.userid), "state": state}
            )
            rows.append(
                f'<li><a href="{html.escape(target)}" data-testid="scan-{html.escape(person.userid)}">'
                f"{html.escape(person.name)}</a></li>"
            )
        page = (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{self.platform}</title></head><body>"
            f"<h1 data-testid='authorise-{self.platform}'>{self.platform}: scan to sign in</h1>"
            f"<ul>{''.join(rows)}</ul></body></html>"
        )
        return 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode()

    def authorise(self, path, query):
        raise NotImplementedError

    def api(self, method, path, query, body, headers):
        raise NotImplementedError


class FakeWeCom(FakeProvider):
    platform = "wecom"
    authorise_paths = ("/wwlogin/sso/login", "/connect/oauth2/authorize")
    corp_id, agent_id = "ww-test-corp", "1000002"
    TOKEN_ERRORS = {"invalid": (40014, "invalid access_token"), "expired": (42001, "access_token expired")}

    def authorise(self, path, query):
        if query.get("appid") != self.corp_id or query.get("agentid") != self.agent_id:
            return 400, {"Content-Type": "text/plain"}, b"wrong appid or agentid"
        if path == "/connect/oauth2/authorize" and self.signed_in_user:
            # Inside WeCom: the app's page is opened for the member signed in there, no question asked.
            target = query["redirect_uri"]
            code = self.new_code(self.signed_in_user)
            return self.redirect(
                f"{target}{'&' if '?' in target else '?'}" + urlencode({"code": code, "state": query.get("state", "")})
            )
        return self.authorise_page(query["redirect_uri"], query.get("state", ""))

    def _token_error(self, token):
        state = self.token_state(token)
        if state != "ok":
            code, message = self.TOKEN_ERRORS[state]
            return self.json({"errcode": code, "errmsg": message})
        return None

    def api(self, method, path, query, body, headers):
        if path == "/cgi-bin/gettoken":
            if query.get("corpid") != self.corp_id or query.get("corpsecret") != self.secret:
                return self.json({"errcode": 40001, "errmsg": "invalid credential"})
            return self.json({"errcode": 0, "errmsg": "ok", "access_token": self.new_token(), "expires_in": 7200})
        refused = self._token_error(query.get("access_token", ""))
        if refused:
            return refused
        if path == "/cgi-bin/auth/getuserinfo":
            userid = self.take_code(query.get("code", ""))
            if userid is None:
                return self.json({"errcode": 40029, "errmsg": "invalid code"})
            return self.json({"errcode": 0, "errmsg": "ok", "userid": userid, "user_ticket": "ticket"})
        if path == "/cgi-bin/user/get":
            person = self.people.get(query.get("userid", ""))
            if person is None:
                return self.json({"errcode": 60111, "errmsg": "userid not found"})
            attrs = (
                [{"type": 0, "name": "工号", "text": {"value": person.employee_number}}]
                if person.employee_number
                else []
            )
            return self.json(
                {
                    "errcode": 0,
                    "errmsg": "ok",
                    "userid": person.userid,
                    "name": person.name,
                    "mobile": person.mobile,
                    "email": person.email,
                    "extattr": {"attrs": attrs},
                }
            )
        if path == "/cgi-bin/agent/get":
            if query.get("agentid") != self.agent_id:
                return self.json({"errcode": 301002, "errmsg": "invalid agentid"})
            return self.json({"errcode": 0, "errmsg": "ok", "agentid": int(self.agent_id), "name": "值班台"})
        if path == "/cgi-bin/message/send" and method == "POST":
            if str(body.get("agentid")) != self.agent_id or body.get("msgtype") != "textcard":
                return self.json({"errcode": 40056, "errmsg": "invalid agentid or msgtype"})
            userid = body.get("touser", "")
            if userid not in self.people:
                return self.json({"errcode": 0, "errmsg": "ok", "invaliduser": userid})
            card = body["textcard"]
            message = Message(userid, card["title"], card["description"], card["url"])
            dedupe = (
                (userid, card["title"], card["description"], card["url"])
                if body.get("enable_duplicate_check")
                else None
            )
            if not self.take_send(message, dedupe):
                return self.json({"errcode": 45009, "errmsg": "reach max api daily quota limit"})
            return self.json({"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": secrets.token_hex(8)})
        return self.json({"errcode": 404, "errmsg": f"no such api {path}"}, status=404)


class FakeDingTalk(FakeProvider):
    platform = "dingtalk"
    authorise_paths = ("/oauth2/auth",)
    corp_id, agent_id, app_key = "ding-test-corp", "2000003", "ding-app-key"

    def authorise(self, path, query):
        if query.get("client_id") != self.app_key:
            return 400, {"Content-Type": "text/plain"}, b"wrong client_id"
        if self.signed_in_user:
            target = query["redirect_uri"]
            code = self.new_code(self.signed_in_user)
            return self.redirect(
                f"{target}{'&' if '?' in target else '?'}"
                + urlencode({"authCode": code, "state": query.get("state", "")})
            )
        # DingTalk answers with authCode, not code (allauth's adapter maps it).
        return self.authorise_page(query["redirect_uri"], query.get("state", ""), code_param="authCode")

    def api(self, method, path, query, body, headers):
        if path == "/v1.0/oauth2/userAccessToken":
            if body.get("clientId") != self.app_key or body.get("clientSecret") != self.secret:
                return self.json({"code": "invalidClient", "message": "bad client"}, status=400)
            userid = self.take_code(body.get("code", ""))
            if userid is None:
                return self.json({"code": "invalidAuthCode", "message": "authCode is used or expired"}, status=400)
            user_token = "user-" + self.new_token()
            with self.lock:
                self.tokens[user_token] = time.time() + 7200
                self._user_tokens = {**getattr(self, "_user_tokens", {}), user_token: userid}
            return self.json({"accessToken": user_token, "refreshToken": "r", "expireIn": 7200, "corpId": self.corp_id})
        if path == "/v1.0/contact/users/me":
            userid = getattr(self, "_user_tokens", {}).get(headers.get("x-acs-dingtalk-access-token", ""))
            if userid is None:
                return self.json({"code": "InvalidAuthentication", "message": "bad token"}, status=401)
            person = self.people[userid]
            return self.json(
                {"nick": person.name, "unionId": person.unionid, "openId": person.open_id, "mobile": person.mobile}
            )
        if path == "/gettoken":
            if query.get("appkey") != self.app_key or query.get("appsecret") != self.secret:
                return self.json({"errcode": 40089, "errmsg": "invalid appkey or appsecret"})
            return self.json({"errcode": 0, "errmsg": "ok", "access_token": self.new_token(), "expires_in": 7200})
        state = self.token_state(query.get("access_token", ""))
        if state != "ok":
            return self.json({"errcode": 40014 if state == "invalid" else 42001, "errmsg": f"token {state}"})
        if path == "/topapi/user/getbyunionid":
            person = next((p for p in self.people.values() if p.unionid == body.get("unionid")), None)
            if person is None:
                return self.json({"errcode": 60121, "errmsg": "user not found"})
            return self.json({"errcode": 0, "errmsg": "ok", "result": {"contact_type": 0, "userid": person.userid}})
        if path == "/topapi/v2/user/get":
            person = self.people.get(body.get("userid", ""))
            if person is None:
                return self.json({"errcode": 60121, "errmsg": "user not found"})
            return self.json(
                {
                    "errcode": 0,
                    "errmsg": "ok",
                    "result": {
                        "userid": person.userid,
                        "unionid": person.unionid,
                        "name": person.name,
                        "mobile": person.mobile,
                        "email": person.email,
                        "job_number": person.employee_number,
                    },
                }
            )
        if path == "/topapi/message/corpconversation/asyncsend_v2":
            if str(body.get("agent_id")) != self.agent_id:
                return self.json({"errcode": 400002, "errmsg": "invalid agent_id"})
            card = body["msg"]["action_card"]
            message = Message(body.get("userid_list", ""), card["title"], card["markdown"], card["single_url"])
            if not self.take_send(message, None):  # DingTalk keeps no idempotency key
                return self.json({"errcode": 90018, "errmsg": "too many calls"})
            return self.json({"errcode": 0, "errmsg": "ok", "task_id": len(self.arrivals)})
        return self.json({"errcode": 404, "errmsg": f"no such api {path}"}, status=404)


class FakeFeishu(FakeProvider):
    platform = "feishu"
    authorise_paths = ("/open-apis/authen/v1/index",)
    app_key = "cli_test_app"

    def authorise(self, path, query):
        if query.get("app_id") != self.app_key:
            return 400, {"Content-Type": "text/plain"}, b"wrong app_id"
        if self.signed_in_user:
            target = query["redirect_uri"]
            code = self.new_code(self.signed_in_user)
            return self.redirect(
                f"{target}{'&' if '?' in target else '?'}" + urlencode({"code": code, "state": query.get("state", "")})
            )
        return self.authorise_page(query["redirect_uri"], query.get("state", ""))

    def api(self, method, path, query, body, headers):
        if path in ("/open-apis/auth/v3/app_access_token/internal/", "/open-apis/auth/v3/tenant_access_token/internal"):
            if body.get("app_id") != self.app_key or body.get("app_secret") != self.secret:
                return self.json({"code": 10014, "msg": "app secret invalid"})
            token = self.new_token()
            key = "app_access_token" if "app_access" in path else "tenant_access_token"
            return self.json({"code": 0, "msg": "ok", key: token, "expire": 7200})
        if path == "/open-apis/authen/v1/access_token":
            if self.token_state(body.get("app_access_token", "")) != "ok":
                return self.json({"code": 99991663, "msg": "invalid app token"})
            userid = self.take_code(body.get("code", ""))
            if userid is None:
                return self.json({"code": 20007, "msg": "the code is used or expired"})
            user_token = "u-" + secrets.token_hex(12)
            with self.lock:
                self._user_tokens = {**getattr(self, "_user_tokens", {}), user_token: userid}
            return self.json({"code": 0, "msg": "ok", "data": {"access_token": user_token, "expires_in": 7200}})
        bearer = headers.get("Authorization", "").removeprefix("Bearer ")
        if path == "/open-apis/authen/v1/user_info":
            userid = getattr(self, "_user_tokens", {}).get(bearer)
            if userid is None:
                return self.json({"code": 99991668, "msg": "invalid user token"})
            p = self.people[userid]
            return self.json(
                {
                    "code": 0,
                    "msg": "ok",
                    "data": {
                        "name": p.name,
                        "open_id": p.open_id,
                        "union_id": p.unionid,
                        "user_id": p.userid,
                        "mobile": p.mobile,
                        "email": p.email,
                        "employee_no": p.employee_number,
                    },
                }
            )
        if path == "/open-apis/im/v1/messages":
            state = self.token_state(bearer)
            if state != "ok":
                return self.json({"code": 99991663 if state == "expired" else 99991661, "msg": f"token {state}"})
            card = json.loads(body["content"])
            title = card["header"]["title"]["content"]
            url = card["elements"][1]["actions"][0]["url"]
            message = Message(
                body["receive_id"], title, card["elements"][0]["text"]["content"], url, body.get("uuid", "")
            )
            if not self.take_send(message, body.get("uuid") or None):
                return self.json({"code": 99991400, "msg": "request trigger frequency limit"}, status=429)
            return self.json({"code": 0, "msg": "success", "data": {"message_id": secrets.token_hex(8)}})
        return self.json({"code": 404, "msg": f"no such api {path}"}, status=404)


@dataclass
class OidcClient:
    client_id: str = "dutydesk"
    client_secret: str = "oidc-secret"
    redirect_uris: list = field(default_factory=list)


class FakeOidc(FakeProvider):
    """An OpenID Connect provider: discovery, authorise page, token (with an RS256 id_token), userinfo, JWKS.
    People's claims: sub (userid), name, email, phone_number, employee_number."""

    platform = "oidc"
    authorise_paths = ("/authorize",)

    def __init__(self):
        super().__init__()
        self.client = OidcClient()
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.access: dict[str, str] = {}
        self.nonces: dict[str, str] = {}

    def authorise(self, path, query):
        if query.get("client_id") != self.client.client_id:
            return 400, {"Content-Type": "text/plain"}, b"unknown client"
        status, headers, page = self.authorise_page(query["redirect_uri"], query.get("state", ""))
        for code in list(self.codes):
            self.nonces.setdefault(code, query.get("nonce", ""))
        return status, headers, page

    def api(self, method, path, query, body, headers):
        if path == "/.well-known/openid-configuration":
            return self.json(
                {
                    "issuer": self.url,
                    "authorization_endpoint": f"{self.url}/authorize",
                    "token_endpoint": f"{self.url}/token",
                    "userinfo_endpoint": f"{self.url}/userinfo",
                    "jwks_uri": f"{self.url}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
                }
            )
        if path == "/jwks":
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return self.json({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})
        if path == "/token" and method == "POST":
            if body.get("client_id") != self.client.client_id or body.get("client_secret") != self.client.client_secret:
                return self.json({"error": "invalid_client"}, status=401)
            code = body.get("code", "")
            nonce = self.nonces.pop(code, "")
            userid = self.take_code(code)
            if userid is None:
                return self.json({"error": "invalid_grant", "error_description": "code used or expired"}, status=400)
            access = secrets.token_hex(16)
            self.access[access] = userid
            now = int(time.time())
            claims = {"iss": self.url, "sub": userid, "aud": self.client.client_id, "iat": now, "exp": now + 300}
            if nonce:
                claims["nonce"] = nonce
            id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})
            return self.json({"access_token": access, "token_type": "Bearer", "expires_in": 3600, "id_token": id_token})
        if path == "/userinfo":
            userid = self.access.get(headers.get("Authorization", "").removeprefix("Bearer "))
            if userid is None:
                return self.json({"error": "invalid_token"}, status=401)
            p = self.people[userid]
            return self.json(
                {
                    "sub": p.userid,
                    "name": p.name,
                    "email": p.email,
                    "phone_number": p.mobile,
                    "employee_number": p.employee_number,
                }
            )
        return self.json({"error": "not_found"}, status=404)
