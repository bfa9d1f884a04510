"""A local stand-in for the GOV.UK Notify API, for the real client to talk to.

It records every request (method, path, bearer token, payload), keeps what
it accepted so that look-ups by reference answer truthfully, and can be told
to answer the next requests with errors or to be too slow (a timeout).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"portal_test-{SERVICE_ID}-{SECRET}"


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    authorization: str
    payload: dict | None


@dataclass
class FakeNotify:
    requests: list[Recorded] = field(default_factory=list)
    accepted: dict[str, dict] = field(default_factory=dict)  # reference -> notification
    #: What to do with the next sends: ("status", code) or ("timeout", seconds, accept?).
    script: list[tuple] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def sends(self) -> list[Recorded]:
        return [r for r in self.requests if r.method == "POST"]


def _handler(state: FakeNotify):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _reply(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            with state.lock:
                state.requests.append(
                    Recorded("GET", parts.path, query, self.headers.get("Authorization", ""), None)
                )
                reference = query.get("reference", [None])[0]
                found = [state.accepted[reference]] if reference in state.accepted else []
            self._reply(200, {"notifications": found, "links": {}})

        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            payload = json.loads(self.rfile.read(length) or b"{}")
            parts = urlsplit(self.path)
            with state.lock:
                state.requests.append(
                    Recorded("POST", parts.path, {}, self.headers.get("Authorization", ""), payload)
                )
                action = state.script.pop(0) if state.script else ("status", 201)
            notification = {"id": str(uuid.uuid4()), "reference": payload.get("reference")}
            if action[0] == "timeout":
                _, seconds, accept = action
                if accept:
                    with state.lock:
                        state.accepted[payload["reference"]] = notification
                time.sleep(seconds)
                self._reply(201, notification)
                return
            status = action[1]
            if status == 201:
                with state.lock:
                    state.accepted[payload["reference"]] = notification
                self._reply(201, notification)
            else:
                self._reply(
                    status,
                    {"status_code": status, "errors": [{"error": "Error", "message": "scripted"}]},
                )

    return Handler


class FakeNotifyServer:
    def __init__(self) -> None:
        self.state = FakeNotify()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeNotifyServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
