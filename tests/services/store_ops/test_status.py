"""The store's order status moved from podtui: where the store allows it, exactly once, with
Shopify's cancellation options, and the store's refusal changing nothing here."""

from __future__ import annotations

import pytest

from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Store
from podtui.sandbox.http import Fault
from podtui.sandbox.shopify import GraphQLFault, SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.store_ops.status import CancelOptions, change_store_status
from podtui.services.store_ops.writes import StoreRefusedError
from tests.adapters.stores.shopify_support import rest_order
from tests.adapters.stores.woo_support import woo_order
from tests.services.store_ops.conftest import events_of, order_of, snapshot, synced, writes_of


async def test_woocommerce_processing_to_on_hold_and_back(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    order = await synced(db, woo_store, "1")
    assert order.id is not None and order.store_status == "processing"
    change_store_status(db, order.id, "on-hold")
    assert woo.orders[1]["status"] == "on-hold"
    assert order_of(db, order.id).store_status == "on-hold"
    change_store_status(db, order.id, "processing")
    assert order_of(db, order.id).store_status == "processing"
    moved = events_of(db, order.id, "store_status_set")
    assert [(e.from_status, e.to_status) for e in moved] == [
        ("processing", "on-hold"),
        ("on-hold", "processing"),
    ]
    assert moved[0].params["notify"] is None  # WooCommerce's own e-mails, as it is set up


async def test_a_move_the_store_does_not_allow_from_here_is_refused_before_sending(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1, status="completed"))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    asked = len(woo.requests)
    with pytest.raises(DomainError, match="is Completed at Loopback Woo: it can go to nowhere"):
        change_store_status(db, order.id, "processing")
    assert len(woo.requests) == asked and writes_of(db, order.id) == []


async def test_woocommerce_refusal_and_a_dropped_answer(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    woo.read_only = True
    before = snapshot(order_of(db, order.id))
    with pytest.raises(StoreRefusedError, match="not allowed to edit"):
        change_store_status(db, order.id, "completed")
    assert snapshot(order_of(db, order.id)) == before
    woo.read_only = False
    puts = len([r for r in woo.requests if r.method == "PUT"])
    woo.inject(Fault(kind="drop_after", method="PUT", path="/orders/1"))
    outcome = change_store_status(db, order.id, "completed")
    assert outcome.found_after_lost_answer
    assert len([r for r in woo.requests if r.method == "PUT"]) == puts + 1
    assert order_of(db, order.id).store_status == "completed"
    assert [w.state for w in writes_of(db, order.id)] == ["refused", "accepted"]


async def test_shopify_cancel_carries_its_options(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="paid"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    options = CancelOptions(
        reason="CUSTOMER", refund=True, restock=True, notify=True, staff_note="asked by phone"
    )
    outcome = change_store_status(db, order.id, "cancelled", options=options)
    (taken,) = shopify.cancelled
    assert (taken["reason"], taken["refund"], taken["restock"], taken["notify"]) == (
        "CUSTOMER",
        True,
        True,
        True,
    )
    assert taken["staffNote"] == f"asked by phone ({outcome.key[:15]})"
    after = order_of(db, order.id)
    assert after.store_status == "cancelled"
    (event,) = events_of(db, order.id, "store_status_set")
    assert event.params["notify"] is True and event.params["options"]["reason"] == "CUSTOMER"
    assert events_of(db, order.id, "store_order_canceled")  # the items follow, as at a sync


async def test_shopify_refuses_to_cancel_a_fulfilled_order_and_nothing_changes(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="paid", fulfillment_status="fulfilled"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    before = snapshot(order_of(db, order.id))
    with pytest.raises(StoreRefusedError, match="Cannot cancel an order with fulfillments"):
        change_store_status(db, order.id, "cancelled", options=CancelOptions())
    assert snapshot(order_of(db, order.id)) == before
    assert shopify.cancelled == []


async def test_shopify_close_whose_answer_was_dropped_is_found_by_the_orders_state(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="paid"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation OrderClose"))
    outcome = change_store_status(db, order.id, "closed")
    assert outcome.found_after_lost_answer
    assert order_of(db, order.id).store_status == "closed"
    (event,) = events_of(db, order.id, "store_status_set")
    assert event.params["notify"] is False
    change_store_status(db, order.id, "open")
    assert order_of(db, order.id).store_status == "open"
    with pytest.raises(ValidationError, match="not a reason Shopify takes"):
        change_store_status(db, order.id, "cancelled", options=CancelOptions(reason="BORED"))
