"""Shipping methods at Printify and Printful: quoted for one order, sent as chosen, and an unknown
or unavailable method refused (by the adapter before any call, or by the sandbox like the vendor).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import ShippingQuoter
from podtui.adapters.vendors.hotfolder import HotFolderAdapter
from podtui.adapters.vendors.printful import PrintfulAdapter
from podtui.adapters.vendors.printify import PrintifyAdapter
from podtui.domain.address import ShippingAddress
from podtui.domain.shipping import default_method
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from tests.adapters.vendors.printful_support import request as printful_request
from tests.adapters.vendors.test_printify import adapter as printify_adapter
from tests.adapters.vendors.test_printify import request as printify_request

BERLIN = {"state": "", "postal_code": "10115", "country": "DE", "city": "Berlin"}


@pytest.fixture
async def printify(vendor_api: tuple[SandboxPrintify, str]) -> AsyncIterator[PrintifyAdapter]:
    """The Printify adapter on the loopback sandbox, closed after the test."""
    adapter = printify_adapter(vendor_api[1])
    yield adapter
    await adapter.aclose()


async def _quote(
    printify: PrintifyAdapter, tmp_path: Path, **address: str
) -> list[tuple[str, int | None]]:
    options = await printify.shipping_options(printify_request(tmp_path, **address))
    return [(o.method, o.cost_cents) for o in options]


async def test_printify_quotes_what_the_order_can_use(
    printify: PrintifyAdapter, vendor_api: tuple[SandboxPrintify, str], tmp_path: Path
) -> None:
    sandbox, _ = vendor_api
    us = await _quote(printify, tmp_path)
    # Economy is quoted but refused for lines that create their product: never offered.
    assert [m for m, _ in us] == ["standard", "priority", "printify_express"]
    assert all(isinstance(c, int) and c > 0 for _, c in us)
    [quote] = [r for r in sandbox.requests if r.url.path.endswith("/orders/shipping.json")]
    body = json.loads(quote.content)
    assert body["address_to"]["country"] == "US"
    assert body["line_items"][0]["variant_id"] == 33719
    assert "print_areas" not in body["line_items"][0]  # a quote uploads nothing
    assert not [r for r in sandbox.requests if "uploads" in r.url.path]
    # Printify Express ships within the US only.
    assert [m for m, _ in await _quote(printify, tmp_path, **BERLIN)] == ["standard", "priority"]


async def test_printify_cheapest_is_the_default(printify: PrintifyAdapter, tmp_path: Path) -> None:
    options = await printify.shipping_options(printify_request(tmp_path))
    assert default_method(options) == "standard"


@pytest.mark.parametrize(("method", "code"), [("priority", 2), ("printify_express", 3)])
async def test_printify_sends_the_chosen_method(
    printify: PrintifyAdapter,
    vendor_api: tuple[SandboxPrintify, str],
    tmp_path: Path,
    method: str,
    code: int,
) -> None:
    sandbox, _ = vendor_api
    await printify.submit(dataclasses.replace(printify_request(tmp_path), shipping_method=method))
    assert sandbox.created[0]["shipping_method"] == code


async def test_printify_unknown_method_is_refused_before_any_call(
    printify: PrintifyAdapter, vendor_api: tuple[SandboxPrintify, str], tmp_path: Path
) -> None:
    sandbox, _ = vendor_api
    req = dataclasses.replace(printify_request(tmp_path), shipping_method="warp")
    with pytest.raises(ApiError, match="warp") as caught:
        await printify.submit(req)
    assert caught.value.code == "shipping_method" and not caught.value.retryable
    assert sandbox.created == [] and sandbox.requests == []


async def test_printify_sandbox_refuses_express_outside_the_us(
    printify: PrintifyAdapter, vendor_api: tuple[SandboxPrintify, str], tmp_path: Path
) -> None:
    sandbox, _ = vendor_api
    req = dataclasses.replace(
        printify_request(tmp_path, **BERLIN), shipping_method="printify_express"
    )
    with pytest.raises(ApiError, match="shipping method") as caught:
        await printify.submit(req)
    assert caught.value.http_status == 422
    assert sandbox.created == []


def test_printify_quote_without_an_address_is_refused_like_printify(
    vendor_api: tuple[SandboxPrintify, str],
) -> None:
    import httpx

    sandbox, url = vendor_api
    reply = httpx.post(
        f"{url}/v1/shops/{sandbox.shop_id}/orders/shipping.json",
        json={"line_items": [{"blueprint_id": 68, "print_provider_id": 1, "variant_id": 1}]},
        headers={"Authorization": f"Bearer {sandbox.token}", "User-Agent": "t"},
    )
    assert reply.status_code == 422
    assert reply.json()["code"] == 8103


async def test_printful_rates_for_the_recipient(
    printful: PrintfulAdapter, printful_server: tuple[SandboxPrintful, str]
) -> None:
    sandbox, _ = printful_server
    options = await printful.shipping_options(printful_request("PF-1", 11, 12))
    assert [o.method for o in options] == ["STANDARD", "PRINTFUL_FAST", "EXPRESS"]
    standard = options[0]
    assert standard.cost_cents is not None and standard.cost_cents > 0
    assert standard.days  # "3-5 days" from minDeliveryDays/maxDeliveryDays
    assert default_method(options) == "STANDARD"
    [post] = [r for r in sandbox.requests if r.url.path == "/shipping/rates"]
    body = json.loads(post.content)
    assert body["recipient"]["country_code"] == "US"
    assert body["items"] == [
        {"variant_id": 4011, "quantity": 1},
        {"variant_id": 4011, "quantity": 2},
    ]
    abroad = dataclasses.replace(
        printful_request("PF-2", 11),
        address=ShippingAddress(
            name="Jon Doe", address1="Unter den Linden 1", city="Berlin", postal_code="10117",
            country="DE",
        ),
    )  # fmt: skip
    assert [o.method for o in await printful.shipping_options(abroad)] == ["STANDARD", "EXPRESS"]
    assert sandbox.orders == {}  # quoting creates nothing


async def test_printful_sends_the_chosen_rate(
    printful: PrintfulAdapter, printful_server: tuple[SandboxPrintful, str]
) -> None:
    sandbox, _ = printful_server
    order = await printful.submit(
        dataclasses.replace(printful_request("PF-3", 11), shipping_method="EXPRESS")
    )
    assert sandbox.orders[int(order.vendor_order_id)]["shipping"] == "EXPRESS"


async def test_printful_refuses_a_rate_the_recipient_cannot_have(
    printful: PrintfulAdapter, printful_server: tuple[SandboxPrintful, str]
) -> None:
    sandbox, _ = printful_server
    with pytest.raises(ApiError, match="WARP") as caught:
        await printful.submit(
            dataclasses.replace(printful_request("PF-4", 11), shipping_method="WARP")
        )
    assert caught.value.http_status == 400
    assert sandbox.orders == {}


async def test_the_vendors_with_methods_to_choose_are_shipping_quoters(
    printful: PrintfulAdapter,
) -> None:
    # The send confirm asks the protocol, so an adapter is offered a choice by what it declares.
    assert issubclass(PrintifyAdapter, ShippingQuoter)
    assert isinstance(printful, ShippingQuoter)
    assert not issubclass(HotFolderAdapter, ShippingQuoter)  # one way to ship: no choice
    assert [o.method for o in PrintfulAdapter.shipping_choices()] == [
        "STANDARD",
        "PRINTFUL_FAST",
        "EXPRESS",
    ]
    assert "standard" in {o.method for o in PrintifyAdapter.shipping_choices()}
