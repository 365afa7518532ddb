"""The sync service against a loopback WooCommerce sandbox and a real SQLite file."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, func, select

from podtui.db import Database
from podtui.domain.address import ShippingAddress
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Event, Order, OrderItem, Store, SyncProblem
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import Fault
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.items import actions
from podtui.services.items import shipping as item_shipping
from podtui.services.sync.pull import SyncOptions, resync_order, sync_store_async
from tests.adapters.stores.woo_support import T0, Clock, woo_order

pytestmark = pytest.mark.usefixtures("store")


async def sync(db: Database, store: Store, **kw: Any) -> Any:
    return await sync_store_async(db, store, SyncOptions(**kw))


def count(db: Database, model: Any, *where: Any) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def order_row(db: Database, store_order_id: str) -> Order:
    with db.read() as session:
        return session.exec(select(Order).where(Order.store_order_id == store_order_id)).one()


def items_of(db: Database, store_order_id: str) -> list[OrderItem]:
    order = order_row(db, store_order_id)
    with db.read() as session:
        return list(
            session.exec(
                select(OrderItem).where(OrderItem.order_id == order.id).order_by(col(OrderItem.id))
            ).all()
        )


def events(db: Database, *types: str) -> list[Event]:
    with db.read() as session:
        query = select(Event).order_by(col(Event.id))
        if types:
            query = query.where(col(Event.type).in_(types))
        return list(session.exec(query).all())


async def test_import_all_makes_managed_and_unmanaged_items(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 131):
        woo.add_order(woo_order(i))
    report = await sync(db, store, mode="all")
    assert report.ok, report.error
    assert (report.orders_created, report.items_created) == (130, 260)
    unmanaged, managed = items_of(db, "7")
    assert (unmanaged.product_id, unmanaged.managed) == ("93", False)
    assert (managed.product_id, managed.managed) == ("22", True)
    assert managed.status is ItemStatus.WAITING_APPROVAL
    assert managed.artwork_id is not None and managed.vendor_id is not None
    assert managed.personalization_raw[0]["key"] == "pa_color"
    order = order_row(db, "7")
    assert (order.name, order.ship_city, order.total) == ("#7", "San Francisco", "29.35")
    assert len(events(db, "imported")) == 260


async def test_syncing_twice_changes_nothing_and_adds_no_events(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 21):
        woo.add_order(woo_order(i))
    await sync(db, store)
    before = (count(db, Event), count(db, Order), count(db, OrderItem))
    for mode in ("incremental", "all"):
        report = await sync(db, store, mode=mode)
        assert report.ok and report.orders_created == report.orders_updated == 0
    assert (count(db, Event), count(db, Order), count(db, OrderItem)) == before
    with db.read() as session:
        row = session.get(Store, store.id)
        assert row is not None and row.sync_cursor and row.sync_failures == 0


async def test_an_incremental_sync_asks_only_for_changes_since_the_cursor(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    for i in range(1, 6):
        woo.add_order(woo_order(i, minutes=i * 60))
    await sync(db, store)
    clock.tick(60)
    woo.update_order(3, customer_note="Name: Ada")
    report = await sync(db, store)
    # The listing (the changed order's notes are read after it).
    listing = next(r for r in reversed(woo.requests) if r.url.path.endswith("/orders"))
    # The newest change seen was order 5's; a few minutes before it are asked for again.
    assert listing.url.params["modified_after"] == "2026-11-01T13:55:00"
    assert (report.orders_seen, report.orders_updated, report.orders_unchanged) == (2, 1, 1)
    assert order_row(db, "3").customer_note == "Name: Ada"
    (note_event,) = events(db, "store_note_changed")
    assert note_event.params["changes"]["customer_note"] == {"old": "", "new": "Name: Ada"}


async def test_store_side_changes_are_on_the_timeline(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store)
    clock.tick()
    woo.update_order(1, billing={"email": "jd@example.org"}, shipping={"city": "Oakland"})
    await sync(db, store)
    order = order_row(db, "1")
    assert (order.customer_email, order.ship_city) == ("jd@example.org", "Oakland")
    assert order.ship_email == "jd@example.org"
    assert [e.type for e in events(db, "store_customer_changed", "store_address_changed")] == [
        "store_customer_changed",
        "store_address_changed",
    ]


async def test_a_local_edit_wins_and_the_store_value_is_kept_beside_it(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store)
    item = items_of(db, "1")[1]
    assert item.id is not None
    new = ShippingAddress(
        name="John Doe", address1="1 Ferry Building", city="San Francisco", state="CA",
        postal_code="94111", country="US",
    )  # fmt: skip
    with db.write() as session:
        item_shipping.edit_shipping(session, item.id, new)
    clock.tick()
    woo.update_order(1, shipping={"address_1": "500 Howard St", "postcode": "94105"})
    await sync(db, store)
    order = order_row(db, "1")
    assert (order.ship_address1, order.ship_postal_code) == ("1 Ferry Building", "94111")
    assert order.store_pending == {"ship_address1": "500 Howard St", "ship_postal_code": "94105"}
    (kept,) = events(db, "store_change_kept_local")
    assert kept.params["changes"]["ship_address1"] == {
        "local": "1 Ferry Building",
        "store": "500 Howard St",
    }
    before = count(db, Event)
    clock.tick()
    woo.update_order(1, customer_note="")  # touched again, same address: nothing new to say
    await sync(db, store)
    assert count(db, Event) == before


async def test_a_store_cancellation_cancels_the_items_not_at_the_vendor(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store)
    clock.tick()
    woo.update_order(1, status="cancelled")
    await sync(db, store)
    unmanaged, managed = items_of(db, "1")
    assert managed.status is ItemStatus.CANCELED
    assert unmanaged.status is ItemStatus.MISSING_ARTWORK  # not ours to cancel
    (event,) = events(db, "store_order_canceled")
    assert event.params["canceled_item_ids"] == [managed.id]
    assert order_row(db, "1").store_status == "cancelled"
    assert managed.id is not None
    with db.write() as session:  # the operator can still bring it back
        restored = actions.restore(session, managed.id)
    assert restored.status is ItemStatus.WAITING_APPROVAL
    clock.tick()
    woo.update_order(1, customer_note="sorry")
    await sync(db, store)
    assert len(events(db, "store_order_canceled")) == 1  # a cancellation is acted on once


async def test_a_refund_is_recorded_and_cancels_open_items(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store)
    clock.tick()
    woo.update_order(1, status="refunded")
    await sync(db, store)
    assert items_of(db, "1")[1].status is ItemStatus.CANCELED
    assert order_row(db, "1").payment_status == "refunded"
    assert len(events(db, "store_order_refunded")) == 1


async def test_finished_orders_import_archived(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, status="completed"))
    woo.add_order(woo_order(2, status="cancelled"))
    woo.add_order(woo_order(3))
    await sync(db, store)
    assert [order_row(db, i).archived for i in ("1", "2", "3")] == [True, True, False]
    assert all(item.archived for item in items_of(db, "1"))


async def test_a_line_added_at_the_store_becomes_an_item(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store)
    clock.tick()
    lines = woo.orders[1]["line_items"] + [{**woo.orders[1]["line_items"][1], "id": 999}]
    woo.update_order(1, line_items=lines)
    report = await sync(db, store)
    assert report.items_created == 1
    assert [i.store_line_id for i in items_of(db, "1")] == ["10", "11", "999"]


async def test_unreadable_payloads_are_kept_once_and_settled_when_fixed(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    for i in range(1, 4):
        woo.add_order(woo_order(i))
    woo.orders[2]["total"] = "N/A"
    report = await sync(db, store, mode="all")
    assert report.ok and (report.orders_created, report.problems) == (2, 1)
    await sync(db, store, mode="all")
    with db.read() as session:
        (problem,) = session.exec(select(SyncProblem)).all()
    assert problem.store_order_id == "2" and "total" in problem.reason and '"N/A"' in problem.raw
    clock.tick()
    woo.update_order(2, total="29.35")
    await sync(db, store)
    with db.read() as session:
        assert session.exec(select(SyncProblem)).one().resolved
    assert count(db, Order) == 3


async def test_sync_by_ids_and_by_date_range(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 11):
        woo.add_order(woo_order(i, minutes=i * 60))
    report = await sync(db, store, mode="ids", ids=("2", "5", "404"))
    assert report.orders_created == 2 and report.problems == 1
    report = await sync(db, store, mode="since", since=T0 + timedelta(hours=7, minutes=30))
    assert report.orders_created == 3  # orders 8, 9, 10
    assert count(db, Order) == 5
    with db.read() as session:
        row = session.get(Store, store.id)
        assert row is not None and row.sync_cursor is None  # only full listings move it


async def test_faults_during_a_sync_lose_and_double_nothing(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 321):
        woo.add_order(woo_order(i))
    woo.inject(Fault("status", 429, retry_after=0.05, path="/orders"))
    woo.inject(Fault("drop", path="/orders"))
    woo.inject(Fault("status", 503, path="/orders"))
    woo.inject(Fault("malformed", path="/orders"))
    report = await sync(db, store, mode="all")
    assert report.ok, report.error
    assert count(db, Order) == 320 and count(db, OrderItem) == 640


async def test_a_failing_store_is_recorded_and_the_cursor_stays(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store)
    with db.read() as session:
        cursor = session.get(Store, store.id).sync_cursor  # type: ignore[union-attr]
    woo.inject(Fault("status", 500, path="/orders", times=50))
    for _ in range(2):
        report = await sync(db, store)
        assert not report.ok and "HTTP 500" in (report.error or "")
    with db.read() as session:
        row = session.get(Store, store.id)
        assert row is not None
        assert (row.sync_failures, row.sync_cursor) == (2, cursor)
        assert "HTTP 500" in (row.last_sync_error or "")
    woo.faults.clear()
    assert (await sync(db, store)).ok
    with db.read() as session:
        row = session.get(Store, store.id)
        assert row is not None and row.sync_failures == 0 and row.last_sync_error is None


async def test_missing_credentials_and_unknown_kinds_fail_cleanly(
    db: Database, keyring_backend: Any
) -> None:
    with db.write() as session:
        nokey = Store(name="No Key", kind="woocommerce", base_url="https://nokey.example")
        other = Store(name="Legacy", kind="magento", base_url="https://legacy.example")
        session.add_all([nokey, other])
    report = await sync(db, nokey)
    assert report.error is not None and "PODTUI_WOOCOMMERCE_NO_KEY_TOKEN" in report.error
    report = await sync(db, other)
    assert report.error is not None and "magento" in report.error


def test_options_refuse_what_cannot_be_done() -> None:
    with pytest.raises(ValidationError):
        SyncOptions(mode="ids")
    with pytest.raises(ValidationError):
        SyncOptions(mode="since")
    with pytest.raises(ValidationError):
        SyncOptions(mode="since", since=T0, until=T0 - timedelta(days=1))


async def test_unpaid_orders_wait_on_hold_until_the_store_is_paid(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1, status="on-hold", payment_method="bacs"))
    await sync(db, store)
    unmanaged, managed = items_of(db, "1")
    assert managed.status is ItemStatus.ON_HOLD
    assert managed.hold_reason == "Awaiting payment at the store (order on-hold)"
    assert managed.status_before is ItemStatus.WAITING_APPROVAL
    assert unmanaged.status is ItemStatus.MISSING_ARTWORK
    clock.tick()
    woo.update_order(1, status="processing")
    await sync(db, store)
    assert items_of(db, "1")[1].status is ItemStatus.WAITING_APPROVAL
    assert [e.type for e in events(db, "hold", "release")] == ["hold", "release"]


async def test_resync_of_one_order_brings_the_stores_changes_once(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    woo.add_order(woo_order(1))
    woo.add_order(woo_order(2))
    await sync(db, store)
    clock.tick(5)
    woo.update_order(1, customer_note="Please gift wrap")
    order_id = order_row(db, "1").id
    assert order_id is not None
    report = await asyncio.to_thread(resync_order, db, order_id)
    assert (report.orders_seen, report.orders_updated) == (1, 1)
    assert woo.requests[-1].url.params["include"] == "1"  # only this order was asked for
    assert order_row(db, "1").customer_note == "Please gift wrap"
    again = await asyncio.to_thread(resync_order, db, order_id)
    assert again.orders_updated == 0 and len(events(db, "store_note_changed")) == 1


async def test_resync_of_a_store_that_fails_says_why_and_changes_nothing(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1))
    await sync(db, store)
    before = count(db, Event)
    woo.inject(Fault("status", 401, times=10, body={"code": "woocommerce_rest_cannot_view",
                     "message": "Sorry, you cannot view this resource.",
                     "data": {"status": 401}}))  # fmt: skip
    order_id = order_row(db, "1").id
    with pytest.raises(DomainError, match=r"Re-sync of .* failed: .*cannot view"):
        await asyncio.to_thread(resync_order, db, order_id)
    assert count(db, Event) == before
