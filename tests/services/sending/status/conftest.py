"""Fixtures for vendor tests: loopback vendor servers, adapters on them, and a shop database
(copied from one migrated template) with items handed to a vendor through Submission rows.
`printful_at` and `printify_at` point the shop's vendor rows at sandboxes and make orders there."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select

from podtui.adapters.credentials import env_var_name
from podtui.adapters.vendors.base import VendorLine, VendorOrderRequest
from podtui.adapters.vendors.printful import PrintfulAdapter
from podtui.adapters.vendors.printify import PrintifyAdapter
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
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from tests.adapters.vendors.printful_support import ADDRESS
from tests.adapters.vendors.printful_support import TOKEN as PRINTFUL_TOKEN
from tests.adapters.vendors.printify_support import SHOP_ID, tiny_png
from tests.adapters.vendors.printify_support import TOKEN as PRINTIFY_TOKEN

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
            "printful": Vendor(name="Printful", kind="printful", settings={"timeout": 10.0}),
            "printify": Vendor(name="Printify", kind="printify"),
            "hotfolder": Vendor(name="In-house DTG", kind="hotfolder", settings={"path": str(hot)}),
            "manual": Vendor(name="Back room", kind="manual"),
        }
        s.add(store)
        s.add_all(vendors.values())
        s.flush()
        assert store.id is not None
        return Shop(db, store.id, {k: v.id for k, v in vendors.items()})  # type: ignore[misc]


# --- the shop's vendors on loopback sandboxes ---------------------------------------------------

MakeOrder = Callable[[str, list[int]], str]  # (external id, our item ids) -> vendor order id


def _request(
    external_id: str, item_ids: list[int], files: Path, product: dict[str, object]
) -> VendorOrderRequest:
    files.mkdir(parents=True, exist_ok=True)
    lines = []
    for item_id in item_ids:
        png = files / f"{item_id}.png"
        png.write_bytes(tiny_png())
        lines.append(VendorLine(item_id=item_id, quantity=1, sku=f"SKU-{item_id}",
                                vendor_product=product, print_file=png))  # fmt: skip
    return VendorOrderRequest(external_id, tuple(lines), ADDRESS, label=external_id)


def _submit(adapter: PrintfulAdapter | PrintifyAdapter, request: VendorOrderRequest) -> str:
    async def run() -> str:
        try:
            return (await adapter.submit(request)).vendor_order_id
        finally:
            await adapter.aclose()

    return asyncio.run(run())


@pytest.fixture
def printful_at(
    shop: Shop,
    printful_server: tuple[SandboxPrintful, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> tuple[SandboxPrintful, MakeOrder]:
    """The shop's Printful vendor on the sandbox (token in the environment), and a way to make
    orders there through the real adapter, their items named by our item ids."""
    sandbox, url = printful_server
    with shop.db.write() as s:
        vendor = s.get(Vendor, shop.vendors["printful"])
        assert vendor is not None
        vendor.base_url = url
        vendor.settings = {"store_id": 424242, "file_base_url": "https://f.test", "timeout": 10.0}
        s.add(vendor)
        s.flush()
        s.refresh(vendor)
        row = Vendor.model_validate(vendor.model_dump())
    monkeypatch.setenv(env_var_name("printful", "Printful"), PRINTFUL_TOKEN)
    product = {"variant_id": 4011, "placement": "front"}

    def make(external_id: str, item_ids: list[int]) -> str:
        request = _request(external_id, item_ids, tmp_path / "pf-files", product)
        return _submit(PrintfulAdapter(row, PRINTFUL_TOKEN), request)

    return sandbox, make


@pytest.fixture
def printify_at(
    shop: Shop, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[SandboxPrintify, MakeOrder]]:
    """The shop's Printify vendor on a sandbox (token in the environment), and a way to make
    orders there through the real adapter."""
    sandbox = SandboxPrintify(token=PRINTIFY_TOKEN, shop_id=SHOP_ID)
    with serve_loopback(sandbox.handler) as url:
        with shop.db.write() as s:
            vendor = s.get(Vendor, shop.vendors["printify"])
            assert vendor is not None
            vendor.base_url = url
            vendor.settings = {"shop_id": SHOP_ID, "timeout": 10.0}
            s.add(vendor)
            s.flush()
            s.refresh(vendor)
            row = Vendor.model_validate(vendor.model_dump())
        monkeypatch.setenv(env_var_name("printify", "Printify"), PRINTIFY_TOKEN)
        product = {"blueprint_id": 68, "print_provider_id": 1, "variant_id": 33719}

        def make(external_id: str, item_ids: list[int]) -> str:
            request = _request(external_id, item_ids, tmp_path / "pfy-files", product)
            return _submit(PrintifyAdapter(row, PRINTIFY_TOKEN), request)

        yield sandbox, make


def sent_at(
    shop: Shop, make: MakeOrder, vendor: str = "printful", *, key: str, items: int = 1
) -> tuple[str, list[int]]:
    """Items sent to `vendor` as one order that really exists at its sandbox: (order id, ids)."""
    submission_id, ids = shop.sent_order(vendor, items=items, key=key, vendor_order_id=None)
    order_id = make(key, ids)
    with shop.db.write() as s:
        submission = s.get(Submission, submission_id)
        assert submission is not None
        submission.vendor_order_id = order_id
        s.add(submission)
    return order_id, ids
