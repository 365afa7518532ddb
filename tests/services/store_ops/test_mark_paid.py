"""Mark as paid through the store's real API: accepted once, refused with the store's reason,
settled exactly once after a lost answer, and refused here before anything is sent."""

from __future__ import annotations

import pytest

from podtui.db import Database
from podtui.domain.errors import DomainError
from podtui.domain.models import Store
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import Fault
from podtui.sandbox.shopify import GraphQLFault, SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.store_ops.payment import mark_paid
from podtui.services.store_ops.writes import StoreAnswerLostError, StoreRefusedError
from tests.adapters.stores.shopify_support import rest_order
from tests.adapters.stores.woo_support import woo_order
from tests.services.store_ops.conftest import (
    events_of,
    order_of,
    snapshot,
    synced,
    writes_of,
)
from tests.services.sync.test_sync_service import items_of


async def test_shopify_marks_a_pending_order_paid_with_the_current_api_version(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="pending"))
    order = await synced(db, shopify_store, "1001")
    assert order.payment_status == "pending"
    assert order.id is not None
    outcome = mark_paid(db, order.id)
    assert shopify.marked_paid == [1001]
    assert shopify.orders[1001]["displayFinancialStatus"] == "PAID"
    assert set(shopify.versions) == {"2026-04"}
    assert order_of(db, order.id).payment_status == "paid"
    (event,) = events_of(db, order.id, "store_marked_paid")
    assert (event.user, event.from_status, event.to_status) == ("tester", "pending", "paid")
    assert event.params["notify"] is False  # orderMarkAsPaid tells the customer nothing
    assert event.params["key"] == outcome.key
    (row,) = writes_of(db, order.id)
    assert (row.state, row.operation, row.user) == ("accepted", "mark_paid", "tester")


async def test_a_store_row_saved_with_an_old_version_speaks_the_current_one(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    with db.write() as session:
        row = session.get(Store, shopify_store.id)
        assert row is not None
        row.settings = {"api_version": "2025-01"}
        session.add(row)
    shopify.add_order(rest_order(1, financial_status="pending"))
    order = await synced(db, row, "1001")
    assert order.id is not None
    mark_paid(db, order.id)
    assert set(shopify.versions) == {"2026-04"}


async def test_shopify_refuses_and_nothing_changes_here(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="pending"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    # Paid at the store meanwhile (another app): Shopify refuses with its userError.
    shopify.update_order(1001, displayFinancialStatus="PAID")
    before = snapshot(order_of(db, order.id))
    with pytest.raises(StoreRefusedError, match="Order cannot be marked as paid"):
        mark_paid(db, order.id)
    assert snapshot(order_of(db, order.id)) == before
    assert events_of(db, order.id, "store_marked_paid") == []
    (refused,) = events_of(db, order.id, "store_refused")
    assert refused.params["reason"] == "Order cannot be marked as paid."
    (row,) = writes_of(db, order.id)
    assert (row.state, row.error) == ("refused", "Order cannot be marked as paid.")


async def test_shopify_answer_lost_after_acceptance_is_found_not_repeated(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="pending"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation OrderMarkAsPaid"))
    outcome = mark_paid(db, order.id)
    assert outcome.found_after_lost_answer
    assert shopify.marked_paid == [1001]  # exactly once
    assert order_of(db, order.id).payment_status == "paid"
    (event,) = events_of(db, order.id, "store_marked_paid")
    assert event.params["found_after_lost_answer"] is True


async def test_an_order_already_paid_is_refused_here_and_nothing_is_sent(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="paid"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    asked = len(shopify.requests)
    with pytest.raises(DomainError, match="is Paid at Loopback Shopify"):
        mark_paid(db, order.id)
    assert len(shopify.requests) == asked
    assert writes_of(db, order.id) == []


async def test_woocommerce_marks_an_on_hold_order_paid_and_releases_its_items(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1, status="on-hold", date_paid=None, date_paid_gmt=None))
    order = await synced(db, woo_store, "1")
    assert order.id is not None and order.payment_status == "pending"
    held = [i for i in items_of(db, "1") if i.managed]
    assert held and all(i.status is ItemStatus.ON_HOLD for i in held)
    outcome = mark_paid(db, order.id)
    assert woo.orders[1]["status"] == "processing"
    meta = {m["key"]: m["value"] for m in woo.orders[1]["meta_data"]}
    assert meta["_podtui_write_key"] == outcome.key
    after = order_of(db, order.id)
    assert (after.payment_status, after.store_status) == ("paid", "processing")
    assert all(i.status is not ItemStatus.ON_HOLD for i in items_of(db, "1") if i.managed)
    (event,) = events_of(db, order.id, "store_marked_paid")
    assert event.params["notify"] is None  # WooCommerce's own e-mail settings decide


async def test_woocommerce_read_only_key_is_refused_with_the_stores_message(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1, status="on-hold", date_paid=None, date_paid_gmt=None))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    woo.read_only = True
    before = snapshot(order_of(db, order.id))
    with pytest.raises(StoreRefusedError, match="not allowed to edit this resource"):
        mark_paid(db, order.id)
    assert snapshot(order_of(db, order.id)) == before
    assert woo.orders[1]["status"] == "on-hold"
    assert all(i.status is ItemStatus.ON_HOLD for i in items_of(db, "1") if i.managed)


async def test_woocommerce_answer_lost_after_acceptance_counts_once(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1, status="on-hold", date_paid=None, date_paid_gmt=None))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    woo.inject(Fault(kind="drop_after", method="PUT", path="/orders/1"))
    outcome = mark_paid(db, order.id)
    assert outcome.found_after_lost_answer
    puts = [r for r in woo.requests if r.method == "PUT"]
    assert len(puts) == 1
    assert order_of(db, order.id).payment_status == "paid"
    assert len(events_of(db, order.id, "store_marked_paid")) == 1


async def test_a_lost_answer_that_cannot_be_looked_up_is_settled_before_the_next_change(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1, status="on-hold", date_paid=None, date_paid_gmt=None))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    woo.inject(Fault(kind="drop_after", method="PUT", path="/orders/1"))
    woo.inject(Fault(kind="status", status=500, method="GET", path="/orders/1", times=20))
    with pytest.raises(StoreAnswerLostError):
        mark_paid(db, order.id)
    (row,) = writes_of(db, order.id)
    assert row.state == "unknown"
    assert order_of(db, order.id).payment_status == "pending"  # not known yet: unchanged
    woo.faults.clear()
    # The next change looks for the lost one first: found, recorded once; this one is refused
    # here, since the order is paid now.
    with pytest.raises(DomainError, match="is Paid at Loopback Woo"):
        mark_paid(db, order.id)
    assert order_of(db, order.id).payment_status == "paid"
    assert len(events_of(db, order.id, "store_marked_paid")) == 1
    assert len([r for r in woo.requests if r.method == "PUT"]) == 1
    assert [w.state for w in writes_of(db, order.id)] == ["accepted"]
