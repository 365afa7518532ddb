"""The demo's sandbox WooCommerce store syncs for real into the demo database."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import func, select

from podtui.db import Database
from podtui.demo.sandboxes import WOO, demo_reach, sandbox_for
from podtui.demo.seed import seed_demo
from podtui.domain.models import Event, Order, OrderItem, Store
from podtui.services.sync.pull import SyncOptions, find_stores, sync_store_async

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _count(db: Database, model: object) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())  # type: ignore[call-overload]


async def test_the_demo_store_syncs_what_the_database_already_has(db: Database) -> None:
    seed_demo(db, orders=120, seed=3, now=NOW, hotfolder_path="/tmp/demo-hotfolder")
    before = (_count(db, Order), _count(db, OrderItem), _count(db, Event))
    (lumen,) = find_stores(db, [WOO.name])
    report = await sync_store_async(db, lumen, SyncOptions(mode="all"), reach=demo_reach(db))
    assert report.ok, report.error
    assert report.orders_seen > 20 and report.orders_created == report.orders_updated == 0
    assert (_count(db, Order), _count(db, OrderItem), _count(db, Event)) == before
    # A new order at the sandbox store arrives with the next incremental sync.
    sandbox = sandbox_for(db)
    assert sandbox is not None
    newest = max(sandbox.woo.orders.values(), key=lambda o: o["id"])
    fresh = {k: v for k, v in newest.items() if not k.startswith(("date_created", "date_mod"))}
    sandbox.woo.add_order({**fresh, "id": newest["id"] + 1000, "number": "9999"})  # made now
    report = await sync_store_async(db, lumen, reach=demo_reach(db))
    assert report.orders_created == 1 and report.items_created >= 1


async def test_shopify_stores_fail_cleanly_while_woo_syncs(db: Database) -> None:
    seed_demo(db, orders=60, seed=3, now=NOW, hotfolder_path="/tmp/demo-hotfolder")
    reach = demo_reach(db)
    reports = [await sync_store_async(db, s, reach=reach) for s in find_stores(db)]
    by_kind = {r.store: r for r in reports}
    assert by_kind[WOO.name].ok
    with db.read() as session:
        rows = session.exec(select(Store)).all()
    for row in rows:
        if row.kind == "shopify" and not by_kind[row.name].ok:
            assert row.sync_failures == 1 and row.last_sync_error
