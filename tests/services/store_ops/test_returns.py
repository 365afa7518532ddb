"""Returns of fulfilled units: Shopify keeps an open return, WooCommerce (no returns API) a
private note; each exactly once, the order Partially returned then Returned."""

from __future__ import annotations

import pytest

from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Store
from podtui.sandbox.shopify import GraphQLFault, SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.store_ops.returns import create_return, return_lines
from podtui.services.store_ops.writes import StoreRefusedError
from tests.adapters.stores.shopify_support import rest_order
from tests.adapters.stores.woo_support import woo_order
from tests.services.store_ops.conftest import events_of, order_of, snapshot, synced, writes_of


async def test_shopify_returns_part_then_the_rest_of_a_fulfilled_order(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, lines=2, financial_status="paid"))
    shopify.fulfill(1001)
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None and order.store_fulfillment_status == "fulfilled"
    lines, _ = return_lines(db, order.id)
    first = create_return(db, order.id, {lines[0].store_line_id: "1"}, "too small")
    (made,) = shopify.returns[1001]
    (item,) = made["returnLineItems"]
    assert item["returnReasonNote"] == f"too small ({first.key[:15]})"
    assert order_of(db, order.id).return_status == "partially_returned"
    with pytest.raises(ValidationError, match="Some quantities cannot be returned"):
        create_return(db, order.id, {lines[0].store_line_id: "1"}, "")  # returned already
    create_return(db, order.id, {lines[1].store_line_id: "1"}, "")
    assert order_of(db, order.id).return_status == "returned"
    events = events_of(db, order.id, "store_return_created")
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "partially_returned"),
        ("partially_returned", "returned"),
    ]


async def test_an_unfulfilled_order_is_refused_before_anything_is_sent(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="paid"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    asked = len(shopify.requests)
    with pytest.raises(DomainError, match="only fulfilled units can be returned"):
        create_return(db, order.id, {"x": "1"}, "")
    assert len(shopify.requests) == asked and writes_of(db, order.id) == []


async def test_units_shopify_has_not_fulfilled_are_refused_and_nothing_changes(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="paid"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    with db.write() as session:  # fulfilled by podtui's word, not yet at Shopify
        row = session.get(type(order), order.id)
        assert row is not None
        row.store_fulfillment_status = "fulfilled"
        session.add(row)
    lines, _ = return_lines(db, order.id)
    before = snapshot(order_of(db, order.id))
    with pytest.raises(StoreRefusedError, match="fewer fulfilled units to return"):
        create_return(db, order.id, {lines[0].store_line_id: "1"}, "")
    assert snapshot(order_of(db, order.id)) == before
    assert shopify.returns == {}


async def test_a_return_whose_answer_was_dropped_is_made_once(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="paid"))
    shopify.fulfill(1001)
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    lines, _ = return_lines(db, order.id)
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation ReturnCreate"))
    outcome = create_return(db, order.id, {lines[0].store_line_id: "1"}, "")
    assert outcome.found_after_lost_answer
    assert len(shopify.returns[1001]) == 1
    assert order_of(db, order.id).return_status == "returned"


async def test_woocommerce_keeps_the_return_here_with_a_private_note(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1, status="completed"))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    lines, _ = return_lines(db, order.id)
    managed = next(line for line in lines if line.store_line_id == "11")
    outcome = create_return(db, order.id, {managed.store_line_id: "1"}, "damaged")
    (note,) = [n for n in woo.notes[1] if "(podtui-" in str(n["note"])]
    assert str(note["note"]).startswith("Returned: 1 x Ship Your Idea")
    assert f"(damaged)\n({outcome.key[:15]})" in str(note["note"])
    assert note["customer_note"] is False
    assert order_of(db, order.id).return_status == "partially_returned"
