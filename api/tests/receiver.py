"""A webhook receiver on 127.0.0.1 for the tests and the benchmark: what a customer's server would run.

It shares no code with the sender: it checks each signature with its own few lines (the README's recipe), and
counts what it received by the X-Dutydesk-Delivery header and by the event id in the body.

fail_next: answer the next N requests with HTTP 500. hold: block the next request until release(); with
accept_held it is recorded (taken) before blocking, otherwise it is answered 500 when released (never taken).
"""

import hashlib
import hmac
import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """The README's check, written out again here on purpose."""
    timestamp = int(headers["X-Dutydesk-Timestamp"])
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Dutydesk-Signature"].removeprefix("sha256="))


class Receiver:
    def __init__(self, secret: str = ""):
        self.secret = secret
        self.received: list[dict] = []  # what it took (answered 2xx), in order
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.fail_next = 0
        self.hold = False
        self.accept_held = False
        self.holding = threading.Event()
        self._release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    signed = verify(receiver.secret, self.headers, body)
                    held = receiver.hold
                    receiver.hold = False
                    failing = not signed or receiver.fail_next > 0
                    if signed and receiver.fail_next > 0:
                        receiver.fail_next -= 1
                    if not signed:
                        receiver.bad_signatures += 1
                    record = {
                        "delivery": self.headers["X-Dutydesk-Delivery"],
                        "event": self.headers["X-Dutydesk-Event"],
                        "body": json.loads(body),
                        "path": self.path,
                    }
                    if not failing and (not held or receiver.accept_held):
                        receiver.received.append(record)
                if held:
                    receiver.holding.set()
                    receiver._release.wait(30)
                    failing = failing or not receiver.accept_held
                try:
                    self.send_response(401 if not signed else 500 if failing else 204)
                    self.end_headers()
                except OSError:
                    pass  # the sender was killed while we held it

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def release(self):
        self._release.set()

    def by_delivery(self) -> Counter:
        with self.lock:
            return Counter(r["delivery"] for r in self.received)

    def by_event(self) -> dict[str, set[str]]:
        """Event id → the delivery ids it came with."""
        with self.lock:
            seen: dict[str, set[str]] = {}
            for r in self.received:
                seen.setdefault(r["body"]["id"], set()).add(r["delivery"])
            return seen

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.server.shutdown()
        self.server.server_close()
