"""Refunds through the store's API: quoted first, refused above what is left, exactly once after
a lost answer, two identical partial refunds both made, the units leaving the items."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Store
from podtui.sandbox.http import Fault
from podtui.sandbox.shopify import GraphQLFault, SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.store_ops.refunds import (
    RefundLine,
    check_refund,
    local_total,
    quote_refund,
    refund,
    refund_lines,
)
from podtui.services.store_ops.writes import StoreRefusedError
from tests.adapters.stores.shopify_support import rest_order
from tests.adapters.stores.woo_support import woo_order
from tests.services.store_ops.conftest import events_of, order_of, snapshot, synced, writes_of
from tests.services.sync.test_sync_service import items_of

MANAGED = "11"  # woo_order(1): line 11 is product 22, which the loopback store produces


def three_units(**changes: Any) -> dict[str, Any]:
    order = woo_order(1, **{"payment_method": "stripe", **changes})
    order["line_items"][1].update(quantity=3, subtotal="36.00", total="36.00", price=12)
    order["total"] = "42.00"
    return order


def lines_of(db: Database, store_order_id: str) -> list[RefundLine]:
    return refund_lines(items_of(db, store_order_id))


async def _paid_shopify(
    db: Database, shopify: SandboxShopify, store: Store, lines: int = 1
) -> tuple[int, list[RefundLine]]:
    """Shopify order 1001, paid, with `lines` lines of 199.00, synced: its id and its lines."""
    shopify.add_order(rest_order(1, lines=lines, financial_status="paid"))
    order = await synced(db, store, "1001")
    assert order.id is not None
    return order.id, lines_of(db, "1001")


async def test_two_identical_partial_refunds_both_go_through_and_leave_the_item(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(three_units())
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    lines = lines_of(db, "1")
    request = check_refund(lines, {MANAGED: "1"}, reason="one too many")
    assert local_total(lines, request) == Decimal("12")
    quote = quote_refund(db, order.id, request)
    assert (quote.amount, quote.maximum) == (Decimal("12"), Decimal("42.00"))
    refund(db, order.id, request)
    refund(db, order.id, request)
    made = woo.refunds[1]
    assert len(made) == 2 and all(r["refunded_payment"] for r in made)
    assert all("one too many (podtui-" in r["reason"] for r in made)
    (item,) = [i for i in items_of(db, "1") if i.managed]
    assert item.quantity == 1
    assert order_of(db, order.id).payment_status == "partially_refunded"
    events = events_of(db, order.id, "store_refunded")
    assert len(events) == 2 and events[0].params["notify"] is None  # WooCommerce's e-mails
    assert events_of(db, order.id, "store_quantity_reduced")  # through the store-truth rules


async def test_a_refund_only_recorded_and_a_gateway_that_cannot_refund(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(three_units(payment_method="bacs"))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    lines = lines_of(db, "1")
    through = check_refund(lines, {MANAGED: "1"})
    before = snapshot(order_of(db, order.id))
    with pytest.raises(StoreRefusedError, match="does not support automatic refunds"):
        refund(db, order.id, through)
    assert snapshot(order_of(db, order.id)) == before
    assert [i.quantity for i in items_of(db, "1") if i.managed] == [3]
    recorded = check_refund(lines, {MANAGED: "1"}, through_gateway=False, restock=True)
    refund(db, order.id, recorded)
    (made,) = woo.refunds[1]
    assert made["refunded_payment"] is False
    sent = [r for r in woo.requests if r.method == "POST" and r.url.path.endswith("/refunds")]
    body = json.loads(sent[-1].content)
    assert (body["api_refund"], body["api_restock"]) == (False, True)


async def test_a_refund_whose_answer_was_dropped_is_made_once(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(three_units())
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    woo.inject(Fault(kind="drop_after", method="POST", path="/orders/1/refunds"))
    outcome = refund(db, order.id, check_refund(lines_of(db, "1"), {MANAGED: "2"}))
    assert outcome.found_after_lost_answer
    assert len(woo.refunds[1]) == 1
    assert [i.quantity for i in items_of(db, "1") if i.managed] == [1]
    assert len(events_of(db, order.id, "store_refunded")) == 1


async def test_more_than_is_left_to_refund_is_refused_before_anything_is_sent(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(three_units())
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    lines = lines_of(db, "1")
    request = check_refund(lines, {MANAGED: "1"}, shipping="100.00")
    with pytest.raises(ValidationError, match=r"at most 42\.00"):
        quote_refund(db, order.id, request, expected=local_total(lines, request))
    assert woo.refunds.get(1, []) == [] and writes_of(db, order.id) == []


def test_bad_input_in_the_refund_says_which_field() -> None:
    lines = [RefundLine("L1", "Mug", 2, Decimal("9.50")), RefundLine("L2", "Tee", 1, Decimal(5))]
    for units, shipping, field in (
        ({"L1": "3"}, "", "qty-0"),
        ({"L2": "two"}, "", "qty-1"),
        ({"L1": "1"}, "-1", "shipping"),
        ({"L1": "1"}, "1.005", "shipping"),
        ({}, "", "qty-0"),
    ):
        with pytest.raises(ValidationError) as caught:
            check_refund(lines, units, shipping=shipping)
        assert field in caught.value.fields, (units, shipping)


async def test_shopify_refund_is_quoted_by_the_store_and_made_through_the_gateway(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    order_id, lines = await _paid_shopify(db, shopify, shopify_store, 2)
    request = check_refund(
        lines, {lines[0].store_line_id: "1"}, shipping="2.00", notify=True, restock=True
    )
    quote = quote_refund(db, order_id, request)
    assert quote.by_store and quote.amount == Decimal("201.00")
    outcome = refund(db, order_id, request)
    (sent,) = shopify.refund_inputs
    (transaction,) = sent["transactions"]
    assert transaction["amount"] == "201.00" and transaction["parentId"].endswith("/10011")
    assert sent["notify"] is True and sent["refundLineItems"][0]["restockType"] == "CANCEL"
    assert sent["note"] == f"({outcome.key[:15]})"
    assert order_of(db, order_id).payment_status == "partially_refunded"
    (event,) = events_of(db, order_id, "store_refunded")
    assert event.params["notify"] is True


async def test_shopify_refuses_units_it_refunded_already_and_nothing_changes(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    order_id, lines = await _paid_shopify(db, shopify, shopify_store)
    shopify.refund_line(1001, int(lines[0].store_line_id), 1)  # in the Shopify admin meanwhile
    before = snapshot(order_of(db, order_id))
    with pytest.raises(StoreRefusedError, match="cannot refund more items than were purchased"):
        refund(db, order_id, check_refund(lines, {lines[0].store_line_id: "1"}))
    assert snapshot(order_of(db, order_id)) == before


async def test_shopify_refund_whose_answer_was_dropped_is_found_by_its_note(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    order_id, lines = await _paid_shopify(db, shopify, shopify_store, 2)
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation RefundCreate"))
    outcome = refund(db, order_id, check_refund(lines, {lines[1].store_line_id: "1"}))
    assert outcome.found_after_lost_answer
    assert len(shopify.refund_inputs) == 1
    assert len(events_of(db, order_id, "store_refunded")) == 1
    assert shopify.refund_records[1001][0]["note"] == f"({outcome.key[:15]})"


# --- the adjustment and the restocking fee ------------------------------------------------------


def test_the_adjustment_and_the_fee_move_the_total_and_bad_ones_say_which_field() -> None:
    lines = [RefundLine("L1", "Mug", 2, Decimal("9.50")), RefundLine("L2", "Tee", 1, Decimal(5))]
    request = check_refund(lines, {"L1": "2"}, adjustment="1.50", fee="3.00")
    assert (request.adjustment, request.fee) == (Decimal("1.50"), Decimal("3.00"))
    assert local_total(lines, request) == Decimal("17.50")  # 19.00 + 1.50 - 3.00
    goodwill = check_refund(lines, {}, adjustment="5.00")  # money alone, no units
    assert local_total(lines, goodwill) == Decimal("5.00")
    assert local_total(lines, check_refund(lines, {"L1": "1"}, adjustment="-2.00")) == Decimal(
        "7.50"
    )
    for adjustment, fee, field in (
        ("abc", "", "adjustment"),
        ("1.005", "", "adjustment"),
        ("", "-1", "fee"),
        ("", "20.00", "fee"),  # more than the refund: nothing would go back
        ("-10.00", "", "adjustment"),
    ):
        with pytest.raises(ValidationError) as caught:
            check_refund(lines, {"L1": "1"}, adjustment=adjustment, fee=fee)
        assert field in caught.value.fields, (adjustment, fee)


async def test_shopify_takes_the_adjustment_and_the_fee_as_its_refund_discrepancy(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    order_id, lines = await _paid_shopify(db, shopify, shopify_store, 2)
    request = check_refund(lines, {lines[0].store_line_id: "1"}, adjustment="5.00", fee="10.00")
    quote = quote_refund(db, order_id, request, expected=local_total(lines, request))
    assert (quote.calculated, quote.amount) == (Decimal("199.00"), Decimal("194.00"))
    refund(db, order_id, request)
    (sent,) = shopify.refund_inputs
    assert sent["transactions"][0]["amount"] == "194.00"
    assert sent["discrepancyReason"] == "RESTOCK"
    (record,) = shopify.refund_records[1001]
    (adjustment,) = record["orderAdjustments"]
    assert adjustment["amountSet"]["shopMoney"]["amount"] == "-5.00"
    assert adjustment["reason"] == "RESTOCK"
    (event,) = events_of(db, order_id, "store_refunded")
    assert (event.params["adjustment"], event.params["fee"]) == ("5.00", "10.00")


async def test_shopify_refuses_an_adjustment_above_what_was_paid_and_nothing_changes(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    order_id, lines = await _paid_shopify(db, shopify, shopify_store)
    request = check_refund(lines, {lines[0].store_line_id: "1"}, adjustment="300.00")
    with pytest.raises(ValidationError, match=r"at most 409\.94"):
        quote_refund(db, order_id, request, expected=local_total(lines, request))
    before = snapshot(order_of(db, order_id))
    with pytest.raises(StoreRefusedError, match="greater than net payment received"):
        refund(db, order_id, request)  # asked all the same: the store says no
    assert snapshot(order_of(db, order_id)) == before
    assert shopify.refund_inputs == []


async def test_woocommerce_refunds_the_adjusted_amount_and_keeps_the_fee_in_the_reason(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(three_units())
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    lines = lines_of(db, "1")
    request = check_refund(lines, {MANAGED: "1"}, reason="scuffed", adjustment="-2.00", fee="1.00")
    quote = quote_refund(db, order.id, request, expected=local_total(lines, request))
    assert (quote.calculated, quote.amount) == (Decimal("12.00"), Decimal("9.00"))
    refund(db, order.id, request)
    (made,) = woo.refunds[1]
    assert made["amount"] == "9.00"
    assert made["reason"].startswith("scuffed; adjustment -2.00; restocking fee 1.00 (podtui-")
    request = check_refund(lines, {MANAGED: "1"}, adjustment="40.00")  # 52.00 of the 33.00 left
    with pytest.raises(ValidationError, match=r"at most 33\.00"):
        quote_refund(db, order.id, request, expected=local_total(lines, request))
    with pytest.raises(StoreRefusedError, match="Invalid refund amount"):
        refund(db, order.id, request)
    assert len(woo.refunds[1]) == 1
