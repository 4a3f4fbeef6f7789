"""Local stand-ins for the outside world, on 127.0.0.1 only: a chat-robot HTTP sink and an SMTP sink."""

import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from dutydesk.testing import free_port


class RobotSink:
    """Answers like WeCom/DingTalk ({"errcode": 0}) or Feishu ({"code": 0}) by path; records what it accepted.

    fail_next: answer the next N requests with HTTP 500 (not accepted).
    hold: block the next request until release(); with accept_held it is accepted (recorded) before blocking,
    otherwise it is refused when released (as if the platform never got it). hold_after: let that many requests
    through first.
    """

    def __init__(self):
        self.accepted: list[dict] = []
        self.lock = threading.Lock()
        self.fail_next = 0
        self.hold = False
        self.accept_held = False
        self.hold_after = 0
        self.requests = 0
        self.holding = threading.Event()
        self._release = threading.Event()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = urlsplit(self.path)
                record = {
                    "platform": parts.path.strip("/"),
                    "query": parse_qs(parts.query),
                    "outbox": self.headers.get("X-Dutydesk-Outbox"),
                    "json": json.loads(body or b"{}"),
                }
                with sink.lock:
                    held = sink.hold and sink.requests >= sink.hold_after
                    sink.requests += 1
                    if held:
                        sink.hold = False
                    failing = sink.fail_next > 0
                    if failing:
                        sink.fail_next -= 1
                    elif not held or sink.accept_held:
                        sink.accepted.append(record)
                if held:
                    sink.holding.set()
                    sink._release.wait(30)
                    if not sink.accept_held:
                        failing = True
                try:
                    if failing:
                        self.send_response(500)
                        self.end_headers()
                        return
                    answer = (
                        {"code": 0, "msg": "success"}
                        if record["platform"] == "feishu"
                        else {"errcode": 0, "errmsg": "ok"}
                    )
                    payload = json.dumps(answer).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the sender was killed while we held it

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, platform: str) -> str:
        query = {"wecom": "?key=test-key", "dingtalk": "?access_token=test-token", "feishu": ""}[platform]
        return f"http://127.0.0.1:{self.server.server_address[1]}/{platform}{query}"

    def release(self):
        self._release.set()

    def counts(self) -> Counter:
        with self.lock:
            return Counter(r["outbox"] for r in self.accepted)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self._release.set()
        self.server.shutdown()
        self.server.server_close()


class SmtpSink:
    """aiosmtpd on 127.0.0.1: counts messages by their X-Dutydesk-Outbox header."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        sink = self
        self.received: Counter = Counter()
        self.lock = threading.Lock()

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                header = b"X-Dutydesk-Outbox: "
                content = envelope.original_content or envelope.content
                start = content.find(header)
                key = content[start + len(header) : content.find(b"\r\n", start)].decode() if start >= 0 else "?"
                with sink.lock:
                    sink.received[key] += 1
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
