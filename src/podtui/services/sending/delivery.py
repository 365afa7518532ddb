"""The HTTP side of sending one vendor order: submit, and never twice.

`deliver` calls the adapter's `submit`. A refusal (4xx) is final: the operator fixes and retries.
A 429, 5xx, timeout, dropped connection or unreadable answer may or may not have created the
order, so before the next attempt the vendor is asked for the external id (`find`); only when it
has no such order is the same request (same key) sent again. After `attempts` tries the last error
is returned, with its reason, for the submission to fail on.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import Resumer, VendorAdapter, VendorOrder, VendorOrderRequest

Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class Backoff:
    """How often and how patiently a vendor order is tried before it fails with the reason."""

    attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 20.0

    def delay(self, attempt: int) -> float:
        raw = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return raw * random.uniform(0.8, 1.2)


@dataclass
class Delivered:
    """What came of one vendor order: the order, or the error it failed with."""

    order: VendorOrder | None = None
    error: ApiError | None = None
    how: str = "submitted"  # submitted | found (the vendor already had it)


async def resume(adapter: VendorAdapter, order: VendorOrder) -> VendorOrder:
    """Let the adapter finish an order found half-done (Printify: created, not yet produced)."""
    if not isinstance(adapter, Resumer):
        return order
    return await adapter.resume(order)


async def lookup(adapter: VendorAdapter, external_id: str) -> VendorOrder | None:
    found = await adapter.find(external_id)
    return None if found is None else await resume(adapter, found)


async def deliver(
    adapter: VendorAdapter,
    request: VendorOrderRequest,
    *,
    ask_first: bool = False,
    backoff: Backoff | None = None,
    sleep: Sleep = asyncio.sleep,
    before_attempt: Callable[[int], Awaitable[Any]] | None = None,
) -> Delivered:
    """Get `request` to the vendor exactly once; `ask_first` when an earlier try may have."""
    policy = backoff or Backoff()
    must_ask = ask_first
    last: ApiError | None = None
    for attempt in range(1, policy.attempts + 1):
        if before_attempt is not None:
            await before_attempt(attempt)
        try:
            if must_ask:
                found = await lookup(adapter, request.external_id)
                if found is not None:
                    return Delivered(order=found, how="found")
                must_ask = False
            return Delivered(order=await adapter.submit(request))
        except ApiError as exc:
            last = exc
            if not exc.retryable and not exc.outcome_unknown:
                return Delivered(error=exc)
            # Whatever happened, the vendor may hold the order now: ask before sending again.
            must_ask = True
        if attempt < policy.attempts:
            await sleep(policy.delay(attempt))
    assert last is not None
    return Delivered(error=last)
