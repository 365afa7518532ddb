"""Point 4 of the store's truth: a store's test orders never print by themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.models import Order, OrderItem, Store, Vendor
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.items.order_detail import read_order_detail
from podtui.services.listing.filters import format_filter, parse_filter
from podtui.services.listing.query import ListQuery, WindowRequest
from podtui.services.listing.reader import ListReader
from podtui.services.sending import countdown
from podtui.services.sending.fulfil import TEST_SKIP, SendOptions, send_items
from podtui.services.sync.pull import SyncOptions, sync_store_async
from podtui.widgets.detail_text import header
from tests.adapters.stores.shopify_support import adapter_for, rest_order, shop
from tests.adapters.stores.woo_support import T0, woo_order
from tests.services.sync.test_sync_service import items_of, order_row, sync

pytestmark = pytest.mark.usefixtures("store")


def wcpay(mode: str) -> list[dict[str, str]]:
    return [{"id": 1, "key": "_wcpay_mode", "value": mode}]


async def test_the_default_woo_rule_marks_woopayments_test_mode(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, meta_data=wcpay("test")))
    woo.add_order(woo_order(2, meta_data=wcpay("prod")))
    await sync(db, store, mode="all")
    assert (order_row(db, "1").test, order_row(db, "2").test) == (True, False)
    with db.read() as session:
        detail = read_order_detail(session, order_row(db, "1").id or 0)
    assert "TEST ORDER" in header(detail).plain


async def test_a_store_names_its_own_rule(db: Database, store: Store, woo: SandboxWooStore) -> None:
    with db.write() as session:
        row = session.get(Store, store.id)
        assert row is not None
        row.settings = {"test_orders": {"payment_methods": ["cod"], "coupons": ["TESTME"]}}
        session.add(row)
    woo.add_order(woo_order(1, payment_method="cod"))
    woo.add_order(woo_order(2, coupon_lines=[{"id": 3, "code": "testme"}]))
    woo.add_order(woo_order(3, meta_data=wcpay("test")))  # the default no longer applies
    await sync(db, store, mode="all")
    assert [order_row(db, i).test for i in ("1", "2", "3")] == [True, True, False]


def test_the_test_filter_parses_and_prints_back() -> None:
    for text in ("test:only", "test:hide"):
        f = parse_filter(text)
        assert format_filter(f) == text
    assert parse_filter("").test == "show"


async def test_the_list_shows_filters_and_badges_test_orders(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, meta_data=wcpay("test")))
    woo.add_order(woo_order(2))
    await sync(db, store, mode="all")
    reader = ListReader(db.url)
    try:

        def names(text: str) -> list[tuple[str, bool]]:
            query = ListQuery(filter=parse_filter(text + " unmanaged:show"), tab="all")
            r = reader.resolve(query, T0 + timedelta(days=40))
            rows = reader.window(r, WindowRequest("first", 50)).rows
            return sorted({(row.order_name, row.test) for row in rows})

        assert names("") == [("#1", True), ("#2", False)]
        assert names("test:only") == [("#1", True)]
        assert names("test:hide") == [("#2", False)]
    finally:
        reader.close()


async def test_test_orders_are_never_picked_for_automatic_submission(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, meta_data=wcpay("test"), created_via="checkout"))
    woo.add_order(woo_order(2, created_via="checkout"))
    await sync(db, store, mode="all")
    with db.write() as session:
        row = session.get(Store, store.id)
        assert row is not None
        row.auto_submit_hours = 1.0
        session.add(row)
        for item in session.exec(select(OrderItem).where(OrderItem.managed)).all():
            item.status = ItemStatus.READY
            session.add(item)
    later = T0 + timedelta(days=400)
    countdown.refresh(db, now=later)
    due = countdown.due_items(db, now=later + timedelta(hours=2))
    test_item = next(i for i in items_of(db, "1") if i.managed)
    real_item = next(i for i in items_of(db, "2") if i.managed)
    assert real_item.id in due and test_item.id not in due
    assert test_item.auto_submit_at is None


async def test_sending_a_test_order_needs_the_second_yes(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, meta_data=wcpay("test")))
    await sync(db, store, mode="all")
    item = next(i for i in items_of(db, "1") if i.managed)
    assert item.id is not None
    outcome = send_items(db, [item.id], options=SendOptions(render_missing=False))
    assert outcome.skipped == {item.id: TEST_SKIP}
    assert next(i for i in items_of(db, "1") if i.managed).status is item.status


async def test_shopify_test_flag_is_read(db: Database) -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, test=True))
    sandbox.add_order(rest_order(2))
    with db.write() as session:
        row = Store(name="Loopback Shop", kind="shopify", base_url="http://127.0.0.1")
        session.add_all([row, Vendor(name="V", kind="manual")])
    with serve_loopback(sandbox.handler) as url:
        adapter = adapter_for(url)
        try:
            await sync_store_async(db, row, SyncOptions(mode="all"), adapter=adapter)
        finally:
            await adapter.aclose()
    with db.read() as session:
        tests = dict(session.exec(select(Order.store_order_id, Order.test)).all())
    assert tests == {"1001": True, "1002": False}


async def test_placing_a_test_order_makes_one_that_never_prints(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    from podtui.services.sync.test_order import place_test_order_async

    placed = await place_test_order_async(db, store.name)
    payload = woo.orders[int(placed.store_order_id)]
    assert {"key": "_podtui_test_order", "value": "yes"} in [
        {"key": m["key"], "value": m["value"]} for m in payload["meta_data"]
    ]
    order = order_row(db, placed.store_order_id)
    assert order.test and order.source == "others"
    (item,) = [i for i in items_of(db, placed.store_order_id) if i.managed]
    assert item.product_id == "22" and item.quantity == 1
