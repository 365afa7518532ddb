"""Fixtures for vendor tests: loopback vendor servers, adapters on them, and a shop database
(copied from one migrated template) with items handed to a vendor through Submission rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.models import (
    Event,
    Order,
    OrderItem,
    Shipment,
    Store,
    Submission,
    SubmissionItem,
    Vendor,
)
from podtui.domain.status import ItemStatus

CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


# --- a shop database ----------------------------------------------------------------------------


@dataclass
class Shop:
    """A store, its vendors, and builders for vendor orders already handed over."""

    db: Database
    store_id: int
    vendors: dict[str, int]
    _orders: int = 0

    def vendor(self, key: str) -> Vendor:
        with self.db.read() as s:
            vendor = s.get(Vendor, self.vendors[key])
            assert vendor is not None
            return vendor

    def sent_order(
        self,
        vendor: str = "printful",
        *,
        items: int = 2,
        key: str | None = None,
        vendor_order_id: str | None = "61000001",
        status: ItemStatus = ItemStatus.SENT,
        skus: list[str] | None = None,
    ) -> tuple[int, list[int]]:
        """An order whose items went to `vendor` in one submission: (submission id, item ids)."""
        self._orders += 1
        n = 1000 + self._orders
        with self.db.write() as s:
            order = Order(
                store_id=self.store_id,
                store_order_id=str(n),
                name=f"#{n}",
                created_at=CREATED,
                ship_name="Ada Lovelace",
                ship_address1="19749 Dearborn St",
                ship_city="Chatsworth",
                ship_state="CA",
                ship_postal_code="91311",
                ship_country="US",
            )
            s.add(order)
            s.flush()
            rows = [
                OrderItem(
                    order_id=order.id,  # type: ignore[arg-type]
                    store_id=self.store_id,
                    order_created_at=CREATED,
                    sku=(skus[i] if skus else f"TEE-{n}-{i}"),
                    title="Custom Pet Tee",
                    status=status,
                    vendor_id=self.vendors[vendor],
                    submitted_at=CREATED,
                )
                for i in range(items)
            ]
            s.add_all(rows)
            submission = Submission(
                idempotency_key=key or f"PT-{n}",
                vendor_id=self.vendors[vendor],
                state="sent",
                vendor_order_id=vendor_order_id,
            )
            s.add(submission)
            s.flush()
            for row in rows:
                s.add(SubmissionItem(submission_id=submission.id, item_id=row.id))  # type: ignore[arg-type]
            ids = [r.id for r in rows]
            assert submission.id is not None and all(i is not None for i in ids)
            return submission.id, ids  # type: ignore[return-value]

    def item(self, item_id: int) -> OrderItem:
        with self.db.read() as s:
            item = s.get(OrderItem, item_id)
            assert item is not None
            return item

    def statuses(self, ids: list[int]) -> list[ItemStatus]:
        return [self.item(i).status for i in ids]

    def events(self) -> list[Event]:
        with self.db.read() as s:
            return list(s.exec(select(Event).order_by(col(Event.id))).all())

    def shipments(self) -> list[Shipment]:
        with self.db.read() as s:
            return list(s.exec(select(Shipment).order_by(col(Shipment.id))).all())


@pytest.fixture
def shop(db: Database, tmp_path: Path) -> Shop:
    hot = tmp_path / "hot"
    hot.mkdir()
    with db.write() as s:
        store = Store(name="Sandbox Woo", kind="woocommerce")
        vendors = {
            "printful": Vendor(name="Printful", kind="printful", settings={"timeout": 0.5}),
            "printify": Vendor(name="Printify", kind="printify"),
            "hotfolder": Vendor(name="In-house DTG", kind="hotfolder", settings={"path": str(hot)}),
            "manual": Vendor(name="Back room", kind="manual"),
        }
        s.add(store)
        s.add_all(vendors.values())
        s.flush()
        assert store.id is not None
        return Shop(db, store.id, {k: v.id for k, v in vendors.items()})  # type: ignore[misc]
