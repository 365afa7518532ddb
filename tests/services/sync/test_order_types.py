"""Point 6 of the store's truth: WooCommerce order types (In-app, Amazon, ShineOn, Others)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.models import OrderItem, Store
from podtui.domain.order_types import classify
from podtui.domain.status import ItemStatus
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.sending import countdown
from tests.adapters.stores.woo_support import T0, woo_order
from tests.services.sync.test_sync_service import items_of, order_row, sync

pytestmark = pytest.mark.usefixtures("store")


def meta(key: str, value: str = "x") -> list[dict[str, str]]:
    return [{"id": 1, "key": key, "value": value}]


def test_the_rule_table() -> None:
    assert classify("checkout", {}) == "in-app"
    assert classify("store-api", {}) == "in-app"
    assert classify("rest-api", {"_wpla_amazon_order_id": "114-1"}) == "amazon"
    assert classify("rest-api", {"_shineon_order_id": "S1"}) == "shineon"
    assert classify("admin", {}) == "others"
    own = [{"created_via": "admin", "type": "in-app"}]
    assert classify("admin", {}, own) == "in-app"


async def test_woo_orders_get_their_type_and_a_store_can_override_it(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, created_via="checkout"))
    woo.add_order(woo_order(2, created_via="rest-api", meta_data=meta("_wpla_amazon_order_id")))
    woo.add_order(woo_order(3, created_via="rest-api", meta_data=meta("_shineon_order_id")))
    woo.add_order(woo_order(4, created_via="admin"))
    await sync(db, store, mode="all")
    types = [order_row(db, str(i)).source for i in range(1, 5)]
    assert types == ["in-app", "amazon", "shineon", "others"]


async def test_only_in_app_orders_are_submitted_automatically_by_default(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, created_via="checkout"))
    woo.add_order(woo_order(2, created_via="rest-api", meta_data=meta("_wpla_amazon_order_id")))
    await sync(db, store, mode="all")
    with db.write() as session:
        row = session.get(Store, store.id)
        assert row is not None
        row.auto_submit_hours = 1.0
        session.add(row)
        for item in session.exec(select(OrderItem).where(OrderItem.managed)).all():
            item.status = ItemStatus.READY
            session.add(item)
    later = T0 + timedelta(days=400)
    countdown.refresh(db, now=later)
    in_app = next(i for i in items_of(db, "1") if i.managed)
    amazon = next(i for i in items_of(db, "2") if i.managed)
    assert in_app.auto_submit_at is not None and amazon.auto_submit_at is None
    with db.write() as session:  # the store's own setting: Amazon orders too
        row = session.get(Store, store.id)
        assert row is not None
        row.settings = {"auto_submit_types": ["in-app", "amazon"]}
        session.add(row)
    countdown.refresh(db, now=later)
    assert next(i for i in items_of(db, "2") if i.managed).auto_submit_at is not None
