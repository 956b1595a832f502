"""A local OpenAI-compatible server that streams scripted answers: the offline demo and the test double.

`GET …/models` and `POST …/chat/completions` (streamed or not) on 127.0.0.1, under any path prefix, so a
preset's base_url (`/v1`, `/compatible-mode/v1`, `/api/v3`, `/v2`) can point at it unchanged. It runs in
a background thread (`DemoServer().start()`, port 0 for tests and `--demo`) or on its own
(`reasonchat demo-server`). Every request is recorded so tests can check exactly what a client sent.
Scenarios live in `demo_scenarios`. Under a `/hostile/` prefix the server plays a malicious provider: it
lists model ids made of escape sequences, markup and bidi tricks, and refuses every chat with an error
that repeats the id (as real providers' "model does not exist" errors do).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from reasonchat.demo import inputs, tool_turns
from reasonchat.demo import scenarios as sc


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any = None
    # When the request came and when its reply was complete (monotonic): tests show that streams overlapped
    # from these, not from how long a run took.
    came: float = field(default_factory=time.monotonic)
    answered: float | None = None


@dataclass
class DemoServer:
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[Recorded] = field(default_factory=list)
    attempts: dict[str, int] = field(default_factory=dict)  # chat requests so far, by model name
    _httpd: ThreadingHTTPServer | None = None
    _stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "start() the server first"
        return f"http://{self.host}:{self._httpd.server_address[1]}/v1"

    def start(self) -> DemoServer:
        """Serve in a daemon thread; returns at once, ready for requests."""
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.demo = self
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="demo-server", daemon=True).start()
        return self

    def serve_forever_announcing(self) -> None:
        """Serve in the foreground (`reasonchat demo-server`) until interrupted."""
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.demo = self
        print(f"demo server on {self.base_url} — models: {', '.join(sc.model_ids()[:4])} …", flush=True)
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._httpd.server_close()

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def chat_bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.requests if r.path.endswith("/chat/completions") and isinstance(r.body, dict)]


_rendered: dict[str, bytes] = {}  # unpaced benchmark streams, by model name: the last few only
_RENDERED_KEPT = 4


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    demo: DemoServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client that hung up (a stop, a closed error response) is not the server's failure
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests and the TUI own the terminal
        pass

    def _record(self, body: Any = None) -> Recorded:
        headers = {k.lower(): v for k, v in self.headers.items()}
        recorded = Recorded(self.command, self.path, headers, body)
        self.server.demo.requests.append(recorded)
        return recorded

    def do_GET(self) -> None:
        self._record()
        if self.path.rstrip("/").endswith("/models"):
            ids = sc.HOSTILE_MODEL_IDS if "/hostile/" in self.path else sc.model_ids()
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "reasonchat-demo",
                     "max_model_len": inputs.SMALL_WINDOW if m == "context-small" else inputs.WINDOW} for m in ids]
            self._reply(200, json.dumps({"object": "list", "data": data}))
        else:
            self._reply(404, json.dumps({"error": {"message": f"no route {self.path}", "type": "not_found"}}))

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._record(raw.decode("utf-8", "replace"))
            self._reply(400, json.dumps({"error": {"message": "body is not JSON", "type": "invalid_request"}}))
            return
        recorded = self._record(body)
        try:
            self._answer(body)
        finally:
            recorded.answered = time.monotonic()

    def _answer(self, body: Any) -> None:
        if not self.path.rstrip("/").endswith("/chat/completions") or not isinstance(body, dict):
            self._reply(404, json.dumps({"error": {"message": f"no route {self.path}", "type": "not_found"}}))
            return
        if "/hostile/" in self.path:
            refusal = sc.refusal(404, str(body.get("model") or ""))
            self._reply(refusal.status, refusal.body)
            return
        model = str(body.get("model") or "")
        demo = self.server.demo
        with demo.lock:
            demo.attempts[model] = attempt = demo.attempts.get(model, 0) + 1
        name, paced = sc.split_rate(model)
        think = not sc.thinking_off(body)
        turn = inputs.respond(name, body, think) or tool_turns.respond(name, body, think)  # (None: neither in play)
        if isinstance(turn, sc.Scenario) and paced is not None:
            turn = dataclasses.replace(turn, rate=paced)
        scenario = turn if turn is not None else sc.resolve(model, list(body.get("messages") or []), attempt,
                                                            think=not sc.thinking_off(body), limits=sc.Limits.of(body))
        rate = body.get("demo_rate")  # (a preset's extra_body may pace any model name: the README's pictures)
        if isinstance(scenario, sc.Scenario) and isinstance(rate, int | float) and not isinstance(rate, bool):
            scenario = dataclasses.replace(scenario, rate=float(rate))
        if isinstance(scenario, sc.Hang):
            demo._stopping.wait(scenario.seconds)
            self.close_connection = True
        elif isinstance(scenario, sc.Refusal):
            self._reply(scenario.status, scenario.body, scenario.content_type, scenario.headers)
        elif body.get("stream"):
            self._stream(scenario)
        else:
            self._reply(200, json.dumps(scenario.plan.completion(), ensure_ascii=False))

    def _reply(self, status: int, text: str, content_type: str = "application/json",
               headers: dict[str, str] | None = None) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, scenario: sc.Scenario) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if scenario.rate == 0 and scenario.plan.model.startswith("bench-"):
            self._stream_cached(scenario)
            return
        start = time.monotonic()
        sent_tokens = 0
        batch: list[bytes] = []
        try:
            for step in scenario.steps:
                if isinstance(step, sc.Send):
                    if scenario.rate > 0 and step.tokens:
                        due = start + sent_tokens / scenario.rate
                        if due > time.monotonic():
                            self._write(batch)
                            time.sleep(max(0.0, due - time.monotonic()))
                    batch.append(step.text.encode())
                    sent_tokens += step.tokens
                    if len(batch) >= 64:
                        self._write(batch)
                elif isinstance(step, sc.RawBytes):
                    batch.append(step.data)
                elif isinstance(step, sc.Pause):
                    self._write(batch)
                    time.sleep(step.seconds)
                elif isinstance(step, sc.Stall):
                    self._write(batch)
                    self.server.demo._stopping.wait(step.seconds)
                    self._drop()
                    return
                else:  # Drop
                    self._write(batch)
                    self._drop()
                    return
            self._write(batch)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client went away (Escape, kill)
            self.close_connection = True

    def _stream_cached(self, scenario: sc.Scenario) -> None:
        """Unpaced benchmark streams are rendered once and replayed, so the server is never the bottleneck."""
        key = scenario.plan.model
        body = _rendered.get(key)
        if body is None:
            body = b"".join(s.text.encode() for s in scenario.steps if isinstance(s, sc.Send))
            while len(_rendered) >= _RENDERED_KEPT:  # a benchmark of 80k tokens is megabytes: keep a few
                _rendered.pop(next(iter(_rendered)))
            _rendered[key] = body
        for start in range(0, len(body), 1 << 16):
            self._write([body[start : start + (1 << 16)]])
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _write(self, batch: list[bytes]) -> None:
        if not batch:
            return
        data = b"".join(batch)
        batch.clear()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        self.close_connection = True
        self.wfile.flush()
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)


_shared: DemoServer | None = None
_shared_lock = threading.Lock()


def shared_demo_server() -> DemoServer:
    """The process's in-process demo server (for `--demo`), started on first use on a free port."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = DemoServer().start()
        return _shared
