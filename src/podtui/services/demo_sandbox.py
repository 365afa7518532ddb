"""The sandbox systems the demo runs against, filled with the same orders as the demo database.

`build_sandbox(...)` regenerates the demo's orders (same seed, size and reference time, so the
same orders, ids included) and loads the WooCommerce store's share into a `SandboxWooStore`;
syncing it into the demo database finds orders it already has. `sandbox_for(db)` reads those
parameters from the demo store's settings and builds (once per process) the sandboxes for it.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlmodel import select

from podtui.adapters.sandbox import SandboxPrintify, SandboxWooStore, sandbox_router
from podtui.db import Database
from podtui.domain.models import Store
from podtui.services.demo_catalog import STORES, VENDORS
from podtui.services.demo_data import DemoGenerator
from podtui.services.demo_payloads import store_timezone, woo_order_payload

WOO = next(s for s in STORES if s.kind == "woocommerce")
PRINTIFY = next(v for v in VENDORS if v.kind == "printify")
# Credentials the sandboxes accept; demo only, they open nothing real.
WOO_KEY, WOO_SECRET = "ck_sandbox_demo", "cs_sandbox_demo"
PRINTIFY_TOKEN = "sandbox-demo-token"
MAX_SANDBOX_ORDERS = 5_000  # a million-item bench keeps only the newest, in memory


@dataclass
class DemoSandbox:
    """The demo's sandbox store and vendor, and one transport that serves both by host."""

    woo: SandboxWooStore
    printify: SandboxPrintify
    transport: httpx.MockTransport


def woo_payloads(
    *,
    now: datetime,
    seed: int = 7,
    orders: int = 500,
    items: int | None = None,
    limit: int = MAX_SANDBOX_ORDERS,
) -> list[dict[str, Any]]:
    """The demo's WooCommerce orders in the REST v3 shape (the newest `limit` of them)."""
    kept: deque[dict[str, Any]] = deque(maxlen=limit)
    for order in DemoGenerator(now=now, seed=seed, orders=orders, items=items).orders():
        if order.store.key == WOO.key:
            kept.append(woo_order_payload(order))
    return list(kept)


def build_sandbox(
    *, now: datetime, seed: int = 7, orders: int = 500, items: int | None = None
) -> DemoSandbox:
    """Sandboxes holding the demo's orders: what `podtui demo` talks to instead of the internet."""
    woo = SandboxWooStore(
        woo_payloads(now=now, seed=seed, orders=orders, items=items),
        base_url=WOO.base_url,
        consumer_key=WOO_KEY,
        consumer_secret=WOO_SECRET,
        timezone=store_timezone(WOO),
    )
    printify = SandboxPrintify(
        token=PRINTIFY_TOKEN,
        shop_id=int(PRINTIFY.settings["shop_id"]),
        rate_limit_per_min=PRINTIFY.rate_limit_per_min,
    )
    return DemoSandbox(woo, printify, sandbox_router([woo, printify]))


_cache: dict[str, DemoSandbox] = {}
_lock = threading.Lock()


def sandbox_for(db: Database) -> DemoSandbox | None:
    """The sandboxes matching the demo seeded into `db` (None when `db` holds no demo)."""
    with db.read() as session:
        store = session.exec(select(Store).where(Store.name == WOO.name)).first()
    if store is None or "demo_seed" not in store.settings:
        return None
    with _lock:
        found = _cache.get(db.url)
        if found is None:
            s = store.settings
            found = _cache[db.url] = build_sandbox(
                now=datetime.fromisoformat(str(s["demo_now"])),
                seed=int(s["demo_seed"]),
                orders=int(s["demo_orders"]),
                items=None if s.get("demo_items") is None else int(s["demo_items"]),
            )
        return found


def sandbox_secret(vendor: object) -> str | None:
    """The token a demo vendor's sandbox accepts (None: the vendor has no sandbox here)."""
    return PRINTIFY_TOKEN if getattr(vendor, "kind", "") == "printify" else None
