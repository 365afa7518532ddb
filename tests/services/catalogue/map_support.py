"""A shop to map (`map_shop`, a fixture every test package may use): a store with orders as a
sync leaves them (every item unmapped), vendors of every kind, artwork, and Printify and Printful
sandboxes on loopback behind those vendors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from podtui.adapters.credentials import set_secret
from podtui.db import Database
from podtui.domain.models import Artwork, Event, Order, OrderItem, Store, Vendor
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify

CREATED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
# (product, variant, sku, title, variant title): a tee in two variants with one SKU (shops
# repeat them), a mug, and a WooCommerce simple product (no variant).
LINES = (
    ("22", "23", "TEE", "Idea Tee", "Sport Gray / Extra Large"),
    ("22", "24", "TEE", "Idea Tee", "Black / Small"),
    ("30", "31", "MUG", "Photo Mug", "11 oz / White"),
    ("40", "", "POSTER", "Star Map", ""),
)
PRODUCT_TYPES = {"22": "T-Shirt", "30": "Mug", "40": "Poster"}  # the store's own, as synced


@dataclass
class MapShop:
    db: Database
    store_id: int
    vendors: dict[str, int]
    artwork_id: int
    items: dict[str, list[int]] = field(default_factory=dict)  # "product/variant" -> ids
    _n: int = 0

    def order(self, **lines: Any) -> int:
        """An order with one unmapped item per line of LINES (or the given statuses)."""
        self._n += 1
        with self.db.write() as s:
            order = Order(
                store_id=self.store_id,
                store_order_id=str(700 + self._n),
                name=f"#{700 + self._n}",
                created_at=CREATED,
                ship_country="US",
                archived=bool(lines.get("archived")),
            )
            s.add(order)
            s.flush()
            assert order.id is not None
            for product, variant, sku, title, variant_title in LINES:
                status = lines.get("status", ItemStatus.MISSING_ARTWORK)
                item = OrderItem(
                    order_id=order.id,
                    store_id=self.store_id,
                    order_created_at=CREATED,
                    product_id=product,
                    variant_id=variant,
                    sku=sku,
                    title=title,
                    variant_title=variant_title,
                    product_type=PRODUCT_TYPES[product],
                    status=status,
                    managed=status is not ItemStatus.MISSING_ARTWORK,
                    archived=order.archived,
                )
                s.add(item)
                s.flush()
                assert item.id is not None
                self.items.setdefault(f"{product}/{variant}", []).append(item.id)
            return order.id

    def item(self, item_id: int) -> OrderItem:
        with self.db.read() as s:
            found = s.get(OrderItem, item_id)
            assert found is not None
            return found

    def events(self, item_id: int) -> list[Event]:
        with self.db.read() as s:
            return list(s.exec(select(Event).where(col(Event.item_id) == item_id)).all())


@pytest.fixture
def catalogue_printify_url() -> Iterator[str]:
    sandbox = SandboxPrintify(token="pfy-token")
    with serve_loopback(sandbox.handler) as url:
        yield url


@pytest.fixture
def catalogue_printful_url() -> Iterator[str]:
    sandbox = SandboxPrintful(token="pf-token")
    with serve_loopback(sandbox.handler) as url:
        yield url


@pytest.fixture
def map_shop(
    db: Database, tmp_path: Path, catalogue_printify_url: str, catalogue_printful_url: str
) -> MapShop:
    rip = tmp_path / "rip"
    rip.mkdir()
    with db.write() as s:
        store = Store(name="Lumen", kind="woocommerce")
        vendors = {
            "printify": Vendor(
                name="Printify", kind="printify", base_url=f"{catalogue_printify_url}/v1",
                settings={"shop_id": 1},
            ),
            "printful": Vendor(name="Printful", kind="printful", base_url=catalogue_printful_url),
            "hotfolder": Vendor(
                name="DTG", kind="hotfolder", settings={"path": str(rip), "folders": {"dtg": "dtg"}}
            ),
            "manual": Vendor(name="Back room", kind="manual"),
        }  # fmt: skip
        artwork = Artwork(name="Idea", template="shirt-front")
        s.add_all([store, *vendors.values(), artwork])
        s.flush()
        assert store.id is not None and artwork.id is not None
        ids = {k: v.id for k, v in vendors.items()}
    set_secret("printify", "Printify", "pfy-token")
    set_secret("printful", "Printful", "pf-token")
    return MapShop(db, store.id, ids, artwork.id)  # type: ignore[arg-type]
