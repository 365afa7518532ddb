"""Point 7 of the store's truth: each parcel of a split item reaches Shopify with its own units."""

from __future__ import annotations

from sqlmodel import select

from podtui.db import Database
from podtui.domain.models import Order, OrderItem, ProductMapping, Shipment, Store
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import serve_loopback
from podtui.services.items.split import split
from podtui.services.sync.pull import SyncOptions, sync_store_async
from podtui.services.sync.tracking_push import push_tracking
from tests.adapters.stores.shopify_support import adapter_for, rest_order, shop


def ship(db: Database, item_id: int, number: str) -> None:
    with db.write() as session:
        item = session.get(OrderItem, item_id)
        assert item is not None
        item.status = ItemStatus.FULFILLED
        session.add(item)
        session.add(
            Shipment(order_id=item.order_id, item_id=item_id, carrier="UPS", tracking_number=number)
        )


async def test_a_split_item_in_two_parcels_pushes_each_parcels_quantity(db: Database) -> None:
    sandbox = shop(0)
    order = rest_order(1, financial_status="paid")
    order["line_items"][0]["quantity"] = 3
    sandbox.add_order(order)
    with db.write() as session:
        row = Store(name="Loopback Shop", kind="shopify", base_url="http://127.0.0.1")
        session.add(row)
        session.flush()
        session.add(ProductMapping(store_id=row.id, product_id="632910392"))
    with serve_loopback(sandbox.handler) as url:
        adapter = adapter_for(url)
        try:
            await sync_store_async(db, row, SyncOptions(mode="all"), adapter=adapter)
            with db.read() as session:
                (item,) = session.exec(select(OrderItem)).all()
            assert item.id is not None and item.quantity == 3
            with db.write() as session:
                first, second = split(session, item.id, [1, 2])
            assert first.id is not None and second.id is not None
            ship(db, first.id, "1Z-FIRST")
            assert row.id is not None
            report = await push_tracking(db, row.id, adapter)
            assert (report.pushed, report.failed) == (1, 0), report.messages
            ship(db, second.id, "1Z-SECOND")
            report = await push_tracking(db, row.id, adapter)
            assert (report.pushed, report.failed) == (1, 0), report.messages
        finally:
            await adapter.aclose()
    with db.read() as session:
        order_id = session.exec(select(Order.store_order_id)).one()
    parcels = sandbox.fulfillments_of(int(order_id))
    quantities = [[line["quantity"] for line in f["fulfillmentLineItems"]] for f in parcels]
    assert len(parcels) == 2, quantities
    assert quantities == [[1], [2]]
