"""The demo's Shopify stores sync for real (Admin GraphQL sandbox) into the demo database."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from sqlmodel import func, select

from podtui.db import Database
from podtui.demo.sandboxes import SHOPIFY_STORES, demo_reach, sandbox_for
from podtui.demo.seed import seed_demo
from podtui.domain.models import Event, Order, OrderItem
from podtui.services.sync.pull import SyncOptions, find_stores, sync_store_async

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _count(db: Database, model: object) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())  # type: ignore[call-overload]


async def test_shopify_demo_stores_sync_what_the_database_has(db: Database) -> None:
    seed_demo(db, orders=150, seed=3, now=NOW, hotfolder_path="/tmp/demo-hotfolder")
    before = (_count(db, Order), _count(db, OrderItem), _count(db, Event))
    stores = find_stores(db, [s.name for s in SHOPIFY_STORES])
    assert len(stores) == 2
    for store in stores:
        report = await sync_store_async(db, store, SyncOptions(mode="all"), reach=demo_reach(db))
        assert report.ok, report.error
        assert report.orders_seen > 10
        assert report.orders_created == report.orders_updated == 0, report
    assert (_count(db, Order), _count(db, OrderItem), _count(db, Event)) == before
    # a new order at the Shopify shop comes in with the next incremental sync
    sandbox = sandbox_for(db)
    assert sandbox is not None
    shop = sandbox.shopify[stores[0].name]
    newest = max(shop.orders)
    payload = copy.deepcopy(shop.orders[newest])
    rest = {
        "id": newest + 1000,
        "name": "#99999",
        "currency": payload["currencyCode"],
        "total_price": "25.00",
        "financial_status": "paid",
        "line_items": [
            {**line, "id": 88_000_000 + i}
            for i, line in enumerate(
                {
                    "title": li["title"],
                    "quantity": li["quantity"],
                    "price": li["originalUnitPriceSet"]["shopMoney"]["amount"],
                    "product_id": int(li["product"]["legacyResourceId"]),
                    "variant_id": int(li["variant"]["legacyResourceId"]),
                    "sku": li["sku"],
                    "properties": [
                        {"name": a["key"], "value": a["value"]} for a in li["customAttributes"]
                    ],
                }
                for li in shop.lines[newest]
            )
        ],
    }
    shop.add_order(rest)
    report = await sync_store_async(db, stores[0], reach=demo_reach(db))
    assert report.ok, report.error
    assert report.orders_created == 1 and report.items_created >= 1
