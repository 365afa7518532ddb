"""Bench: list N orders from a Shopify sandbox on loopback through the real Admin GraphQL adapter.

The sandbox shop (graphql-core executing real queries, Shopify's query cost and leaky bucket)
serves the demo's Shopify orders over a real socket in a second process. The adapter pages them
all, waiting for the bucket as it must; the bench counts what came back once, twice or never.
`bucket_wait_s` is the time spent waiting for cost points; `podtui_share` the share of wall time
spent outside HTTP (parsing, waiting for points excluded).
The last line is one JSON object: orders_per_s, podtui_share, bucket_wait_s, lost, duplicated.

    uv run python bench/shopify.py [--orders 2000] [--restore-rate 1000] [--faults]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import time
from collections import Counter
from datetime import UTC, datetime
from typing import Any

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
TOKEN = "shpat_bench"


def _payloads(count: int) -> list[dict[str, Any]]:
    from podtui.demo.sandboxes import store_payloads

    # The demo puts about 45% of its orders in Northwind Prints.
    payloads = store_payloads(now=NOW, seed=7, orders=int(count * 2.4) + 50, limit=count)
    return payloads["northwind"][:count]


def _serve(count: int, restore: float, faults: bool, conn: Any, stop: Any) -> None:
    from podtui.sandbox.http import Fault, serve_loopback
    from podtui.sandbox.shopify import SandboxShopify

    shop = SandboxShopify(
        _payloads(count),
        token=TOKEN,
        maximum_available=max(2000.0, restore * 20),
        restore_rate=restore,
    )
    if faults:
        for fault in (
            Fault(status=429, retry_after=0.2),
            Fault(status=500),
            Fault(kind="drop"),
            Fault(kind="malformed"),
        ):
            shop.inject(fault)
    with serve_loopback(shop.handler) as url:
        conn.send((url, sorted(shop.orders)))
        stop.wait()
        conn.send(shop.throttled)


async def _list(url: str) -> tuple[list[str], float, float, float, int]:
    from podtui.adapters.http import RetryPolicy
    from podtui.adapters.stores.shopify import ShopifyAdapter
    from podtui.domain.models import Store

    adapter = ShopifyAdapter(Store(name="bench", kind="shopify", base_url=url), TOKEN)
    adapter.api.retry = RetryPolicy(attempts=5, base_delay=0.05, max_delay=0.5)
    waiting = 0.0
    original = adapter.api.client.send

    async def timed_send(*args: Any, **kwargs: Any) -> Any:
        nonlocal waiting
        started = time.perf_counter()
        try:
            return await original(*args, **kwargs)
        finally:
            waiting += time.perf_counter() - started

    adapter.api.client.send = timed_send  # type: ignore[method-assign]
    ids: list[str] = []
    started = time.perf_counter()
    async for page in adapter.list_orders():
        ids.extend(o.store_order_id for o in page.orders)
        ids.extend(p.store_order_id for p in page.problems)
    wall = time.perf_counter() - started
    bucket = adapter.gql.bucket.waited
    await adapter.aclose()
    return ids, wall, waiting, bucket, adapter.api.requests_sent


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--restore-rate", type=float, default=1000.0, help="points a second")
    parser.add_argument("--faults", action="store_true", help="inject 429/500/drop/malformed")
    args = parser.parse_args()
    ctx = mp.get_context("spawn")
    here, there = ctx.Pipe()
    stop = ctx.Event()
    server = ctx.Process(
        target=_serve, args=(args.orders, args.restore_rate, args.faults, there, stop)
    )
    server.start()
    url, expected = here.recv()
    try:
        ids, wall, http_wait, bucket, requests = asyncio.run(_list(url))
    finally:
        stop.set()
        throttled = here.recv()
        server.join(timeout=10)
    counts = Counter(ids)
    result = {
        "orders": len(expected),
        "requests": requests,
        "seconds": round(wall, 3),
        "orders_per_s": round(len(counts) / wall, 1) if wall else 0.0,
        "podtui_share": round(max(0.0, wall - http_wait - bucket) / wall, 3) if wall else 0.0,
        "bucket_wait_s": round(bucket, 3),
        "throttled_answers": throttled,
        "lost": len({str(i) for i in expected} - set(counts)),
        "duplicated": sum(1 for n in counts.values() if n > 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
