"""Point 3 of the store's truth: refunds and removed lines reach the items."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.models import Event, Order, OrderItem, ProductMapping, Store
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.items.order_detail import read_order_detail
from podtui.services.items.split import split
from podtui.services.sync.pull import SyncOptions, sync_store_async
from podtui.widgets.detail_text import item_card
from tests.adapters.stores.shopify_support import adapter_for, rest_order, shop
from tests.adapters.stores.woo_support import Clock, woo_order
from tests.services.sync.test_sync_service import count, events, items_of, sync

pytestmark = pytest.mark.usefixtures("store")

MANAGED_LINE = 11  # woo_order(1): line 10 is product 93 (not produced), 11 is product 22


def open_items(db: Database, store_order_id: str = "1") -> list[OrderItem]:
    return [i for i in items_of(db, store_order_id) if i.managed]


async def resync_changes_nothing(db: Database, store: Store, **kw: Any) -> None:
    before = (count(db, Event), count(db, Order), count(db, OrderItem))
    for mode in ("incremental", "all"):
        report = await sync_store_async(db, store, SyncOptions(mode=mode), **kw)
        assert report.ok, report.error
        assert (report.orders_created, report.orders_updated) == (0, 0), mode
    assert (count(db, Event), count(db, Order), count(db, OrderItem)) == before


def three_of_the_managed_line() -> dict[str, Any]:
    order = woo_order(1)
    line = order["line_items"][1]
    line.update(quantity=3, subtotal="36.00", total="36.00")
    return order


async def test_a_partial_refund_reduces_the_item_then_a_full_one_cancels_it(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(three_of_the_managed_line())
    await sync(db, store, mode="all")
    (item,) = open_items(db)
    assert item.quantity == 3
    clock.tick()
    woo.refund(1, {MANAGED_LINE: 1}, reason="one too many")
    await sync(db, store)
    (item,) = open_items(db)
    assert (item.quantity, item.status) == (2, ItemStatus.WAITING_APPROVAL)
    (event,) = events(db, "store_quantity_reduced")
    assert event.params["from"] == 3 and event.params["to"] == 2
    # The line quantities came from GET orders/<id>/refunds, as WooCommerce gives them.
    assert any(r.url.path.endswith("/orders/1/refunds") for r in woo.requests)
    await resync_changes_nothing(db, store)
    clock.tick()
    woo.refund(1, {MANAGED_LINE: 2})
    await sync(db, store)
    (item,) = open_items(db)
    assert item.status is ItemStatus.CANCELED
    await resync_changes_nothing(db, store)


async def test_a_line_removed_at_the_store_cancels_its_item(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store, mode="all")
    clock.tick()
    woo.update_order(1, line_items=[woo.orders[1]["line_items"][0]])
    await sync(db, store)
    (item,) = open_items(db)
    assert item.status is ItemStatus.CANCELED
    await resync_changes_nothing(db, store)


async def test_a_refund_takes_the_split_parts_from_the_last_one(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(three_of_the_managed_line())
    await sync(db, store, mode="all")
    (item,) = open_items(db)
    assert item.id is not None
    with db.write() as session:
        split(session, item.id, [1, 2])
    clock.tick()
    woo.refund(1, {MANAGED_LINE: 2})
    await sync(db, store)
    live = [i for i in open_items(db) if i.status is not ItemStatus.CANCELED]
    assert sum(i.quantity for i in live) == 1
    await resync_changes_nothing(db, store)


async def test_a_refund_after_sending_flags_the_item_and_offers_to_cancel_at_the_vendor(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store, mode="all")
    (item,) = open_items(db)
    with db.write() as session:  # the vendor has it
        row = session.get(OrderItem, item.id)
        assert row is not None
        row.status = ItemStatus.SENT
        session.add(row)
    clock.tick()
    woo.refund(1, {MANAGED_LINE: 1})
    await sync(db, store)
    (item,) = open_items(db)
    assert item.status is ItemStatus.SENT
    assert item.store_flag is not None
    assert "refunded at the store after it was sent" in item.store_flag
    assert len(events(db, "store_refunded_after_sent")) == 1
    with db.read() as session:
        detail = read_order_detail(session, item.order_id)
    d = detail.item(item.id or 0)
    assert d is not None
    card = item_card(d, detail, "").plain
    assert "refunded at the store after it was sent" in card and "X: cancel at the vendor" in card
    await resync_changes_nothing(db, store)


async def test_shopify_current_quantity_reaches_the_items(db: Database) -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, lines=2))
    with db.write() as session:
        row = Store(name="Loopback Shop", kind="shopify", base_url="http://127.0.0.1")
        session.add(row)
        session.flush()
        session.add(ProductMapping(store_id=row.id, product_id="632910392"))
    with serve_loopback(sandbox.handler) as url:
        adapter = adapter_for(url)
        try:
            await sync_store_async(db, row, SyncOptions(mode="all"), adapter=adapter)
            first, second = items_of(db, "1001")
            assert (first.quantity, second.quantity) == (1, 1)
            sandbox.refund_line(1001, 100_101, 1)
            report = await sync_store_async(db, row, SyncOptions(mode="all"), adapter=adapter)
            assert report.ok, report.error
            first, second = items_of(db, "1001")
            assert first.status is not ItemStatus.CANCELED
            assert second.status is ItemStatus.CANCELED
            await resync_changes_nothing(db, row, adapter=adapter)
        finally:
            await adapter.aclose()
    with db.read() as session:
        order = session.exec(select(Order).where(Order.store_order_id == "1001")).one()
    assert order.payment_status == "partially_refunded"
