"""The Shopify adapter reading orders from a loopback Admin GraphQL shop, faults included."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest

from podtui.adapters.http import ApiError
from podtui.sandbox.http import Fault
from podtui.sandbox.shopify import GraphQLFault
from tests.adapters.stores.shopify_support import (
    BASE,
    TOKEN,
    VirtualTime,
    all_pages,
    loopback,
    on_virtual_time,
    rest_order,
    shop,
)


def _ids(orders: list) -> Counter[str]:  # type: ignore[type-arg]
    return Counter(o.store_order_id for o in orders)


async def test_many_pages_nothing_lost_or_duplicated() -> None:
    sandbox = shop(130)
    with loopback(sandbox, page_size=10) as adapter:
        orders, problems, cursor = await all_pages(adapter)
        await adapter.aclose()
    assert problems == []
    counts = _ids(orders)
    assert len(counts) == 130 and set(counts.values()) == {1}
    pages = [r for r in sandbox.requests if b"query Orders" in r.content]
    assert len(pages) == 13
    assert cursor == (BASE + timedelta(minutes=130)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_the_shipping_cost_is_read_with_the_totals() -> None:
    sandbox = shop(0)
    ship = [{"title": "Express", "code": "EXP", "price": "12.50"}]
    sandbox.add_order(rest_order(8, shipping_lines=ship))
    sandbox.add_order(rest_order(9))
    with loopback(sandbox) as adapter:
        paid, free = await adapter.get_order("1008"), await adapter.get_order("1009")
        await adapter.aclose()
    assert paid.shipping_total == Decimal("12.50") and paid.shipping_method == "Express"
    assert free.shipping_total == Decimal("0")


async def test_order_fields_and_personalization() -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(7, lines=2, financial_status="paid", note="gift wrap"))
    with loopback(sandbox) as adapter:
        order = await adapter.get_order("1007")
        await adapter.aclose()
    assert order.name == "#7"
    assert order.created_at == BASE + timedelta(minutes=7)
    assert order.payment_status == "paid" and order.fulfillment_status == "unfulfilled"
    assert order.store_status == "open" and order.customer_note == "gift wrap"
    assert order.customer_name == "Bob Norman" and order.customer_email == "bob.norman@hostmail.com"
    assert order.shipping.country == "US" and order.shipping.state == "KY"
    assert order.total == Decimal("409.94") and order.currency == "USD"
    assert [line.properties for line in order.lines] == [{"Name": "Ada 7.0"}, {"Name": "Ada 7.1"}]
    assert order.lines[0].product_id == "632910392" and order.lines[0].variant_id == "39072856"
    assert order.lines[0].price == Decimal("199.00") and order.lines[0].quantity == 1


async def test_a_line_carries_its_product_type() -> None:
    sandbox = shop(0)
    order = rest_order(8, lines=2)
    order["line_items"][0]["product_type"] = "Mug"  # the product's type in the shop's admin
    sandbox.add_order(order)
    with loopback(sandbox) as adapter:
        read = await adapter.get_order("1008")
        await adapter.aclose()
    assert [line.product_type for line in read.lines] == ["Mug", ""]


async def test_fixture_properties_arrive_verbatim() -> None:
    from tests.adapters.stores.shopify_support import FIXTURE

    sandbox = shop(0)
    sandbox.add_order(FIXTURE)
    with loopback(sandbox) as adapter:
        order = await adapter.get_order(str(FIXTURE["id"]))
        await adapter.aclose()
    assert order.lines[0].properties == {"Custom Engraving": "Happy Birthday"}
    assert order.payment_status == "authorized"
    assert {"key": "custom engraving", "value": "Happy Birthday"} in order.raw["customAttributes"]


async def test_order_with_more_lines_than_the_first_page_of_lines() -> None:
    sandbox = shop(3)
    sandbox.add_order(rest_order(4, lines=23))
    with loopback(sandbox) as adapter:
        orders, _, _ = await all_pages(adapter)
        await adapter.aclose()
    big = next(o for o in orders if o.store_order_id == "1004")
    assert len(big.lines) == 23
    assert len({line.store_line_id for line in big.lines}) == 23


async def test_incremental_sync_from_the_cursor() -> None:
    sandbox = shop(40)
    with loopback(sandbox, page_size=15) as adapter:
        first, _, cursor = await all_pages(adapter)
        assert len(first) == 40
        later = (BASE + timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for n in (3, 17, 29):
            sandbox.update_order(1000 + n, note=f"changed {n}", updatedAt=later)
        again, _, new_cursor = await all_pages(adapter, cursor=cursor)
        await adapter.aclose()
    changed = {o.store_order_id: o for o in again}
    # the order at the old watermark comes again (>=), harmless for an upsert; nothing older does
    assert set(changed) == {"1003", "1017", "1029", "1040"}
    assert changed["1017"].customer_note == "changed 17"
    assert new_cursor == later


async def test_created_range_and_updated_since() -> None:
    sandbox = shop(30)
    with loopback(sandbox) as adapter:
        ranged, _, _ = await all_pages(
            adapter,
            created_from=BASE + timedelta(minutes=10),
            created_to=BASE + timedelta(minutes=20),
        )
        since, _, _ = await all_pages(adapter, updated_since=BASE + timedelta(minutes=25))
        await adapter.aclose()
    assert sorted(int(o.store_order_id) for o in ranged) == list(range(1010, 1020))
    assert sorted(int(o.store_order_id) for o in since) == list(range(1025, 1031))


async def test_get_orders_by_ids_with_a_missing_one() -> None:
    sandbox = shop(45)
    with loopback(sandbox) as adapter:
        wanted = [str(1000 + n) for n in range(1, 46)] + ["999999", "#12"]
        page = await adapter.get_orders(wanted)
        with pytest.raises(ApiError) as missing:
            await adapter.get_order("424242")
        await adapter.aclose()
    assert len(page.orders) == 45
    assert {p.store_order_id for p in page.problems} == {"999999", "#12"}
    assert missing.value.http_status == 404


async def test_payloads_missing_fields_and_unknown_statuses() -> None:
    sandbox = shop(0)
    sandbox.add_order(rest_order(1, shipping_address=None))
    sandbox.add_order(rest_order(2, customer=None, email=None))
    sandbox.add_order(rest_order(3, financial_status="crypto_pending"))
    node = sandbox.add_order(rest_order(4))
    node["displayFulfillmentStatus"] = "TELEPORTED"
    sandbox.add_order(rest_order(5))
    sandbox.update_order(1005, createdAt="last tuesday", updatedAt="2026-03-01T12:05:00Z")
    sandbox.add_order(rest_order(6, shipping_lines=[], note_attributes=None, source_name=None))
    with loopback(sandbox) as adapter:
        orders, problems, _ = await all_pages(adapter)
        await adapter.aclose()
    by_id = {o.store_order_id: o for o in orders}
    assert set(by_id) == {"1001", "1002", "1003", "1004", "1006"}
    assert by_id["1001"].shipping.address1 == "" and by_id["1001"].shipping.email
    assert by_id["1002"].customer_name == "Bob Norman"  # from the shipping address
    assert by_id["1002"].customer_email == ""
    assert by_id["1003"].payment_status == "crypto_pending"
    assert by_id["1004"].fulfillment_status == "teleported"
    assert by_id["1006"].shipping_method == "" and by_id["1006"].source == "store"
    assert [(p.store_order_id, p.reason) for p in problems] == [
        ("1005", "createdAt is not a time: 'last tuesday'")
    ]
    assert '"last tuesday"' in problems[0].raw


@pytest.mark.parametrize(
    "fault",
    [
        Fault(status=500, times=2),
        Fault(status=503),
        Fault(status=429, retry_after=0.2),
        Fault(kind="timeout", delay=1.0),
        Fault(kind="drop"),
        Fault(kind="malformed", times=2),
    ],
    ids=["500", "503", "429", "timeout", "drop", "malformed"],
)
async def test_faults_are_survived_without_loss(fault: Fault) -> None:
    sandbox = shop(60)
    with loopback(
        sandbox, page_size=20, timeout=0.3 if fault.kind == "timeout" else 10.0
    ) as adapter:
        # the fault hits the second page, after one page was read
        sandbox.inject(GraphQLFault(**{**fault.__dict__}, operation="eyJsYXN0X2lk"))  # a cursor
        orders, problems, _ = await all_pages(adapter)
        await adapter.aclose()
    counts = _ids(orders)
    assert len(counts) == 60 and set(counts.values()) == {1}
    assert problems == []
    assert len(sandbox.requests) > 3  # the failed request(s) really happened


async def test_429_retry_after_is_honoured() -> None:
    sandbox = shop(5)
    with loopback(sandbox) as adapter:
        sandbox.inject(Fault(status=429, retry_after=0.3))
        orders, _, _ = await all_pages(adapter)
        assert adapter.api.retries == 1
        await adapter.aclose()
    assert len(orders) == 5
    assert len(sandbox.requests) == 2


async def test_cost_throttle_is_respected_before_it_bites() -> None:
    # A bucket of 250 points restoring 1,000/s; a 5-order page costs about 200.
    sandbox = shop(40, maximum_available=250, restore_rate=1000)
    with loopback(sandbox, page_size=5) as adapter:
        orders, _, _ = await all_pages(adapter)
        waited = adapter.gql.bucket.waited
        await adapter.aclose()
    assert len(_ids(orders)) == 40
    assert sandbox.throttled == 0  # the adapter waited for points instead of being refused
    assert waited > 0


async def test_throttled_answers_are_waited_out() -> None:
    time = VirtualTime()  # frozen until the adapter waits: the first query is surely refused
    sandbox = shop(30, maximum_available=1000, restore_rate=2000, monotonic=time)
    sandbox.drain(1000)  # another app on the shop spent the bucket
    with loopback(sandbox, page_size=10) as adapter:
        on_virtual_time(adapter, time)
        orders, _, _ = await all_pages(adapter)
        seen = adapter.gql.throttled
        await adapter.aclose()
    assert sandbox.throttled >= 1 and seen == sandbox.throttled
    assert time.slept  # it waited (virtually) for the points instead of giving up
    counts = _ids(orders)
    assert len(counts) == 30 and set(counts.values()) == {1}


async def test_check_and_a_wrong_token() -> None:
    sandbox = shop(0, shop_name="Northwind Prints")
    with loopback(sandbox) as adapter:
        line = await adapter.check()
        await adapter.aclose()
    assert line.startswith("Northwind Prints (podtui-sandbox.myshopify.com")
    with loopback(sandbox) as good_url_adapter:
        url = good_url_adapter.api.base_url
        await good_url_adapter.aclose()
        from tests.adapters.stores.shopify_support import adapter_for

        wrong = adapter_for(url, token="shpat_wrong_secret_value")
        with pytest.raises(ApiError) as refused:
            await wrong.check()
        await wrong.aclose()
    assert refused.value.http_status == 401
    assert "Invalid API key or access token" in str(refused.value)
    assert "shpat_wrong_secret_value" not in str(refused.value) + refused.value.raw
    assert TOKEN not in refused.value.raw
