"""The WooCommerce adapter against a sandbox store on a real loopback socket, faults included."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from podtui.adapters.http import ApiError
from podtui.adapters.stores.base import OrderPage, TrackingPush
from podtui.adapters.stores.kinds import StoreUnavailableError, adapter_class
from podtui.adapters.stores.woocommerce import StoreSetupError, WooCommerceAdapter, api_base
from podtui.adapters.stores.woocommerce_orders import parse_order, parse_orders
from podtui.domain.models import Store
from podtui.sandbox.http import Fault
from podtui.sandbox.woocommerce import SandboxWooStore
from tests.adapters.stores.woo_support import FAST, FIXTURES, KEY, SECRET, woo_order


def adapter(
    url: str, *, secret: str = f"{KEY}:{SECRET}", timeout: float = 5.0
) -> WooCommerceAdapter:
    row = Store(name="Loopback Woo", kind="woocommerce", base_url=url)
    return WooCommerceAdapter(row, secret, retry=FAST, timeout=timeout)


async def all_pages(a: WooCommerceAdapter, **kw: Any) -> list[OrderPage]:
    try:
        return [page async for page in a.list_orders(**kw)]
    finally:
        await a.aclose()


def ids_of(pages: list[OrderPage]) -> list[str]:
    return [o.store_order_id for p in pages for o in p.orders]


# -- parsing the documentation's payloads ----------------------------------------------------


def test_the_documented_order_reads_whole() -> None:
    order = parse_order(json.loads((FIXTURES / "woo_order.json").read_text()))
    assert order.store_order_id == "727" and order.name == "727"
    assert order.created_at.isoformat() == "2017-03-22T19:28:02+00:00"  # the _gmt time
    assert order.total == Decimal("29.35") and order.currency == "USD"
    assert order.payment_status == "paid" and order.store_status == "processing"
    assert order.customer_name == "John Doe" and order.customer_email == "john.doe@example.com"
    assert order.shipping.city == "San Francisco" and order.shipping.postal_code == "94103"
    assert order.shipping.phone == "(555) 555-5555"  # from billing: shipping has none
    assert order.shipping_method == "Flat Rate"
    single, variation = order.lines
    assert (single.product_id, single.variant_id, single.quantity) == ("93", "", 2)
    assert variation.title == "Ship Your Idea"
    assert variation.variant_title == "Color: Black, Size: M Test"
    assert variation.properties == {"pa_color": "black", "size": "M Test"}
    assert variation.price == Decimal("12")


def test_the_documented_list_and_update_read() -> None:
    orders, problems = parse_orders(json.loads((FIXTURES / "woo_orders.json").read_text()))
    assert [o.store_order_id for o in orders] == ["727", "723"] and problems == []
    assert orders[1].fulfillment_status == "fulfilled"
    updated = parse_order(json.loads((FIXTURES / "woo_order_updated.json").read_text()))
    assert updated.store_status == "completed"


def test_missing_and_odd_fields_still_read() -> None:
    no_shipping = woo_order(1, shipping=None)
    guest = woo_order(2, billing=None, customer_id=None)
    plugin_status = woo_order(3, status="wc-awaiting-proof")
    orders, problems = parse_orders([no_shipping, guest, plugin_status])
    assert problems == []
    first, second, third = orders
    assert first.shipping.address1 == "969 Market"  # the billing address stands in
    assert second.customer_name == "John Doe" and second.customer_email == ""  # shipping's name
    assert third.store_status == "wc-awaiting-proof" and third.payment_status == "paid"


def test_unreadable_payloads_become_problems_and_the_rest_reads() -> None:
    bad_total = woo_order(5, total="twelve")
    no_id = {k: v for k, v in woo_order(6).items() if k != "id"}
    bad_lines = woo_order(7, line_items={"oops": 1})
    orders, problems = parse_orders([woo_order(4), bad_total, no_id, "garbage", bad_lines])
    assert [o.store_order_id for o in orders] == ["4"]
    assert [p.store_order_id for p in problems] == ["5", "", "", "7"]
    assert "total is not an amount" in problems[0].reason
    assert '"twelve"' in problems[0].raw  # the payload is kept, to read and fix


# -- listing over a real socket --------------------------------------------------------------


async def test_many_pages_arrive_once_each_in_order(woo: SandboxWooStore, woo_url: str) -> None:
    for i in range(1, 351):
        woo.add_order(woo_order(i))
    pages = await all_pages(adapter(woo_url))
    ids = ids_of(pages)
    assert ids == [str(i) for i in range(1, 351)]
    assert [p.total_pages for p in pages] == [4, 4, 4, 4]
    listing = [r for r in woo.requests if r.url.path.endswith("/orders")]
    assert sorted(r.url.params["page"] for r in listing) == ["1", "2", "3", "4"]
    assert {r.url.params["per_page"] for r in listing} == {"100"}
    assert pages[-1].cursor is not None  # the newest change seen, for the next incremental sync


async def test_faults_are_ridden_out_and_nothing_lost_or_doubled(
    woo: SandboxWooStore, woo_url: str
) -> None:
    for i in range(1, 451):
        woo.add_order(woo_order(i))
    woo.inject(Fault("status", 429, retry_after=0.05, path="/orders"))
    woo.inject(Fault("status", 500, path="/orders", times=2))
    woo.inject(Fault("drop", path="/orders"))
    woo.inject(Fault("malformed", path="/orders"))
    woo.inject(Fault("timeout", path="/orders", delay=0.6))
    pages = await all_pages(adapter(woo_url, timeout=0.3))
    counts = Counter(ids_of(pages))
    assert set(counts) == {str(i) for i in range(1, 451)}
    assert max(counts.values()) == 1
    assert len(woo.requests) >= 5 + 6  # every fault was met and retried


async def test_a_page_that_stays_broken_fails_the_listing(
    woo: SandboxWooStore, woo_url: str
) -> None:
    for i in range(1, 120):
        woo.add_order(woo_order(i))
    woo.inject(Fault("status", 500, path="/orders", times=99))
    with pytest.raises(ApiError) as info:
        await all_pages(adapter(woo_url))
    assert info.value.http_status == 500
    assert SECRET not in str(info.value) and KEY not in info.value.raw


async def test_unreadable_orders_in_a_page_are_kept_beside_the_rest(
    woo: SandboxWooStore, woo_url: str
) -> None:
    for i in range(1, 6):
        woo.add_order(woo_order(i))
    woo.orders[3]["date_created_gmt"] = "yesterday"
    pages = await all_pages(adapter(woo_url))
    assert ids_of(pages) == ["1", "2", "4", "5"]
    (problem,) = pages[0].problems
    assert problem.store_order_id == "3" and "date_created_gmt" in problem.reason


async def test_checkout_drafts_are_not_orders(woo: SandboxWooStore, woo_url: str) -> None:
    woo.add_order(woo_order(1))
    woo.add_order(woo_order(2, status="checkout-draft"))
    pages = await all_pages(adapter(woo_url))
    assert ids_of(pages) == ["1"] and pages[0].problems == ()


async def test_filters_reach_the_api(woo: SandboxWooStore, woo_url: str, clock: Any) -> None:
    for i in range(1, 11):
        woo.add_order(woo_order(i, minutes=i * 60))
    a = adapter(woo_url)
    from datetime import timedelta

    from tests.adapters.stores.woo_support import T0

    pages = await all_pages(a, created_from=T0 + timedelta(hours=3, minutes=30),
                            created_to=T0 + timedelta(hours=6, minutes=30))  # fmt: skip
    assert ids_of(pages) == ["4", "5", "6"]
    request = woo.requests[-1]
    assert request.url.params["dates_are_gmt"] == "true"
    assert request.url.params["after"] == "2026-11-01T12:30:00"
    woo.update_order(7, customer_note="please gift wrap")  # date_modified moves to the clock
    pages = await all_pages(adapter(woo_url), updated_since=clock.now - timedelta(minutes=1))
    assert ids_of(pages) == ["7"]


async def test_get_orders_by_id_names_the_missing_ones(woo: SandboxWooStore, woo_url: str) -> None:
    for i in range(1, 6):
        woo.add_order(woo_order(i))
    a = adapter(woo_url)
    page = await a.get_orders(["4", "2", "99"])
    await a.aclose()
    assert sorted(o.store_order_id for o in page.orders) == ["2", "4"]
    (missing,) = page.problems
    assert missing.store_order_id == "99"
    assert woo.requests[-1].url.params["include"] == "4,2,99"


# -- writing back ----------------------------------------------------------------------------


async def test_tracking_push_is_written_once_even_when_repeated(
    woo: SandboxWooStore, woo_url: str
) -> None:
    woo.add_order(woo_order(1))
    push = TrackingPush("1", (), "UPS", "1Z999AA10123456784", "https://ups.test/1Z999")
    a = adapter(woo_url)
    first = await a.push_tracking(push)
    again = await a.push_tracking(push)
    await a.aclose()
    assert first == again
    tracking_notes = [n for n in woo.notes[1] if "1Z999AA10123456784" in n["note"]]
    assert len(tracking_notes) == 1 and tracking_notes[0]["customer_note"] is True
    assert woo.orders[1]["status"] == "completed"


async def test_partial_tracking_adds_the_note_but_leaves_the_status(
    woo: SandboxWooStore, woo_url: str
) -> None:
    woo.add_order(woo_order(1))
    a = adapter(woo_url)
    await a.push_tracking(TrackingPush("1", ("10",), "DHL", "JD014600006281", ""))
    note_id = await a.add_note("1", "Sent to Printify")
    await a.set_status("1", "on-hold")
    await a.aclose()
    assert woo.orders[1]["status"] == "on-hold"
    assert any(str(n["id"]) == note_id for n in woo.notes[1])


async def test_wrong_credentials_say_so_without_the_secret(woo_url: str) -> None:
    a = adapter(woo_url, secret="ck_wrong:cs_very_secret")
    with pytest.raises(ApiError) as info:
        await a.check()
    await a.aclose()
    assert info.value.http_status == 401
    assert "cs_very_secret" not in str(info.value) + info.value.raw


def test_setup_refuses_plain_http_off_loopback_and_bad_secrets() -> None:
    assert api_base("http://127.0.0.1:8080") == "http://127.0.0.1:8080/wp-json/wc/v3"
    assert api_base("https://shop.example/") == "https://shop.example/wp-json/wc/v3"
    with pytest.raises(StoreSetupError, match="plain http"):
        api_base("http://shop.example")
    with pytest.raises(StoreSetupError, match="ck_"):
        adapter("https://shop.example", secret="just-a-token")


def test_store_kinds_load_lazily_and_unknown_ones_say_so() -> None:
    assert adapter_class("woocommerce") is WooCommerceAdapter
    with pytest.raises(StoreUnavailableError, match="magento"):
        adapter_class("magento")
    try:
        adapter_class("shopify")
    except StoreUnavailableError as exc:  # until the Shopify adapter lands
        assert "Shopify stores are not available" in str(exc)


@pytest.mark.parametrize(
    ("status", "payment"),
    [
        ("pending", "unpaid"),  # "Pending payment": no payment yet
        ("failed", "unpaid"),
        ("on-hold", "pending"),  # awaiting a bank transfer or a cheque
        ("processing", "paid"),
        ("completed", "paid"),
        ("cancelled", "voided"),
        ("refunded", "refunded"),
    ],
)
def test_the_payment_status_is_read_from_the_order_status(status: str, payment: str) -> None:
    assert parse_order(woo_order(1, status=status)).payment_status == payment
