"""The demo's Shopify stores are served by sandbox shops speaking Admin GraphQL, in-process."""

from __future__ import annotations

from datetime import UTC

from sqlmodel import select

from podtui.adapters.stores.shopify import ShopifyAdapter
from podtui.demo.sandboxes import SHOPIFY_STORES, SHOPIFY_TOKEN, demo_reach
from podtui.domain.models import Order, OrderItem, Store
from tests.demo.test_seed import Seeded


async def test_each_shopify_store_serves_the_orders_the_demo_database_has(seeded: Seeded) -> None:
    db, _ = seeded
    assert len(SHOPIFY_STORES) == 2
    for spec in SHOPIFY_STORES:
        with db.read() as s:
            store = s.exec(select(Store).where(Store.name == spec.name)).one()
            orders = s.exec(select(Order).where(Order.store_id == store.id)).all()
            lines = set(
                s.exec(select(OrderItem.store_line_id).where(OrderItem.store_id == store.id)).all()
            )
        reach = demo_reach(db)
        route = reach.store_route(store) if reach is not None else None
        assert route is not None
        assert route.secret == SHOPIFY_TOKEN
        adapter = ShopifyAdapter(store, route.secret, transport=route.transport)
        assert (await adapter.check()).startswith(spec.name)
        served = []
        problems = []
        async for page in adapter.list_orders():
            served.extend(page.orders)
            problems.extend(page.problems)
        await adapter.aclose()
        assert problems == []
        by_id = {o.store_order_id: o for o in served}
        assert set(by_id) == {o.store_order_id for o in orders}
        assert {li.store_line_id for o in served for li in o.lines} >= lines
        for order in orders:  # the store's timestamp is the one the demo keeps: no spurious change
            kept = order.store_updated_at
            assert kept is not None
            assert by_id[order.store_order_id].updated_at == kept.replace(tzinfo=UTC)
