"""The sandbox systems the demo runs against, filled with the same orders as the demo database.

`build_sandbox(...)` regenerates the demo's orders (same seed, size and reference time, so the
same orders, ids included) and loads the WooCommerce store's share into a `SandboxWooStore` and
each Shopify store's share into a `SandboxShopify` (Admin GraphQL, on the store's own host);
syncing them into the demo database finds orders it already has. `sandbox_for(db)` reads those
parameters from the demo store's settings and builds (once per process) the sandboxes for it;
`demo_reach(db)` is the `Reach` that `podtui demo` hands to the app so the real adapters talk to
them.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from sqlmodel import select

from podtui.db import Database
from podtui.demo.catalog import STORES, VENDORS
from podtui.demo.generator import DemoGenerator
from podtui.demo.payloads import shopify_order_payload, store_timezone, woo_order_payload
from podtui.domain.models import Store, Vendor
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from podtui.sandbox.router import sandbox_router
from podtui.sandbox.shopify import SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.connections.reach import Route

WOO = next(s for s in STORES if s.kind == "woocommerce")
PRINTIFY = next(v for v in VENDORS if v.kind == "printify")
PRINTFUL = next(v for v in VENDORS if v.kind == "printful")
# Credentials the sandboxes accept; demo only, they open nothing real.
WOO_KEY, WOO_SECRET = "ck_sandbox_demo", "cs_sandbox_demo"
PRINTIFY_TOKEN = "sandbox-demo-token"
PRINTFUL_TOKEN = "sandbox-demo-printful-token"
SHOPIFY_TOKEN = "shpat_sandbox_demo"
SHOPIFY_STORES = tuple(s for s in STORES if s.kind == "shopify")
MAX_SANDBOX_ORDERS = 5_000  # a million-item bench keeps only the newest, in memory


@dataclass
class DemoSandbox:
    """The demo's sandbox store and vendor, and one transport that serves both by host."""

    woo: SandboxWooStore
    printify: SandboxPrintify
    transport: httpx.MockTransport
    printful: SandboxPrintful | None = None
    shopify: dict[str, SandboxShopify] = field(default_factory=dict)  # by store name


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


def store_payloads(
    *,
    now: datetime,
    seed: int = 7,
    orders: int = 500,
    items: int | None = None,
    limit: int = MAX_SANDBOX_ORDERS,
    uploads: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Each sandboxed store's orders in its own API's shape (the newest `limit`), in one pass."""
    kept: dict[str, deque[dict[str, Any]]] = {
        spec.key: deque(maxlen=limit) for spec in (WOO, *SHOPIFY_STORES)
    }
    generator = DemoGenerator(now=now, seed=seed, orders=orders, items=items, uploads=uploads)
    for order in generator.orders():
        key = order.store.key
        if key == WOO.key:
            kept[key].append(woo_order_payload(order))
        elif key in kept:
            kept[key].append(shopify_order_payload(order))
    return {key: list(rows) for key, rows in kept.items()}


def build_sandbox(
    *,
    now: datetime,
    seed: int = 7,
    orders: int = 500,
    items: int | None = None,
    uploads: str | None = None,
) -> DemoSandbox:
    """Sandboxes holding the demo's orders: what `podtui demo` talks to instead of the internet."""
    payloads = store_payloads(now=now, seed=seed, orders=orders, items=items, uploads=uploads)
    woo = SandboxWooStore(
        payloads[WOO.key],
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
    printful = SandboxPrintful(
        token=PRINTFUL_TOKEN,
        store_id=int(PRINTFUL.settings["store_id"]),
        base_url=PRINTFUL.base_url,
        rate_limit_per_min=PRINTFUL.rate_limit_per_min,
    )
    shopify = {
        spec.name: SandboxShopify(
            payloads[spec.key],
            base_url=spec.base_url,
            token=SHOPIFY_TOKEN,
            shop_name=spec.name,
            currency=spec.currency,
            # Shopify Plus's budget (1,000 points a second): the demo syncs thousands of orders
            plan="Shopify Plus",
            maximum_available=20_000,
            restore_rate=1_000,
        )
        for spec in SHOPIFY_STORES
    }
    router = sandbox_router([woo, printify, printful, *shopify.values()])
    return DemoSandbox(woo, printify, router, printful, shopify=shopify)


_cache: dict[str, tuple[str, DemoSandbox]] = {}  # by URL: the seeding served, its sandboxes
_lock = threading.Lock()


def sandbox_for(db: Database) -> DemoSandbox | None:
    """The sandboxes matching the demo seeded into `db` (None when `db` holds no demo)."""
    with db.read() as session:
        store = session.exec(select(Store).where(Store.name == WOO.name)).first()
    if store is None or "demo_seed" not in store.settings:
        return None
    s = store.settings
    # Databases seeded before the instance mark was written are told apart by their settings.
    instance = str(s.get("demo_instance") or sorted(s.items()))
    with _lock:
        cached = _cache.get(db.url)
        found = cached[1] if cached is not None and cached[0] == instance else None
        if found is None:
            found = build_sandbox(
                now=datetime.fromisoformat(str(s["demo_now"])),
                seed=int(s["demo_seed"]),
                orders=int(s["demo_orders"]),
                items=None if s.get("demo_items") is None else int(s["demo_items"]),
                uploads=None if s.get("demo_uploads") is None else str(s["demo_uploads"]),
            )
            _cache[db.url] = (instance, found)
            from podtui.demo.vendor_orders import seed_sandbox_orders

            seed_sandbox_orders(db, found.printify)  # what the demo's history says it has
            from podtui.demo.vendor_history import seed_demo_history

            # What the demo's history says Printful and the in-house printer already hold.
            seed_demo_history(db, found.printful)
        return found


DEMO_TOKENS = {"printify": PRINTIFY_TOKEN, "printful": PRINTFUL_TOKEN}
LABEL = "demo sandbox, served in-process"


@dataclass(frozen=True)
class DemoReach:
    """A `Reach` that serves the demo's stores and vendors from its sandboxes, in-process."""

    sandbox: DemoSandbox

    def store_route(self, store: Store) -> Route | None:
        """WooCommerce's secret is "consumer key:consumer secret", Shopify's the access token."""
        kind = store.settings.get("sandbox")
        if kind == "woocommerce":
            return Route(self.sandbox.transport, f"{WOO_KEY}:{WOO_SECRET}", LABEL)
        if kind == "shopify" and store.name in self.sandbox.shopify:
            return Route(self.sandbox.transport, SHOPIFY_TOKEN, LABEL)
        return None

    def vendor_route(self, vendor: Vendor) -> Route | None:
        token = DEMO_TOKENS.get(vendor.kind)
        if not vendor.settings.get("demo") or token is None:
            return None
        return Route(self.sandbox.transport, token, LABEL)


def demo_reach(db: Database) -> DemoReach | None:
    """The Reach of the demo seeded into `db` (None when `db` holds no demo)."""
    sandbox = sandbox_for(db)
    return None if sandbox is None else DemoReach(sandbox)
