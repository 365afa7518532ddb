"""Shared builders for the Shopify adapter tests: fixture orders, a loopback shop, an adapter."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from podtui.adapters.http import RetryPolicy
from podtui.adapters.stores.shopify import ShopifyAdapter
from podtui.domain.models import Store
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.shopify import SandboxShopify

# The Shopify Python API client's order fixture (MIT), as in shared/reference/fixtures/shopify.
FIXTURE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "shopify_order.json").read_text()
)["order"]
TOKEN = "shpat_test_0123456789abcdef"
BASE = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def rest_order(n: int, *, lines: int = 1, **changes: Any) -> dict[str, Any]:
    """The fixture order renumbered: id 1000+n, name #n, updated n minutes after BASE."""
    order = copy.deepcopy(FIXTURE)
    order.pop("fulfillments", None)
    order["id"] = 1000 + n
    order["name"] = f"#{n}"
    order["order_number"] = n
    moment = (BASE + timedelta(minutes=n)).isoformat()
    order["created_at"] = order["updated_at"] = moment
    order["fulfillment_status"] = None
    template = FIXTURE["line_items"][0]
    order["line_items"] = []
    for k in range(lines):
        line = copy.deepcopy(template)
        line["id"] = 100_000 + n * 100 + k
        line["properties"] = [{"name": "Name", "value": f"Ada {n}.{k}"}]
        order["line_items"].append(line)
    order.update(changes)
    return order


def shop(orders: int = 0, **kwargs: Any) -> SandboxShopify:
    kwargs.setdefault("token", TOKEN)
    kwargs.setdefault("restore_rate", 5000.0)  # fast tests; the throttle tests set their own
    # The query-cost bucket runs on virtual time (see `loopback`): how many queries a test makes
    # never depends on how busy the machine is.
    kwargs.setdefault("monotonic", VirtualTime())
    return SandboxShopify([rest_order(n) for n in range(1, orders + 1)], **kwargs)


# Long enough that no answer of a busy machine's sandbox is taken for a timeout; the tests of
# timeouts pass a short one (the sandbox then stays silent for longer than it).
TIMEOUT = 10.0


def adapter_for(
    base_url: str, token: str = TOKEN, *, timeout: float = TIMEOUT, **settings: Any
) -> ShopifyAdapter:
    row = Store(name="Test Shop", kind="shopify", base_url=base_url, settings=settings)
    adapter = ShopifyAdapter(row, token)
    adapter.api.retry = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05, jitter=0.0)
    adapter.api.timeout = timeout
    return adapter


class VirtualTime:
    """A monotonic clock that moves only when the adapter sleeps: throttle tests run no wall time.

    The sandbox reads it to refill its bucket and the adapter's sleeps advance it, so "wait for
    points" costs nothing and the sandbox sees exactly the seconds the adapter chose to wait.
    """

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


def on_virtual_time(adapter: ShopifyAdapter, time: VirtualTime) -> ShopifyAdapter:
    """`adapter` waiting on `time` instead of the wall clock."""
    adapter.api.sleep = time.sleep  # retries and Retry-After waits
    adapter.gql.bucket.clock = time  # the cost bucket's refill
    return adapter


@contextmanager
def loopback(
    sandbox: SandboxShopify, *, timeout: float = TIMEOUT, **settings: Any
) -> Iterator[ShopifyAdapter]:
    """`sandbox` on a real socket and an adapter pointed at it."""
    with serve_loopback(sandbox.handler) as url:
        adapter = adapter_for(url, timeout=timeout, **settings)
        if isinstance(sandbox.monotonic, VirtualTime):
            on_virtual_time(adapter, sandbox.monotonic)
        yield adapter


async def all_pages(adapter: ShopifyAdapter, **kwargs: Any) -> tuple[list[Any], list[Any], Any]:
    """Every order and problem of a listing, and the last page's cursor."""
    orders: list[Any] = []
    problems: list[Any] = []
    cursor = None
    async for page in adapter.list_orders(**kwargs):
        orders.extend(page.orders)
        problems.extend(page.problems)
        cursor = page.cursor
    return orders, problems, cursor
