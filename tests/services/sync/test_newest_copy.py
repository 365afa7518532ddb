"""Point 1 of the store's truth: when a listing shows an order twice, the newest copy wins."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from podtui.db import Database
from podtui.domain.address import ShippingAddress
from podtui.domain.models import Event, Order, OrderItem, Store
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.items import shipping as item_shipping
from tests.adapters.stores.woo_support import T0, Clock, woo_order
from tests.services.sync.test_sync_service import count, events, items_of, order_row, sync

pytestmark = pytest.mark.usefixtures("store")


def _fmt(minutes: int) -> str:
    return (T0 + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%S")


def copy_at(order: dict[str, Any], minutes: int, **shipping: str) -> dict[str, Any]:
    """`order` as the store held it at T0 + `minutes`, with these shipping fields."""
    out = copy.deepcopy(order)
    out["date_modified_gmt"] = out["date_modified"] = _fmt(minutes)
    out["shipping"] = {**out["shipping"], **shipping}
    return out


async def resync_changes_nothing(db: Database, store: Store) -> None:
    before = (count(db, Event), count(db, Order), count(db, OrderItem))
    for mode in ("incremental", "all"):
        report = await sync(db, store, mode=mode)
        assert report.ok, report.error
        assert (report.orders_created, report.orders_updated) == (0, 0), mode
    assert (count(db, Event), count(db, Order), count(db, OrderItem)) == before


async def test_an_older_copy_listed_on_a_later_page_does_not_overwrite_the_newer(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 151):
        woo.add_order(woo_order(i))
    newer = woo.orders[5]
    newer.update(date_modified_gmt=_fmt(500), date_modified=_fmt(500))
    newer["shipping"]["city"] = "Oakland"
    woo.list_copy(copy_at(newer, 200, city="Fresno"), after=140)  # page 2, older
    report = await sync(db, store, mode="all")
    assert report.ok, report.error
    assert order_row(db, "5").ship_city == "Oakland"
    assert count(db, Order) == 150
    await resync_changes_nothing(db, store)
    assert order_row(db, "5").ship_city == "Oakland"


async def test_a_newer_copy_listed_later_wins_over_the_first_one_met(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 151):
        woo.add_order(woo_order(i))
    current = woo.orders[5]
    current.update(date_modified_gmt=_fmt(500), date_modified=_fmt(500))
    current["shipping"]["city"] = "Oakland"
    woo.orders[5] = copy_at(current, 200, city="Fresno")  # page 1 lists the stale copy
    woo.list_copy(current, after=140)  # page 2 lists the current one
    await sync(db, store, mode="all")
    order = order_row(db, "5")
    assert order.ship_city == "Oakland"
    assert order.store_updated_at is not None
    assert order.store_updated_at.replace(tzinfo=None) == (T0 + timedelta(minutes=500)).replace(
        tzinfo=None
    )
    assert len(items_of(db, "5")) == 2  # one order, not two


async def test_within_one_page_the_newest_copy_of_a_new_order_wins(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 11):
        woo.add_order(woo_order(i))
    stale = copy_at(woo.orders[3], 1, city="Fresno")
    woo.orders[3].update(date_modified_gmt=_fmt(90), date_modified=_fmt(90))
    woo.list_copy(stale, after=8)
    await sync(db, store, mode="all")
    assert order_row(db, "3").ship_city == "San Francisco"
    await resync_changes_nothing(db, store)


async def test_equal_times_the_copy_listed_last_wins(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 151):
        woo.add_order(woo_order(i))
    woo.list_copy(copy_at(woo.orders[5], 5, city="Berkeley"), after=140)
    await sync(db, store, mode="all")
    assert order_row(db, "5").ship_city == "Berkeley"
    await resync_changes_nothing(db, store)
    assert order_row(db, "5").ship_city == "Berkeley"


async def test_a_full_sync_reapplies_a_copy_that_differs_whatever_the_cursor(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    for i in range(1, 6):
        woo.add_order(woo_order(i))
    await sync(db, store, mode="all")
    # The store changed the order without moving its time (a direct database edit).
    woo.orders[2]["shipping"]["city"] = "Sacramento"
    await sync(db, store)  # incremental: the cursor says nothing changed
    assert order_row(db, "2").ship_city == "San Francisco"
    report = await sync(db, store, mode="all")
    assert report.orders_updated == 1
    assert order_row(db, "2").ship_city == "Sacramento"
    assert len(events(db, "store_address_changed")) == 1
    await resync_changes_nothing(db, store)


async def test_a_local_edit_keeps_its_value_beside_the_newest_store_copy(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    for i in range(1, 151):
        woo.add_order(woo_order(i))
    await sync(db, store, mode="all")
    item = items_of(db, "5")[1]
    assert item.id is not None
    local = ShippingAddress(
        name="John Doe", address1="1 Ferry Building", city="San Francisco", state="CA",
        postal_code="94111", country="US",
    )  # fmt: skip
    with db.write() as session:
        item_shipping.edit_shipping(session, item.id, local)
    current = woo.orders[5]
    current.update(date_modified_gmt=_fmt(500), date_modified=_fmt(500))
    current["shipping"]["address_1"] = "500 Howard St"
    woo.list_copy(copy_at(current, 200, address_1="1 Old Road"), after=140)
    await sync(db, store, mode="all")
    order = order_row(db, "5")
    assert order.ship_address1 == "1 Ferry Building"
    assert order.store_pending["ship_address1"] == "500 Howard St"
    await resync_changes_nothing(db, store)
    assert order_row(db, "5").store_pending["ship_address1"] == "500 Howard St"
