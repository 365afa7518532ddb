"""One HTTP client per outside system, with its rate limit, retries and readable errors.

Every store and vendor adapter talks through `ApiClient`: an `httpx.AsyncClient` plus a token
bucket sized to the API's documented limit, backoff on 5xx/timeouts/dropped connections, and
`Retry-After` honoured for every caller of that system at once. The bucket is a `Limiter`: this
process's own `RateLimiter`, or one a service hands in (`make_limiter`) that every process on
the database shares (services/connections/rate_limits.py).

A request that may have reached the server but whose answer was lost (a read timeout, a dropped
connection after sending) is not blindly repeated when it is not idempotent: it raises an
`ApiError` with `outcome_unknown=True`, and the caller reconciles (a vendor order is looked up by
its external id) before anything is sent again.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import httpx

from podtui import __version__
from podtui.adapters.redact import remember, remember_login
from podtui.adapters.redact import scrub as scrub_secrets

USER_AGENT = f"podtui/{__version__} (+print-on-demand fulfillment)"
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class ApiError(Exception):
    """An outside API refused or broke; keeps what an operator needs to act, and the raw body.

    The message and the body are scrubbed of every secret podtui knows when the error is made,
    so wherever it goes next (a stored reason, the screen, a log) holds none.
    """

    def __init__(
        self,
        system: str,
        message: str,
        *,
        http_status: int | None = None,
        code: str | None = None,
        raw: str = "",
        retryable: bool = False,
        outcome_unknown: bool = False,
    ) -> None:
        message, raw = scrub_secrets(message), scrub_secrets(raw)
        super().__init__(message)
        self.system = system
        self.message = message
        self.http_status = http_status
        self.code = None if code is None else scrub_secrets(code)
        self.raw = raw
        self.retryable = retryable
        self.outcome_unknown = outcome_unknown

    def __str__(self) -> str:
        bits = [self.system]
        if self.http_status is not None:
            bits.append(f"HTTP {self.http_status}")
        if self.code:
            bits.append(f"code {self.code}")
        return f"{' '.join(bits)}: {self.message}"


class Limiter(Protocol):
    """What `ApiClient` asks before every request; `RateLimiter` is the one of a single process."""

    async def acquire(self) -> None:
        """Wait for this caller's turn."""
        ...

    def pause(self, seconds: float) -> None:
        """Hold every caller for `seconds` (a 429's Retry-After); it must not block."""
        ...


# Makes a client's limiter from its rate (requests a minute) and burst; a service hands one in
# so that a vendor's rate is shared by every process that sends to it.
MakeLimiter = Callable[[float, int | None], Limiter]


def bucket_size(per_minute: float, burst: int | None) -> float:
    """How many requests may go at once: `burst`, else a second's worth (at least one)."""
    return float(burst if burst is not None else max(1, int(per_minute // 60) or 1))


class RateLimiter:
    """A token bucket: `per_minute` requests a minute, bursts up to `burst`, shared by callers.

    `pause(seconds)` (from a 429's Retry-After) holds every caller, not only the one that was told.
    """

    def __init__(
        self,
        per_minute: float,
        *,
        burst: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0
        self.capacity = bucket_size(per_minute, burst)
        self.tokens = self.capacity
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        self.tokens = 0.0

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._paused_until:
                    await self._sleep(self._paused_until - now)
                    continue
                self.tokens = min(self.capacity, self.tokens + (now - self._updated) * self.rate)
                self._updated = now
                # The tolerance stops a spin on float rounding (0.9999999 tokens after a sleep).
                if self.tokens >= 1.0 - 1e-9:
                    self.tokens = max(0.0, self.tokens - 1.0)
                    return
                await self._sleep((1.0 - self.tokens) / self.rate)


@dataclass
class RetryPolicy:
    """How often and how patiently to repeat a request that failed in a retryable way."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    jitter: float = 0.1

    def delay(self, attempt: int) -> float:
        """Backoff before attempt number `attempt + 1` (attempt counts from 1)."""
        raw = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return raw * (1 + random.uniform(-self.jitter, self.jitter))


def retry_after_seconds(response: httpx.Response, now: float | None = None) -> float | None:
    """The server's Retry-After (seconds or an HTTP date), if it sent one."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


ErrorParser = Callable[[httpx.Response], tuple[str | None, str]]


def default_error_parser(response: httpx.Response) -> tuple[str | None, str]:
    """Pull (code, message) out of the common JSON error shapes, else the reason phrase."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        text = response.text.strip()
        return None, (text[:200] or response.reason_phrase or "no message")
    if isinstance(body, dict):
        code = body.get("code")
        message = body.get("message") or body.get("title") or body.get("errors")
        if isinstance(body.get("error"), dict):
            message = body["error"].get("message") or message
        if message is None:
            message = response.reason_phrase
        if not isinstance(message, str):
            message = json.dumps(message, ensure_ascii=False)
        return (None if code is None else str(code)), message
    return None, response.reason_phrase or "no message"


@dataclass
class ApiClient:
    """An outside system's client: base URL, auth headers, rate limiter and retry policy."""

    system: str
    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: httpx.Auth | tuple[str, str] | None = None
    per_minute: float = 600.0
    burst: int | None = None
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    timeout: float = 30.0
    transport: httpx.AsyncBaseTransport | None = None
    error_parser: ErrorParser = default_error_parser
    secrets: tuple[str, ...] = ()  # values to scrub (in every form) from what we keep or show
    sleep: Callable[[float], Any] = asyncio.sleep
    limiter: Limiter | None = None
    make_limiter: MakeLimiter | None = None  # None: a limiter of this process alone
    _client: httpx.AsyncClient | None = field(default=None, init=False, repr=False)
    # counters a bench or the UI can read
    requests_sent: int = field(default=0, init=False)
    retries: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        remember(*self.secrets)
        if isinstance(self.auth, tuple):
            remember_login(*self.auth)
        if self.limiter is None and self.make_limiter is not None:
            self.limiter = self.make_limiter(self.per_minute, self.burst)
        if self.limiter is None:
            self.limiter = RateLimiter(self.per_minute, burst=self.burst, sleep=self.sleep)

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base_url,
                headers={"User-Agent": USER_AGENT, "Accept": "application/json", **self.headers},
                auth=self.auth,
                timeout=httpx.Timeout(self.timeout, connect=min(10.0, self.timeout)),
                transport=self.transport,
                follow_redirects=False,
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def scrub(self, text: str) -> str:
        """`text` with every secret, in every form, masked, so it can be stored or shown."""
        for secret in self.secrets:  # even one too short for the shared list
            if secret:
                text = text.replace(secret, "***")
        return scrub_secrets(text)

    def _error(self, response: httpx.Response, *, retryable: bool) -> ApiError:
        code, message = self.error_parser(response)
        return ApiError(
            self.system,
            self.scrub(message),
            http_status=response.status_code,
            code=code,
            raw=self.scrub(response.text[:20_000]),
            retryable=retryable,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one request with rate limiting and retries; returns a 2xx response or raises.

        `idempotent` defaults to True for GET/HEAD/PUT/DELETE and False for POST/PATCH: a
        non-idempotent request is repeated only when it surely never reached the server.
        """
        safe = (
            idempotent
            if idempotent is not None
            else method.upper() in {"GET", "HEAD", "PUT", "DELETE"}
        )
        assert self.limiter is not None
        attempt = 0
        while True:
            attempt += 1
            await self.limiter.acquire()
            self.requests_sent += 1
            try:
                response = await self.client.request(
                    method, path, params=params, json=json_body, headers=headers
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # Never reached the server: safe to repeat whatever the method.
                if attempt < self.retry.attempts:
                    self.retries += 1
                    await self.sleep(self.retry.delay(attempt))
                    continue
                raise ApiError(
                    self.system,
                    f"cannot reach {self.base_url}: {type(exc).__name__}; check the network "
                    "and the URL, then retry",
                    retryable=True,
                ) from exc
            except (
                httpx.ReadTimeout,
                httpx.WriteTimeout,
                httpx.RemoteProtocolError,
                httpx.ReadError,
            ) as exc:
                if safe and attempt < self.retry.attempts:
                    self.retries += 1
                    await self.sleep(self.retry.delay(attempt))
                    continue
                raise ApiError(
                    self.system,
                    f"no answer from {self.base_url} ({type(exc).__name__}); the request may "
                    "or may not have been carried out",
                    retryable=True,
                    outcome_unknown=not safe,
                ) from exc
            if response.status_code < 400:
                return response
            retryable = response.status_code in RETRYABLE_STATUSES
            if response.status_code == 429:
                wait = retry_after_seconds(response)
                self.limiter.pause(wait if wait is not None else self.retry.delay(attempt))
                if attempt < self.retry.attempts:
                    self.retries += 1
                    continue  # a 429 was not processed: safe to repeat even a POST
            elif (
                retryable
                and attempt < self.retry.attempts
                and (safe or response.status_code == 503)
            ):
                self.retries += 1
                wait = retry_after_seconds(response)
                await self.sleep(wait if wait is not None else self.retry.delay(attempt))
                continue
            raise self._error(response, retryable=retryable)

    async def json(self, method: str, path: str, **kwargs: Any) -> Any:
        """`request` and decode the JSON body; a body that is not JSON is an ApiError."""
        response = await self.request(method, path, **kwargs)
        try:
            return response.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ApiError(
                self.system,
                "the answer was not valid JSON (a proxy or maintenance page?)",
                http_status=response.status_code,
                raw=self.scrub(response.text[:20_000]),
                retryable=True,
            ) from exc
