"""The Printify adapter against the sandbox on a real loopback socket."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import VendorLine, VendorOrderRequest, VendorStage
from podtui.adapters.vendors.printify import PrintifyAdapter, field_errors
from podtui.domain.address import ShippingAddress
from podtui.domain.models import Vendor
from podtui.sandbox.http import Fault
from podtui.sandbox.printify import SandboxPrintify
from tests.services.sending.conftest import SHOP_ID, TOKEN, tiny_png

ADDRESS = ShippingAddress(
    name="Ada Lovelace",
    address1="1 Market St",
    city="San Francisco",
    state="CA",
    postal_code="94105",
    country="US",
    email="ada@example.com",
)


# Long enough that no answer of a busy machine's sandbox is taken for a timeout; the tests that
# inject a timeout pass a short one (the sandbox then stays silent for longer than it).
LONG_TIMEOUT = 10.0
SHORT_TIMEOUT = 0.3


def adapter(url: str, **settings: object) -> PrintifyAdapter:
    vendor = Vendor(
        name="Printify test",
        kind="printify",
        base_url=url,
        settings={"shop_id": SHOP_ID, "timeout": LONG_TIMEOUT, **settings},
    )
    return PrintifyAdapter(vendor, TOKEN)


def request(tmp_path: Path, key: str = "NW1001-1-abc", **address: str) -> VendorOrderRequest:
    png = tmp_path / "art.png"
    png.write_bytes(tiny_png())
    line = VendorLine(
        item_id=1,
        quantity=2,
        sku="MUG-11",
        vendor_product={"blueprint_id": 68, "print_provider_id": 1, "variant_id": 33719},
        print_file=png,
    )
    addr = ShippingAddress(**{**ADDRESS.as_dict(), **address})
    return VendorOrderRequest(key, (line,), addr, label="#1001")


def test_submit_uploads_creates_and_sends_to_production(
    vendor_api: tuple[SandboxPrintify, str], tmp_path: Path
) -> None:
    sandbox, url = vendor_api
    a = adapter(url)
    order = asyncio.run(_submit(a, request(tmp_path)))
    assert order.stage is VendorStage.ACCEPTED and order.vendor_status == "sending-to-production"
    assert order.external_id == "NW1001-1-abc"
    paths = [(r.method, r.url.path) for r in sandbox.requests]
    assert paths == [
        ("POST", "/v1/uploads/images.json"),
        ("POST", f"/v1/shops/{SHOP_ID}/orders.json"),
        ("POST", f"/v1/shops/{SHOP_ID}/orders/{order.vendor_order_id}/send_to_production.json"),
    ]
    for r in sandbox.requests:
        assert r.headers["authorization"] == f"Bearer {TOKEN}"
        assert r.headers["user-agent"].startswith("podtui/")
    upload = json.loads(sandbox.requests[0].content)
    assert base64.b64decode(upload["contents"]) == tiny_png()
    body = sandbox.created[0]
    assert body["external_id"] == "NW1001-1-abc"
    assert body["address_to"]["region"] == "CA" and body["address_to"]["last_name"] == "Lovelace"
    line = body["line_items"][0]
    assert line["variant_id"] == 33719 and line["quantity"] == 2
    assert line["print_areas"]["front"].startswith("https://")


async def _submit(a: PrintifyAdapter, req: VendorOrderRequest):  # type: ignore[no-untyped-def]
    try:
        return await a.submit(req)
    finally:
        await a.aclose()


def test_a_422_keeps_code_message_status_and_raw_body(
    vendor_api: tuple[SandboxPrintify, str], tmp_path: Path
) -> None:
    sandbox, url = vendor_api
    with pytest.raises(ApiError) as caught:
        asyncio.run(_submit(adapter(url), request(tmp_path, postal_code="")))
    err = caught.value
    assert err.http_status == 422 and err.code == "8103"
    assert "zip: The zip field is required." in err.message
    assert json.loads(err.raw)["errors"]["code"] == 8103
    assert not err.retryable and not err.outcome_unknown
    assert TOKEN not in str(err) and TOKEN not in err.raw
    assert sandbox.orders_by_external_id() == {}


def test_field_errors_reads_json_text_and_plain_text() -> None:
    assert field_errors('{"zip":["The zip field is required."]}') == (
        "zip: The zip field is required."
    )
    assert field_errors("Order can not be canceled.") == "Order can not be canceled."


def test_a_lost_create_reply_is_outcome_unknown(
    vendor_api: tuple[SandboxPrintify, str], tmp_path: Path
) -> None:
    sandbox, url = vendor_api
    sandbox.inject(Fault("timeout_after", method="POST", path="/orders.json", delay=1.0))
    with pytest.raises(ApiError) as caught:
        asyncio.run(_submit(adapter(url, timeout=SHORT_TIMEOUT), request(tmp_path)))
    assert caught.value.outcome_unknown
    assert sandbox.orders_by_external_id()["NW1001-1-abc"] == 1  # the vendor did accept it


def test_find_pages_back_and_resume_finishes_a_half_done_order(
    vendor_api: tuple[SandboxPrintify, str], tmp_path: Path
) -> None:
    sandbox, url = vendor_api
    # The first order's send to production is lost for good: created, on hold.
    sandbox.inject(Fault("drop", path="send_to_production", times=5))
    with pytest.raises(ApiError) as caught:
        asyncio.run(_submit(adapter(url), request(tmp_path, key="first")))
    assert caught.value.outcome_unknown and "was created but not sent" in caught.value.message
    for n in range(24):
        asyncio.run(_submit(adapter(url), request(tmp_path, key=f"later-{n}")))

    async def look(pages: int) -> tuple[object, object]:
        a = adapter(url, lookback_pages=pages)
        try:
            found = await a.find("first")
            resumed = await a.resume(found) if found is not None else None
            return found, resumed
        finally:
            await a.aclose()

    assert asyncio.run(look(2)) == (None, None)  # 20 newer orders hide it
    found, resumed = asyncio.run(look(3))
    assert found is not None and found.vendor_status == "on-hold"  # type: ignore[attr-defined]
    assert resumed.vendor_status == "sending-to-production"  # type: ignore[attr-defined]
    assert sandbox.orders_by_external_id()["first"] == 1


def test_cancel_where_allowed_and_the_reason_where_not(
    vendor_api: tuple[SandboxPrintify, str], tmp_path: Path
) -> None:
    _sandbox, url = vendor_api

    async def run() -> None:
        a = adapter(url)
        try:
            body = await a.order_body(request(tmp_path, key="hold-me"))
            created = await a.api.json("POST", f"shops/{SHOP_ID}/orders.json", json_body=body)
            canceled = await a.cancel(created["id"])
            assert canceled.stage is VendorStage.CANCELED
            produced = await a.submit(request(tmp_path, key="produced"))
            with pytest.raises(ApiError) as caught:
                await a.cancel(produced.vendor_order_id)
            assert "can not be canceled" in caught.value.message
            status = await a.status(produced.vendor_order_id)
            assert status.vendor_status == "sending-to-production"
        finally:
            await a.aclose()

    asyncio.run(run())


def test_webhook_payload_becomes_a_vendor_order(vendor_api: tuple[SandboxPrintify, str]) -> None:
    a = adapter(vendor_api[1])
    shipped = a.parse_webhook(
        {
            "id": "653b",
            "type": "order:shipment:created",
            "resource": {
                "id": "5a96f649b2439217d070f507",
                "type": "order",
                "data": {
                    "shop_id": SHOP_ID,
                    "shipped_at": "2026-03-02 10:00:00+00:00",
                    "carrier": {"code": "USPS", "tracking_number": "9400", "tracking_url": "u"},
                },
            },
        }
    )
    assert shipped is not None and shipped.stage is VendorStage.FULFILLED
    assert shipped.shipments[0].tracking_number == "9400"
    assert a.parse_webhook({"type": "product:deleted", "resource": {}}) is None


def test_no_token_or_no_shop_is_a_clear_error() -> None:
    vendor = Vendor(name="P", kind="printify", settings={"shop_id": 1})
    with pytest.raises(ApiError, match="no API token"):
        PrintifyAdapter(vendor, None)
    with pytest.raises(ApiError, match="no shop_id"):
        PrintifyAdapter(Vendor(name="P", kind="printify"), "t")
