"""The shared HTTP client against a real server on loopback: limits, retries, unknown outcomes."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from podtui.adapters.http import ApiClient, ApiError, RateLimiter, RetryPolicy

Handler = Callable[[BaseHTTPRequestHandler, int], None]


class Script:
    """A loopback server that answers the n-th request with the n-th scripted behaviour."""

    def __init__(self, steps: list[Handler]) -> None:
        self.steps = steps
        self.calls: list[tuple[str, str, bytes]] = []

    @contextmanager
    def serve(self) -> Iterator[str]:
        script = self

        class H(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                n = len(script.calls)
                script.calls.append((self.command, self.path, body))
                script.steps[min(n, len(script.steps) - 1)](self, n)

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


def reply(status: int, body: object, headers: dict[str, str] | None = None) -> Handler:
    def handler(h: BaseHTTPRequestHandler, _n: int) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        h.send_response(status)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    return handler


def drop(h: BaseHTTPRequestHandler, _n: int) -> None:
    # Close the socket without an answer: the request reached the server, the reply is lost.
    h.connection.shutdown(socket.SHUT_RDWR)
    h.close_connection = True


@pytest.fixture
def run() -> Callable[..., object]:
    def _run(coro: object) -> object:
        return asyncio.run(coro)  # type: ignore[arg-type]

    return _run


def make_client(url: str, sleeps: list[float]) -> ApiClient:
    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    return ApiClient(
        "Testvendor",
        url,
        per_minute=6000,
        burst=100,
        retry=RetryPolicy(attempts=3, base_delay=0.01, jitter=0),
        timeout=2.0,
        sleep=fake_sleep,
        limiter=RateLimiter(6000, burst=100, sleep=fake_sleep),
        secrets=("sekrit-token",),
    )


def test_429_retry_after_is_honoured_then_succeeds(run: Callable[..., object]) -> None:
    script = Script(
        [reply(429, {"errors": "slow down"}, {"Retry-After": "2"}), reply(200, {"ok": 1})]
    )
    with script.serve() as url:
        sleeps: list[float] = []
        client = make_client(url, sleeps)

        async def go() -> object:
            try:
                return await client.json("POST", "/orders", json_body={"a": 1})
            finally:
                await client.aclose()

        assert run(go()) == {"ok": 1}
        assert len(script.calls) == 2  # a 429 was not processed: repeating the POST is safe
        assert any(s >= 1.9 for s in sleeps)


def test_500_retried_for_get_but_not_for_post(run: Callable[..., object]) -> None:
    script = Script([reply(500, {"code": 10300, "message": "Operation failed."}), reply(200, [])])
    with script.serve() as url:
        client = make_client(url, [])

        async def get() -> object:
            return await client.json("GET", "/orders")

        assert run(get()) == []
    script = Script([reply(500, {"code": 10300, "message": "Operation failed."})])
    with script.serve() as url:
        client = make_client(url, [])

        async def post() -> object:
            return await client.json("POST", "/orders", json_body={})

        with pytest.raises(ApiError) as err:
            run(post())
        assert err.value.http_status == 500 and err.value.code == "10300"
        assert len(script.calls) == 1


def test_dropped_connection_after_post_is_an_unknown_outcome(run: Callable[..., object]) -> None:
    script = Script([drop])
    with script.serve() as url:
        client = make_client(url, [])

        async def post() -> object:
            return await client.json("POST", "/orders", json_body={})

        with pytest.raises(ApiError) as err:
            run(post())
        assert err.value.outcome_unknown
        assert len(script.calls) == 1  # never repeated blindly


def test_4xx_keeps_code_message_and_raw_without_secrets(run: Callable[..., object]) -> None:
    body = {
        "status": "error",
        "code": 8103,
        "message": "Validation failed.",
        "token": "sekrit-token",
    }
    script = Script([reply(422, body)])
    with script.serve() as url:
        client = make_client(url, [])

        async def post() -> object:
            return await client.json("POST", "/orders", json_body={})

        with pytest.raises(ApiError) as err:
            run(post())
        assert err.value.http_status == 422
        assert err.value.code == "8103"
        assert "Validation failed." in str(err.value)
        assert "sekrit-token" not in err.value.raw and "***" in err.value.raw


def test_malformed_json_is_a_clear_error(run: Callable[..., object]) -> None:
    script = Script([reply(200, b"<html>maintenance</html>")])
    with script.serve() as url:
        client = make_client(url, [])

        async def get() -> object:
            return await client.json("GET", "/orders")

        with pytest.raises(ApiError, match="not valid JSON"):
            run(get())


def test_unreachable_server_is_reported_after_retries(run: Callable[..., object]) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    client = make_client(f"http://127.0.0.1:{port}", [])

    async def get() -> object:
        return await client.json("GET", "/orders")

    with pytest.raises(ApiError, match="cannot reach"):
        run(get())


def test_rate_limiter_spaces_requests_to_the_limit(run: Callable[..., object]) -> None:
    clock = [0.0]
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(600, burst=10, clock=lambda: clock[0], sleep=fake_sleep)

    async def take(n: int) -> None:
        for _ in range(n):
            await limiter.acquire()

    run(take(110))
    # 10 from the burst, then 100 more at 10 a second: about 10 simulated seconds.
    assert 9.9 <= clock[0] <= 10.1
