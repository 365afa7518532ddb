"""Fixtures for sending: a sandbox Printify on a real loopback socket and a shop with Ready items.

The shop's items have tiny print files and a product mapping with Printify ids, so the real
adapter uploads, creates and sends to production over HTTP against the sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.models import (
    Event,
    Order,
    OrderItem,
    PrintFile,
    ProductMapping,
    Store,
    Submission,
    Vendor,
)
from podtui.domain.status import ItemStatus
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.sending.delivery import Backoff
from podtui.services.sending.fulfil import SendOptions
from tests.adapters.vendors.printify_support import SHOP_ID, TOKEN, tiny_png

CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass
class Shop:
    db: Database
    store_id: int
    vendor_id: int
    manual_id: int
    files: Path
    _n: int = 0

    def order(self, **kw: Any) -> int:
        self._n += 1
        n = 2000 + self._n
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
            "ship_email": "ada@example.com",
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
        status: ItemStatus = ItemStatus.READY,
        *,
        order_id: int | None = None,
        vendor: str = "printify",
        print_file: bool = True,
        **kw: Any,
    ) -> int:
        if order_id is None:
            order_id = self.order()
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
            "vendor_id": self.vendor_id if vendor == "printify" else self.manual_id,
        }
        values.update(kw)
        with self.db.write() as s:
            item = OrderItem(**values)
            s.add(item)
            s.flush()
            assert item.id is not None
            if print_file:
                path = self.files / f"{item.id}.png"
                path.write_bytes(tiny_png())
                s.add(PrintFile(item_id=item.id, path=str(path), width=4, height=4))
            return item.id

    def items(self, n: int, **kw: Any) -> list[int]:
        return [self.item(**kw) for _ in range(n)]

    def status(self, item_id: int) -> ItemStatus:
        with self.db.read() as s:
            item = s.get(OrderItem, item_id)
            assert item is not None
            return item.status

    def statuses(self, ids: list[int]) -> dict[int, ItemStatus]:
        return {i: self.status(i) for i in ids}

    def submissions(self) -> list[Submission]:
        with self.db.read() as s:
            return list(s.exec(select(Submission).order_by(col(Submission.id))).all())

    def events(self, item_id: int) -> list[Event]:
        with self.db.read() as s:
            return list(
                s.exec(select(Event).where(Event.item_id == item_id).order_by(col(Event.id)))
            )

    def vendor(self) -> Vendor:
        with self.db.read() as s:
            vendor = s.get(Vendor, self.vendor_id)
            assert vendor is not None
            return vendor

    def vendor_settings(self, **settings: Any) -> None:
        """Change the Printify vendor's settings (a short timeout for a test that injects one)."""
        with self.db.write() as s:
            vendor = s.get(Vendor, self.vendor_id)
            assert vendor is not None
            vendor.settings = {**vendor.settings, **settings}
            s.add(vendor)


def make_shop(db: Database, url: str, files: Path, **settings: Any) -> Shop:
    files.mkdir(parents=True, exist_ok=True)
    with db.write() as s:
        store = Store(name="Test Woo", kind="woocommerce")
        vendor = Vendor(
            name="Printify test",
            kind="printify",
            base_url=url + "/v1",
            rate_limit_per_min=60_000,
            settings={"shop_id": SHOP_ID, "timeout": 10.0, "max_concurrency": 4, **settings},
        )
        manual = Vendor(name="Back room", kind="manual")
        s.add_all([store, vendor, manual])
        s.flush()
        assert store.id is not None and vendor.id is not None
        s.add(
            ProductMapping(
                store_id=store.id,
                product_id="p1",
                vendor_id=vendor.id,
                vendor_product={
                    "blueprint_id": 68,
                    "print_provider_id": 1,
                    "print_area": "front",
                    "variant_ids": {"v1": 33719, "v2": 33720},
                },
            )
        )
        ids = (store.id, vendor.id, manual.id)
    return Shop(db, *ids, files)  # type: ignore[arg-type]


@pytest.fixture
def shop(
    db: Database,
    vendor_api: tuple[SandboxPrintify, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Shop:
    monkeypatch.setenv("PODTUI_PRINTIFY_PRINTIFY_TEST_TOKEN", TOKEN)
    return make_shop(db, vendor_api[1], tmp_path / "files")


@pytest.fixture
def fast() -> SendOptions:
    """Send options with a quick backoff, so retries do not slow the suite."""
    return SendOptions(backoff=Backoff(attempts=3, base_delay=0.01, max_delay=0.05))


def hours_later(hours: float) -> datetime:
    return CREATED + timedelta(hours=hours)
