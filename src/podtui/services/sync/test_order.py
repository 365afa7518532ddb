"""Place a test order at a store (the seed's "Place test order"), then sync it in.

The order carries the store's test mark (WooCommerce: podtui's own `_podtui_test_order` meta,
which the default test rule reads), so it is never printed by itself: it shows with its TEST
badge and can be walked through approval and rendering, and sent only after a second yes.
Its lines are the store's mapped products (up to three), one unit each, to a test address.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlmodel import col, select

from podtui.adapters.stores.base import OrderPlacer
from podtui.db import Database
from podtui.domain.address import ShippingAddress
from podtui.domain.errors import DomainError, NotFoundError
from podtui.domain.models import ProductMapping
from podtui.domain.wording import name_with_kind
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.stores import open_adapter
from podtui.services.sync.context import SyncOptions
from podtui.services.sync.pull import find_stores, sync_store_async

TEST_ADDRESS = ShippingAddress(
    name="podtui Test", address1="1 Test Street", city="San Francisco", state="CA",
    postal_code="94103", country="US", email="test-order@example.com",
)  # fmt: skip
NOTE = "Test order placed by podtui: never to be printed or shipped."


@dataclass
class PlacedTestOrder:
    store: str
    store_order_id: str
    summary: str


async def place_test_order_async(
    db: object, store_name: str, *, reach: Reach = REAL
) -> PlacedTestOrder:
    """Create the test order at `store_name` and sync it; DomainError when the store cannot."""
    from podtui.db import Database

    assert isinstance(db, Database)
    (store,) = find_stores(db, [store_name])
    with db.read() as session:
        mappings = session.exec(
            select(ProductMapping)
            .where(ProductMapping.store_id == store.id, col(ProductMapping.product_id) != "")
            .order_by(col(ProductMapping.id))
            .limit(3)
        ).all()
        lines = [(m.product_id, m.variant_id, 1) for m in mappings]
    if not lines:
        raise NotFoundError(
            f"{store.name} has no mapped product yet: map one first (podtui mappings), "
            "so the test order has something podtui produces"
        )
    adapter = open_adapter(store, reach=reach)
    try:
        if not isinstance(adapter, OrderPlacer):
            raise DomainError(
                f"{name_with_kind(store.name, store.kind)}: "
                "podtui cannot place test orders there yet; "
                "place one in the store's admin (Shopify: the Bogus Gateway) and sync"
            )
        order_id = await adapter.place_test_order(lines, TEST_ADDRESS, NOTE)
        report = await sync_store_async(
            db, store, SyncOptions(mode="ids", ids=(order_id,)), adapter=adapter
        )
    finally:
        await adapter.aclose()
    if report.error:
        raise DomainError(
            f"test order {order_id} placed at {store.name}, sync failed: {report.error}"
        )
    return PlacedTestOrder(store.name, order_id, report.summary())


def place_test_order(db: Database, store_name: str, *, reach: Reach = REAL) -> PlacedTestOrder:
    """`place_test_order_async` for callers without an event loop (the CLI, a worker)."""
    return asyncio.run(place_test_order_async(db, store_name, reach=reach))
