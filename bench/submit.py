"""Bulk send N items to a loopback sandbox Printify limited to 600 requests a minute, and a faster.

Each run builds a fresh SQLite database with N Ready items (each to its own address, so N vendor
orders, print files published under a base URL so each order is a create plus a send to
production), serves a sandbox Printify on 127.0.0.1 that answers 429 past its per-minute limit,
and sends everything with the real submission service and adapter. Measured per vendor: the
achieved request rate against the limit (from the sandbox's own request log), items per second,
429s received, duplicates (vendor orders beyond one per external id) and lost items (not Sent, or
Sent without an order at the vendor).

    uv run python bench/submit.py [--items N] [--limit 600] [--fast-limit 6000]

The last line is one JSON object: `rate_vs_limit`, `duplicates`, `lost`, `items_per_s` (the
limited vendor), plus the same for the fast one under `fast_*`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from podtui.db import Database, open_database
from podtui.domain.models import (
    Order,
    OrderItem,
    PrintFile,
    ProductMapping,
    Store,
    Submission,
    SubmissionItem,
    Vendor,
)
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.sending.fulfil import SendOptions, send_items

TOKEN = "bench-token"
SHOP_ID = 777


def build(db: Database, url: str, n: int, limit: int, concurrency: int, files: Path) -> list[int]:
    files.mkdir(parents=True, exist_ok=True)
    png = files / "art.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n")  # never read: the vendor fetches it by URL
    with db.write() as s:
        store = Store(name="Bench store", kind="woocommerce")
        vendor = Vendor(
            name="Bench Printify",
            kind="printify",
            base_url=url + "/v1",
            rate_limit_per_min=limit,
            settings={"shop_id": SHOP_ID, "max_concurrency": concurrency},
        )
        s.add_all([store, vendor])
        s.flush()
        assert store.id is not None and vendor.id is not None
        s.add(
            ProductMapping(
                store_id=store.id,
                product_id="p1",
                vendor_id=vendor.id,
                vendor_product={"blueprint_id": 68, "print_provider_id": 1, "variant_id": 17887},
            )
        )
        ids: list[int] = []
        for k in range(n):
            order = Order(
                store_id=store.id,
                store_order_id=str(10_000 + k),
                name=f"#{10_000 + k}",
                created_at=_now(),
                ship_name="Bench Customer",
                ship_address1=f"{k + 1} Market St",
                ship_city="San Francisco",
                ship_state="CA",
                ship_postal_code="94105",
                ship_country="US",
            )
            s.add(order)
            s.flush()
            item = OrderItem(
                order_id=order.id or 0,
                store_id=store.id,
                order_created_at=order.created_at,
                product_id="p1",
                sku="MUG-11",
                title="Mug",
                status=ItemStatus.READY,
                vendor_id=vendor.id,
            )
            s.add(item)
            s.flush()
            s.add(PrintFile(item_id=item.id or 0, path=str(png)))
            ids.append(item.id or 0)
    return ids


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def run(n: int, limit: int, concurrency: int) -> dict[str, Any]:
    sandbox = SandboxPrintify(token=TOKEN, shop_id=SHOP_ID, rate_limit_per_min=limit)
    stamps: list[float] = []
    throttled: list[float] = []
    inner = sandbox.handler

    def handler(request: Any) -> Any:
        stamps.append(time.monotonic())
        response = inner(request)
        if response.status_code == 429:
            throttled.append(stamps[-1])
        return response

    with tempfile.TemporaryDirectory() as tmp, serve_loopback(handler) as url:
        os.environ["PODTUI_PRINTIFY_BENCH_PRINTIFY_TOKEN"] = TOKEN
        db = open_database(f"sqlite:///{tmp}/bench.db")
        ids = build(db, url, n, limit, concurrency, Path(tmp) / "files")
        options = SendOptions(print_file_base_url="https://files.bench.invalid/pf")
        started = time.monotonic()
        outcome = send_items(db, ids, options=options)
        elapsed = time.monotonic() - started
        with db.read() as s:
            sent = {
                sub.idempotency_key: sub
                for sub in s.exec(select(Submission).where(Submission.state == "sent")).all()
            }
            statuses = dict(
                s.exec(
                    select(OrderItem.id, OrderItem.status).where(col(OrderItem.id).in_(ids))
                ).all()
            )
            links = dict(s.exec(select(SubmissionItem.item_id, SubmissionItem.submission_id)).all())
            keys = {sub.id: key for key, sub in sent.items()}
        db.dispose()
    counts = sandbox.orders_by_external_id()
    duplicates = sum(c - 1 for c in counts.values() if c > 1)
    lost = sum(
        1
        for i in ids
        if statuses.get(i) is not ItemStatus.SENT or counts.get(keys.get(links.get(i), ""), 0) != 1
    )
    span = (stamps[-1] - stamps[0]) if len(stamps) > 1 else elapsed
    per_minute = (len(stamps) - 1) / span * 60 if span > 0 else 0.0
    return {
        "items": n,
        "limit_per_min": limit,
        "requests": len(stamps),
        "req_per_min": round(per_minute, 1),
        "rate_vs_limit": round(per_minute / limit, 3),
        "items_per_s": round(len(outcome.done) / elapsed, 2),
        "seconds": round(elapsed, 1),
        "throttled_429": len(throttled),
        "failed": len(outcome.failed),
        "duplicates": duplicates,
        "lost": lost,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=600, help="requests a minute (slow vendor)")
    parser.add_argument("--fast-limit", type=int, default=6000, help="requests a minute")
    args = parser.parse_args(argv)
    slow = run(args.items, args.limit, concurrency=4)
    print(f"limited vendor: {json.dumps(slow)}", file=sys.stderr)
    fast = run(args.items, args.fast_limit, concurrency=8)
    print(f"fast vendor: {json.dumps(fast)}", file=sys.stderr)
    result = {
        "rate_vs_limit": slow["rate_vs_limit"],
        "duplicates": slow["duplicates"] + fast["duplicates"],
        "lost": slow["lost"] + fast["lost"],
        "items_per_s": slow["items_per_s"],
        "req_per_min": slow["req_per_min"],
        "throttled_429": slow["throttled_429"],
        "fast_rate_vs_limit": fast["rate_vs_limit"],
        "fast_items_per_s": fast["items_per_s"],
        "fast_req_per_min": fast["req_per_min"],
        "items": args.items,
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
