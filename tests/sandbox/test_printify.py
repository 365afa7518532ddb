"""The sandbox Printify vendor, driven through real httpx clients."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from podtui.sandbox.http import Fault, serve_loopback
from podtui.sandbox.printify import SandboxPrintify
from podtui.sandbox.router import orders_per_external_id, sandbox_vendor_transport

SHOP = 8675309
HEADERS = {"Authorization": "Bearer sandbox-token", "User-Agent": "podtui-tests/1.0"}


def order_body(external_id: str = "AL-4120-1", **address: Any) -> dict[str, Any]:
    """The submit body of apis.md, with a creating line item (per-order print areas)."""
    return {
        "external_id": external_id,
        "label": "#4120",
        "line_items": [
            {
                "print_provider_id": 1,
                "blueprint_id": 68,
                "variant_id": 33719,
                "print_areas": {"front": "https://files.example/print/4120-1.png"},
                "quantity": 1,
            }
        ],
        "shipping_method": 1,
        "send_shipping_notification": False,
        "address_to": {
            "first_name": "Zoë",
            "last_name": "Müller",
            "email": "zoe.muller@example.com",
            "phone": "030 1234567",
            "country": "DE",
            "region": "",
            "address1": "Bergmannstraße 42",
            "address2": "",
            "city": "Berlin",
            "zip": "10961",
            **address,
        },
    }


@pytest.fixture
def vendor() -> SandboxPrintify:
    return SandboxPrintify()


@pytest.fixture
def client(vendor: SandboxPrintify) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{vendor.base_url}/v1/shops/{SHOP}",
        transport=sandbox_vendor_transport(vendor),
        headers=HEADERS,
    ) as c:
        yield c


def test_create_get_and_produce(client: httpx.Client, vendor: SandboxPrintify) -> None:
    r = client.post("/orders.json", json=order_body())
    assert r.status_code == 200 and set(r.json()) == {"id"}
    order_id = r.json()["id"]
    order = client.get(f"/orders/{order_id}.json").json()
    assert order["status"] == "on-hold"
    assert (
        order["metadata"]["shop_order_id"] == "AL-4120-1"
        and order["metadata"]["order_type"] == "api"
    )
    assert order["address_to"]["city"] == "Berlin" and order["line_items"][0]["status"] == "on-hold"
    assert order["created_at"].endswith("+00:00")
    produced = client.post(f"/orders/{order_id}/send_to_production.json")
    assert produced.json()["status"] == "sending-to-production"
    refused = client.post(f"/orders/{order_id}/cancel.json")
    assert refused.status_code == 400 and refused.json()["code"] == 10300
    vendor.ship(
        order_id,
        "usps",
        "94001116990045395649372",
        "https://tools.usps.com/go/TrackConfirmAction?tLabels=94001116990045395649372",
    )
    shipped = client.get(f"/orders/{order_id}.json").json()
    assert shipped["status"] == "fulfilled" and shipped["shipments"][0]["number"].startswith("9400")


def test_cancel_only_while_on_hold(client: httpx.Client) -> None:
    order_id = client.post("/orders.json", json=order_body()).json()["id"]
    assert client.post(f"/orders/{order_id}/cancel.json").json()["status"] == "canceled"
    assert client.post(f"/orders/{order_id}/send_to_production.json").status_code == 400
    assert client.get("/orders/" + "0" * 24 + ".json").status_code == 404


@pytest.mark.parametrize(
    ("address", "field", "message"),
    [
        ({"zip": ""}, "zip", "The zip field is required."),
        ({"zip": "1096"}, "zip", "The zip format is invalid for the selected country."),
        (
            {"country": "US", "zip": "94103", "region": ""},
            "region",
            "The region field is required when country is US.",
        ),
        ({"country": "XX"}, "country", "The selected country is invalid."),
        ({"address1": " "}, "address1", "The address1 field is required."),
    ],
)
def test_bad_addresses_are_refused_with_8103(
    client: httpx.Client, vendor: SandboxPrintify, address: dict[str, str], field: str, message: str
) -> None:
    r = client.post("/orders.json", json=order_body(**address))
    assert r.status_code == 400
    body = r.json()
    assert (
        body["status"] == "error"
        and body["code"] == 8103
        and body["message"] == "Validation failed."
    )
    assert body["errors"]["code"] == 8103
    assert json.loads(body["errors"]["reason"])[field] == [message]
    assert vendor.created == [] and vendor.orders == {}


def test_bad_line_items_and_missing_external_id(client: httpx.Client) -> None:
    body = order_body()
    body["external_id"] = ""
    body["line_items"] = [{"product_id": "5bfd0b66a342bcc9b5563216", "quantity": 0}]
    reason = json.loads(client.post("/orders.json", json=body).json()["errors"]["reason"])
    assert set(reason) == {"external_id", "line_items.0.quantity", "line_items.0.product_id"}
    assert client.post("/orders.json", content=b"{").json()["code"] == 8103


def test_validation_status_can_be_422() -> None:
    vendor = SandboxPrintify(validation_status=422)
    with httpx.Client(transport=vendor.transport(), headers=HEADERS) as c:
        r = c.post(f"{vendor.base_url}/v1/shops/{SHOP}/orders.json", json=order_body(zip=""))
    assert r.status_code == 422 and r.json()["code"] == 8103


def test_list_pages_by_ten_at_most(client: httpx.Client) -> None:
    for n in range(23):
        client.post("/orders.json", json=order_body(f"AL-{n}-1"))
    first = client.get("/orders.json", params={"limit": 10, "page": 1}).json()
    assert first["current_page"] == 1 and len(first["data"]) == 10 and first["last_page"] == 3
    last = client.get("/orders.json", params={"limit": 10, "page": 3}).json()
    assert len(last["data"]) == 3 and last["next_page_url"] is None
    found = [
        o["metadata"]["shop_order_id"]
        for p in (1, 2, 3)
        for o in client.get("/orders.json", params={"page": p}).json()["data"]
    ]
    assert sorted(found) == sorted(f"AL-{n}-1" for n in range(23))
    too_many = client.get("/orders.json", params={"limit": 11})
    assert too_many.status_code == 400 and "limit" in json.loads(
        too_many.json()["errors"]["reason"]
    )


def test_auth_and_user_agent_are_required(vendor: SandboxPrintify) -> None:
    url = f"{vendor.base_url}/v1/shops/{SHOP}/orders.json"
    with httpx.Client(transport=vendor.transport()) as c:
        assert c.get(url, headers={"User-Agent": "x"}).status_code == 401
        assert (
            c.get(url, headers={"User-Agent": "x", "Authorization": "Bearer nope"}).status_code
            == 401
        )
        assert (
            c.get(
                url, headers={"Authorization": "Bearer sandbox-token", "User-Agent": ""}
            ).status_code
            == 400
        )
        assert (
            c.get(f"{vendor.base_url}/v1/shops/1/orders.json", headers=HEADERS).status_code == 403
        )
        shops = c.get(f"{vendor.base_url}/v1/shops.json", headers=HEADERS).json()
        assert shops[0]["id"] == SHOP


def test_upload_reads_the_image(vendor: SandboxPrintify) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "red").save(buffer, "PNG")
    body = {"file_name": "4120-1.png", "contents": base64.b64encode(buffer.getvalue()).decode()}
    with httpx.Client(transport=vendor.transport(), headers=HEADERS) as c:
        r = c.post(f"{vendor.base_url}/v1/uploads/images.json", json=body)
        assert r.status_code == 200
        assert (r.json()["width"], r.json()["height"], r.json()["mime_type"]) == (
            120,
            80,
            "image/png",
        )
        bad = c.post(
            f"{vendor.base_url}/v1/uploads/images.json",
            json={"file_name": "x.png", "contents": "%%%"},
        )
        assert bad.status_code == 400 and "contents" in json.loads(bad.json()["errors"]["reason"])


def test_orders_are_counted_per_external_id_even_when_the_reply_is_lost(
    client: httpx.Client, vendor: SandboxPrintify
) -> None:
    vendor.inject(Fault("drop_after", method="POST", path="/orders.json"))
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/orders.json", json=order_body("NW-1001-1"))
    client.post("/orders.json", json=order_body("NW-1001-1"))  # a careless retry: sent twice
    client.post("/orders.json", json=order_body("NW-1002-1"))
    counts = orders_per_external_id(vendor)
    assert counts == {"NW-1001-1": 2, "NW-1002-1": 1}
    vendor.inject(Fault("timeout_after", method="POST"))
    with pytest.raises(httpx.ReadTimeout):
        client.post("/orders.json", json=order_body("NW-1003-1"))
    assert vendor.orders_by_external_id()["NW-1003-1"] == 1


def test_injected_statuses_and_the_rate_limit() -> None:
    ticks = [0.0]
    vendor = SandboxPrintify(rate_limit_per_min=3, monotonic=lambda: ticks[0])
    vendor.inject(Fault("status", status=503))
    with httpx.Client(
        base_url=f"{vendor.base_url}/v1/shops/{SHOP}", transport=vendor.transport(), headers=HEADERS
    ) as c:
        assert c.get("/orders.json").status_code == 503
        assert c.get("/orders.json").status_code == 200
        assert c.get("/orders.json").status_code == 200
        limited = c.get("/orders.json")
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
        ticks[0] = 61.0
        assert c.get("/orders.json").status_code == 200


def test_payment_required_when_the_balance_runs_out(
    client: httpx.Client, vendor: SandboxPrintify
) -> None:
    vendor.balance_cents = 0
    r = client.post("/orders.json", json=order_body())
    assert r.status_code == 402 and r.json()["status"] == "error"


def test_on_a_real_socket(vendor: SandboxPrintify) -> None:
    with (
        serve_loopback(vendor.handler) as base,
        httpx.Client(base_url=f"{base}/v1/shops/{SHOP}", headers=HEADERS) as c,
    ):
        assert c.post("/orders.json", json=order_body()).status_code == 200
        vendor.inject(Fault("drop_after"))
        with pytest.raises(httpx.RemoteProtocolError):
            c.post("/orders.json", json=order_body("AL-2"))
    assert vendor.orders_by_external_id() == {"AL-4120-1": 1, "AL-2": 1}
