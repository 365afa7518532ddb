"""Tracking, notes and status going back to a loopback Shopify shop: once, even when retried."""

from __future__ import annotations

import httpx
import pytest

from podtui.adapters.http import ApiError
from podtui.adapters.stores.base import TrackingPush
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.shopify import GraphQLFault
from tests.adapters.stores.shopify_support import TOKEN, loopback, rest_order, shop


def _push(order: str = "1001", *lines: str, number: str = "1Z999AA10123456784") -> TrackingPush:
    return TrackingPush(
        store_order_id=order,
        store_line_ids=tuple(lines),
        carrier="UPS",
        tracking_number=number,
        tracking_url=f"https://www.ups.com/track?tracknum={number}",
    )


async def test_tracking_creates_one_fulfillment_and_a_repeat_adds_none() -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, lines=2))
    with loopback(sandbox) as adapter:
        first = await adapter.push_tracking(_push())
        again = await adapter.push_tracking(_push())
        order = await adapter.get_order("1001")
        await adapter.aclose()
    assert first == again
    [fulfillment] = sandbox.fulfillments_of(1001)
    assert fulfillment["trackingInfo"] == [
        {
            "company": "UPS",
            "number": "1Z999AA10123456784",
            "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
        }
    ]
    assert len(fulfillment["fulfillmentLineItems"]) == 2
    assert sandbox.notified == [(fulfillment["id"], True)]
    assert order.fulfillment_status == "fulfilled"


async def test_lost_answer_to_the_mutation_does_not_fulfil_twice() -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, lines=1))
    with loopback(sandbox) as adapter:
        # the fulfillment is created, then the connection drops before the answer
        sandbox.inject(GraphQLFault(kind="drop_after", operation="mutation FulfillmentCreate"))
        made = await adapter.push_tracking(_push())
        await adapter.aclose()
    [fulfillment] = sandbox.fulfillments_of(1001)
    assert fulfillment["legacyResourceId"] == made
    creates = [r for r in sandbox.requests if b"mutation FulfillmentCreate" in r.content]
    assert len(creates) == 1


@pytest.mark.parametrize("kind", ["timeout_after", "malformed", "drop", "status"])
async def test_unknown_outcomes_are_reconciled(kind: str) -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, lines=1))
    with loopback(sandbox, timeout=0.3 if kind == "timeout_after" else 10.0) as adapter:
        sandbox.inject(
            GraphQLFault(
                kind=kind,  # type: ignore[arg-type]
                status=502,
                delay=1.0,
                operation="mutation FulfillmentCreate",
            )
        )
        await adapter.push_tracking(_push())
        await adapter.aclose()
    assert len(sandbox.fulfillments_of(1001)) == 1


async def test_split_shipments_one_fulfillment_per_tracking_number() -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, lines=3))
    lines = [str(100_000 + 100 + k) for k in range(3)]
    with loopback(sandbox) as adapter:
        a = await adapter.push_tracking(_push("1001", lines[0], number="TRACK-A"))
        b = await adapter.push_tracking(_push("1001", lines[1], lines[2], number="TRACK-B"))
        again = await adapter.push_tracking(_push("1001", lines[0], number="TRACK-A"))
        partial = sandbox.orders[1001]["displayFulfillmentStatus"]
        await adapter.aclose()
    assert a != b and again == a
    assert [f["trackingInfo"][0]["number"] for f in sandbox.fulfillments_of(1001)] == [
        "TRACK-A",
        "TRACK-B",
    ]
    assert partial == "FULFILLED"


async def test_nothing_left_to_fulfil_is_a_clear_error() -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, lines=1))
    with loopback(sandbox) as adapter:
        await adapter.push_tracking(_push(number="FIRST"))
        with pytest.raises(ApiError) as refused:
            await adapter.push_tracking(_push(number="SECOND"))
        await adapter.aclose()
    assert refused.value.code == "NOTHING_TO_FULFILL"
    assert len(sandbox.fulfillments_of(1001)) == 1


def test_closed_fulfillment_order_refuses_a_second_fulfillment() -> None:
    """The sandbox itself, as Shopify: fulfilling a closed fulfillment order is a userError."""
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, lines=1))
    mutation = """mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) {
        fulfillment { id } userErrors { field message } } }"""
    fo = next(iter(sandbox.fulfillment_orders))
    variables = {"f": {"lineItemsByFulfillmentOrder": [
        {"fulfillmentOrderId": f"gid://shopify/FulfillmentOrder/{fo}"}
    ]}}  # fmt: skip
    with serve_loopback(sandbox.handler) as url, httpx.Client(base_url=url) as client:
        headers = {"X-Shopify-Access-Token": TOKEN}
        path = "/admin/api/2025-01/graphql.json"
        body = {"query": mutation, "variables": variables}
        one = client.post(path, json=body, headers=headers).json()
        two = client.post(path, json=body, headers=headers).json()
    assert one["data"]["fulfillmentCreate"]["userErrors"] == []
    assert two["data"]["fulfillmentCreate"]["fulfillment"] is None
    [error] = two["data"]["fulfillmentCreate"]["userErrors"]
    assert "has an unfulfillable status= closed" in error["message"]
    assert two["extensions"]["cost"]["requestedQueryCost"] == 10


async def test_note_is_added_once_and_status_changes() -> None:
    sandbox = shop(2)
    with loopback(sandbox) as adapter:
        await adapter.add_note("1001", "Sent to Printify #abc")
        await adapter.add_note("1001", "Sent to Printify #abc")
        await adapter.set_status("1001", "closed")
        await adapter.set_status("1002", "cancelled")
        with pytest.raises(ApiError) as twice:
            await adapter.set_status("1002", "cancelled")
        with pytest.raises(ApiError) as odd:
            await adapter.set_status("1001", "on-hold")
        one = await adapter.get_order("1001")
        two = await adapter.get_order("1002")
        await adapter.aclose()
    assert sandbox.orders[1001]["note"] == "Sent to Printify #abc"
    assert one.store_status == "closed"
    assert two.store_status == "cancelled" and two.canceled
    assert "already been cancelled" in str(twice.value)
    assert odd.value.code == "UNSUPPORTED_STATUS"


async def test_invalid_query_is_refused_like_shopify() -> None:
    sandbox = shop(1)
    with serve_loopback(sandbox.handler) as url, httpx.Client(base_url=url) as client:
        answer = client.post(
            "/admin/api/2025-01/graphql.json",
            json={"query": "{ orders(first: 5) { nodes { id colour } } }"},
            headers={"X-Shopify-Access-Token": TOKEN},
        )
        too_big = client.post(
            "/admin/api/2025-01/graphql.json",
            json={
                "query": "{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }"
            },
            headers={"X-Shopify-Access-Token": TOKEN},
        )
    assert answer.status_code == 200
    assert "colour" in answer.json()["errors"][0]["message"]
    assert too_big.json()["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
