"""Fixtures for service tests: a migrated SQLite file per test (copied from one template) and
small builders for stores, vendors, orders and items in any status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.models import (
    Artwork,
    Event,
    Order,
    OrderItem,
    RenderJob,
    Store,
    Vendor,
)
from podtui.domain.status import ItemStatus

CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Shop:
    """Rows most tests need, and builders for the rest."""

    db: Database
    store_id: int
    integrated_vendor_id: int
    manual_vendor_id: int
    artwork_id: int
    other_artwork_id: int
    _orders: int = 0

    def order(self, **kw: Any) -> int:
        self._orders += 1
        n = 1000 + self._orders
        values: dict[str, Any] = {
            "store_id": self.store_id,
            "store_order_id": str(n),
            "name": f"#{n}",
            "created_at": CREATED,
            "customer_name": "Ada Lovelace",
            "ship_name": "Ada Lovelace",
            "ship_address1": "1 Market St",
            "ship_city": "San Francisco",
            "ship_state": "CA",
            "ship_postal_code": "94105",
            "ship_country": "US",
        }
        values.update(kw)
        with self.db.write() as s:
            order = Order(**values)
            s.add(order)
            s.flush()
            assert order.id is not None
            return order.id

    def item(
        self,
        status: ItemStatus = ItemStatus.WAITING_APPROVAL,
        *,
        order_id: int | None = None,
        vendor: str | None = "integrated",
        **kw: Any,
    ) -> int:
        if order_id is None:
            order_id = self.order()
        vendor_id = {
            "integrated": self.integrated_vendor_id,
            "manual": self.manual_vendor_id,
            None: None,
        }[vendor]
        values: dict[str, Any] = {
            "order_id": order_id,
            "store_id": self.store_id,
            "order_created_at": CREATED,
            "product_id": "p1",
            "variant_id": "v1",
            "sku": "MUG-11",
            "title": "Mug 11oz",
            "quantity": 1,
            "status": status,
            "vendor_id": vendor_id,
            "artwork_id": None if status is ItemStatus.MISSING_ARTWORK else self.artwork_id,
            "personalization_raw": [{"key": "Name", "value": "Zoë"}],
            "personalization": {"name": "Zoë"},
        }
        if status in (ItemStatus.ON_HOLD, ItemStatus.IGNORED, ItemStatus.CANCELED):
            values["status_before"] = (
                ItemStatus.SENT if status is ItemStatus.CANCELED else ItemStatus.READY
            )
        if status is ItemStatus.ON_HOLD:
            values["hold_reason"] = "customer asked to wait"
        values.update(kw)
        with self.db.write() as s:
            item = OrderItem(**values)
            s.add(item)
            s.flush()
            assert item.id is not None
            return item.id

    # --- reading back -------------------------------------------------------------------

    def get(self, item_id: int) -> OrderItem:
        with self.db.read() as s:
            item = s.get(OrderItem, item_id)
            assert item is not None
            return item

    def get_order(self, order_id: int) -> Order:
        with self.db.read() as s:
            order = s.get(Order, order_id)
            assert order is not None
            return order

    def events(self, *, item_id: int | None = None, order_id: int | None = None) -> list[Event]:
        with self.db.read() as s:
            query = select(Event).order_by(col(Event.id))
            if item_id is not None:
                query = query.where(Event.item_id == item_id)
            if order_id is not None:
                query = query.where(Event.order_id == order_id)
            return list(s.exec(query).all())

    def all_events(self) -> list[Event]:
        return self.events()

    def jobs(self, item_id: int) -> list[RenderJob]:
        with self.db.read() as s:
            return list(s.exec(select(RenderJob).where(RenderJob.item_id == item_id)).all())

    def count(self, model: type[Any]) -> int:
        with self.db.read() as s:
            return len(s.exec(select(model)).all())


@pytest.fixture
def shop(db: Database) -> Shop:
    with db.write() as s:
        store = Store(name="Sandbox Woo", kind="woocommerce")
        printify = Vendor(name="Printify", kind="printify")
        manual = Vendor(name="Back room", kind="manual")
        art = Artwork(name="Name mug", fields=["name"])
        art2 = Artwork(name="Date mug", fields=["name", "date"])
        s.add_all([store, printify, manual, art, art2])
        s.flush()
        ids = (store.id, printify.id, manual.id, art.id, art2.id)
    assert all(i is not None for i in ids)
    return Shop(db, *ids)  # type: ignore[arg-type]
