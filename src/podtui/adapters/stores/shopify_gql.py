"""Shopify Admin GraphQL over `ApiClient`, with the cost-based throttle read and respected.

Every answer carries `extensions.cost.throttleStatus` (maximumAvailable, currentlyAvailable,
restoreRate). `CostBucket` keeps the last one seen and, before the next query, waits until the
bucket has restored enough for that query's cost (the `requestedQueryCost` Shopify charged the
last time the same query ran, or the caller's estimate the first time), so a sync does not run
into the limit. A `THROTTLED` answer anyway (another app on the shop spent the bucket) is waited
out for exactly the points missing and repeated; a 429 with Retry-After is waited out by
`ApiClient`. Queries are repeated after timeouts, drops, 5xx and malformed bodies; a mutation whose
answer was lost raises `ApiError(outcome_unknown=True)` so the caller looks before repeating it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from podtui.adapters.http import ApiClient, ApiError

SYSTEM = "shopify"
THROTTLE_ATTEMPTS = 30  # THROTTLED answers waited out before giving up on one query
BROKEN_ATTEMPTS = 4  # malformed bodies tolerated for one query


def shopify_error_parser(response: httpx.Response) -> tuple[str | None, str]:
    """(code, message) of Shopify's `{"errors": "..."}` / `{"errors": [{message, extensions}]}`."""
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, (response.text.strip()[:200] or response.reason_phrase or "no message")
    errors = body.get("errors") if isinstance(body, dict) else None
    if isinstance(errors, str):
        return None, errors
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code = (errors[0].get("extensions") or {}).get("code")
        return (None if code is None else str(code)), str(errors[0].get("message", ""))
    if isinstance(errors, dict):
        return None, "; ".join(f"{k}: {v}" for k, v in errors.items())
    return None, response.reason_phrase or "no message"


REFILL_SLACK = 0.01  # seconds past the computed refill before a query is sent


@dataclass
class CostBucket:
    """The shop's leaky bucket as Shopify last reported it."""

    clock: Callable[[], float] = time.monotonic
    maximum: float | None = None
    available: float | None = None
    restore_rate: float | None = None
    seen_at: float = 0.0
    waited: float = 0.0  # seconds spent waiting for points, for benches and the UI

    def update(self, extensions: Any) -> None:
        status = ((extensions or {}).get("cost") or {}).get("throttleStatus")
        if not isinstance(status, dict):
            return
        try:
            self.maximum = float(status["maximumAvailable"])
            self.available = float(status["currentlyAvailable"])
            self.restore_rate = float(status["restoreRate"])
        except (KeyError, TypeError, ValueError):
            return
        self.seen_at = self.clock()

    def estimate(self) -> float | None:
        """Points available now, by the last report plus what has restored since."""
        if self.available is None or self.restore_rate is None or self.maximum is None:
            return None
        restored = (self.clock() - self.seen_at) * self.restore_rate
        return min(self.maximum, self.available + restored)

    def wait_for(self, cost: float) -> float:
        """Seconds to wait before a query costing `cost` fits in the bucket."""
        now = self.estimate()
        if now is None or not self.restore_rate or cost <= now:
            return 0.0
        assert self.maximum is not None
        # A moment past the exact refill: Shopify's clock and ours never agree to the
        # microsecond, and a query sent on the boundary is refused and costs a round trip.
        return (min(cost, self.maximum) - now) / self.restore_rate + REFILL_SLACK


@dataclass
class ShopifyGraphQL:
    """Runs queries and mutations against one shop's Admin GraphQL endpoint."""

    api: ApiClient
    path: str
    bucket: CostBucket = field(default_factory=CostBucket)
    costs: dict[str, float] = field(default_factory=dict)  # last requestedQueryCost by name
    throttled: int = 0  # THROTTLED answers seen

    async def run(
        self,
        name: str,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        mutation: bool = False,
        estimate: float = 50.0,
    ) -> dict[str, Any]:
        """The `data` of the answer; ApiError for an error answer (never with a secret in it)."""
        broken = 0
        throttled = 0
        while True:
            wait = self.bucket.wait_for(self.costs.get(name, estimate))
            if wait > 0:
                self.bucket.waited += wait
                await self.api.sleep(wait)
            try:
                body = await self.api.json(
                    "POST",
                    self.path,
                    json_body={"query": document, "variables": variables or {}},
                    idempotent=not mutation,
                )
            except ApiError as exc:
                malformed = exc.http_status is not None and exc.http_status < 400
                if not malformed:
                    raise
                if mutation:  # the mutation ran or not; the caller must look before repeating
                    exc.outcome_unknown = True
                    raise
                broken += 1
                if broken >= BROKEN_ATTEMPTS:
                    raise
                await self.api.sleep(self.api.retry.delay(broken))
                continue
            if not isinstance(body, dict):
                raise ApiError(SYSTEM, "the answer was not a JSON object", raw=str(body)[:2000])
            extensions = body.get("extensions")
            self.bucket.update(extensions)
            cost = ((extensions or {}).get("cost") or {}).get("requestedQueryCost")
            if isinstance(cost, (int, float)):
                self.costs[name] = float(cost)
            errors = body.get("errors")
            if errors and _code(errors) == "THROTTLED":
                self.throttled += 1
                throttled += 1
                if throttled >= THROTTLE_ATTEMPTS:
                    raise ApiError(
                        SYSTEM,
                        "Shopify kept answering Throttled; another app may be using the "
                        "shop's whole API budget. Try again in a minute.",
                        code="THROTTLED",
                        retryable=True,
                        raw=self.api.scrub(json.dumps(body)[:20_000]),
                    )
                # Wait for the missing points; at least a moment, so a stale report cannot spin.
                missing = self.bucket.wait_for(self.costs.get(name, estimate))
                pause = max(missing, 0.05)
                self.bucket.waited += pause
                self.bucket.available = 0.0 if missing <= 0 else self.bucket.available
                await self.api.sleep(pause)
                continue
            if errors:
                first = errors[0] if isinstance(errors, list) and errors else {}
                message = first.get("message") if isinstance(first, dict) else str(errors)
                raise ApiError(
                    SYSTEM,
                    self.api.scrub(str(message or "GraphQL error")),
                    code=_code(errors),
                    raw=self.api.scrub(json.dumps(body)[:20_000]),
                )
            data = body.get("data")
            if not isinstance(data, dict):
                raise ApiError(
                    SYSTEM, "the answer had no data", raw=self.api.scrub(json.dumps(body)[:20_000])
                )
            return data


def _code(errors: Any) -> str | None:
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code = (errors[0].get("extensions") or {}).get("code")
        if code is None and errors[0].get("message") == "Throttled":
            return "THROTTLED"
        return None if code is None else str(code)
    return None
