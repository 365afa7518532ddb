"""What every sandbox shares: fault injection, routing, JSON replies and a loopback server.

A `Fault` says what goes wrong with the next matching request(s): a status (429 with Retry-After,
500, 503 ..., as the API's JSON error or as a proxy's or a debug HTML page that may echo the
request back, `Authorization` header and all), a connection dropped or a timeout before the
request takes effect, the same after it took effect (the vendor made the order but the reply was
lost), or a malformed body.
Under `httpx.MockTransport` a drop raises `httpx.RemoteProtocolError` and a timeout
`httpx.ReadTimeout`, as a real socket would; `serve_loopback` turns them into a really closed
connection and a really silent server.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import httpx

FaultKind = Literal["status", "drop", "drop_after", "timeout", "timeout_after", "malformed"]
Handler = Callable[[httpx.Request], httpx.Response]


@dataclass
class Fault:
    """A failure for the next `times` requests whose method and path match."""

    kind: FaultKind = "status"
    status: int = 500
    retry_after: float | None = None  # seconds, sent as the Retry-After header
    body: Any = None  # JSON body of a status fault (a default error body when None)
    # An HTML page instead of the JSON body; "{request}" in it becomes the request line and
    # headers, as a debug or proxy error page shows them.
    page: str | None = None
    method: str = ""  # "" = any method
    path: str = ""  # a substring of the request path; "" = any path
    times: int = 1
    delay: float = 2.0  # how long a loopback server stays silent for a timeout

    def matches(self, request: httpx.Request) -> bool:
        if self.method and request.method != self.method.upper():
            return False
        return self.path in request.url.path


class FaultQueue:
    """Injected faults, consumed in order by the requests they match."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def inject(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, request: httpx.Request) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(request):
                    fault.times -= 1
                    if fault.times <= 0:
                        self._faults.remove(fault)
                    return fault
        return None


class SandboxTimeout(httpx.ReadTimeout):
    """A timeout the sandbox injected; a loopback server stays silent for `delay` seconds."""

    def __init__(self, message: str, *, request: httpx.Request, delay: float) -> None:
        super().__init__(message, request=request)
        self.delay = delay


def apply_fault(
    fault: Fault | None,
    request: httpx.Request,
    handle: Callable[[], httpx.Response],
    error_body: Callable[[int], Any],
) -> httpx.Response:
    """Run `handle` as `fault` allows: not at all, or with its reply replaced or lost."""
    if fault is None:
        return handle()
    if fault.kind == "drop":
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    if fault.kind == "timeout":
        raise SandboxTimeout("The read operation timed out", request=request, delay=fault.delay)
    if fault.kind == "status":
        headers = {}
        if fault.retry_after is not None:
            headers["Retry-After"] = f"{fault.retry_after:g}"
        if fault.page is not None:
            return html_response(fault.status, fault.page, request, headers=headers)
        body = fault.body if fault.body is not None else error_body(fault.status)
        return json_response(fault.status, body, headers=headers)
    handle()  # the request takes effect; only the reply goes wrong
    if fault.kind == "drop_after":
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    if fault.kind == "timeout_after":
        raise SandboxTimeout("The read operation timed out", request=request, delay=fault.delay)
    return httpx.Response(
        200, headers={"Content-Type": "application/json"}, content=b'{"id": "5a96f6'
    )


def json_response(
    status: int, body: Any, *, headers: dict[str, str] | None = None
) -> httpx.Response:
    """A JSON reply the way PHP APIs send it (UTF-8, not ASCII-escaped)."""
    content = json.dumps(body, ensure_ascii=False).encode("utf-8")
    all_headers = {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}
    return httpx.Response(status, headers=all_headers, content=content)


def html_response(
    status: int, page: str, request: httpx.Request, *, headers: dict[str, str] | None = None
) -> httpx.Response:
    """An HTML error page; "{request}" in `page` becomes the request as the server saw it."""
    seen = "\n".join(
        [f"{request.method} {request.url}", *(f"{k}: {v}" for k, v in request.headers.items())]
    )
    content = page.replace("{request}", html.escape(seen)).encode("utf-8")
    all_headers = {"Content-Type": "text/html; charset=UTF-8", **(headers or {})}
    return httpx.Response(status, headers=all_headers, content=content)


@dataclass(frozen=True)
class Route:
    """A matched route: its name and the path parameters."""

    name: str
    params: dict[str, str]


def split_path(patterns: list[tuple[str, str, str]], method: str, path: str) -> Route | None:
    """The first (method, regex, name) pattern matching `method` and `path`, with its groups."""
    for want, pattern, name in patterns:
        if want != method:
            continue
        found = re.fullmatch(pattern, path)
        if found is not None:
            return Route(name, found.groupdict())
    return None


def read_json(request: httpx.Request) -> tuple[Any, bool]:
    """(body, ok): the request's JSON body ({} when empty), or ok=False when it is not JSON."""
    raw = request.read()
    if not raw.strip():
        return {}, True
    try:
        return json.loads(raw), True
    except ValueError:
        return None, False


# --- a real socket on 127.0.0.1 -----------------------------------------------------------------


class _LoopbackHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _LoopbackServer

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: tests read the sandbox's own request log instead

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = f"http://{self.headers.get('Host', '127.0.0.1')}{self.path}"
        request = httpx.Request(self.command, url, headers=list(self.headers.items()), content=body)
        try:
            response = self.server.sandbox_handler(request)
        except SandboxTimeout as exc:
            time.sleep(exc.delay)  # say nothing; the client's read timeout fires first
            self._drop()
            return
        except httpx.TransportError:
            self._drop()
            return
        content = response.read()
        self.send_response(response.status_code)
        for name, value in response.headers.multi_items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve


class _LoopbackServer(ThreadingHTTPServer):
    daemon_threads = True
    sandbox_handler: Handler

    def handle_error(self, request: object, client_address: object) -> None:
        # A client that went away mid-request (a killed sender, a dropped test) is what the
        # sandbox exists to survive, not news: only other errors are printed.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextmanager
def serve_loopback(handler: Handler) -> Iterator[str]:
    """Serve `handler` over real HTTP on 127.0.0.1; yields the base URL ("http://127.0.0.1:PORT")."""
    server = _LoopbackServer(("127.0.0.1", 0), _LoopbackHandler)
    server.sandbox_handler = handler
    thread = threading.Thread(target=server.serve_forever, name="podtui-sandbox", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class SandboxServer:
    """What every sandbox API shares: the request log, fault injection, a lock, the transport.

    A subclass answers requests in `_handle`, may refuse one early in `_before` (a rate limit),
    and says in `_error_body` what its API's 429/5xx bodies look like.
    """

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.faults = FaultQueue()
        self._lock = threading.RLock()

    def inject(self, fault: Fault) -> None:
        """Make the next matching request(s) fail as `fault` says."""
        self.faults.inject(fault)

    def transport(self) -> httpx.MockTransport:
        """An httpx transport serving this sandbox to `httpx.Client` and `httpx.AsyncClient`."""
        return httpx.MockTransport(self.handler)

    def handler(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as the real API would, faults included."""
        request.read()
        with self._lock:
            self.requests.append(request)
            early = self._before(request)
        if early is not None:
            return early
        fault = self.faults.take(request)
        return apply_fault(fault, request, lambda: self._handle(request), self._error_body)

    def _before(self, request: httpx.Request) -> httpx.Response | None:
        return None

    def _handle(self, request: httpx.Request) -> httpx.Response:
        raise NotImplementedError

    def _error_body(self, status: int) -> Any:
        raise NotImplementedError
