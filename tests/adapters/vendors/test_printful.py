"""The Printful adapter against a Printful sandbox on a real socket, faults included.

Each fault: no order reaches Printful twice, none is lost (a lost reply finds the order Printful
made), and a failure keeps Printful's reason, HTTP status and raw body, never the token.
"""

from __future__ import annotations

import dataclasses
import json

import pytest

from podtui import config
from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import VendorLine, VendorStage
from podtui.adapters.vendors.printful import PrintfulAdapter, parse_webhook
from podtui.domain.address import ShippingAddress
from podtui.sandbox.http import Fault
from podtui.sandbox.printful import SandboxPrintful
from tests.adapters.vendors.printful_support import (
    SHORT_TIMEOUT,
    TOKEN,
    printful_vendor,
    request,
)

Server = tuple[SandboxPrintful, str]


def created(sandbox: SandboxPrintful) -> dict[str, int]:
    return dict(sandbox.orders_by_external_id())


async def test_submit_creates_a_confirmed_order_with_print_files_by_url(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    order = await printful.submit(request("PF-1001-1", 11, 12))
    assert order.stage is VendorStage.ACCEPTED and order.vendor_status == "pending"
    assert order.external_id == "PF-1001-1"
    [post] = [r for r in sandbox.requests if r.method == "POST"]
    assert post.url.params["confirm"] == "true"
    assert post.headers["x-pf-store-id"] == "424242"
    body = json.loads(post.content)
    assert body["external_id"] == "PF-1001-1"
    assert body["recipient"]["state_code"] == "CA" and body["recipient"]["zip"] == "91311"
    first = body["items"][0]
    assert first["variant_id"] == 4011 and first["external_id"] == "11"
    assert first["files"] == [{"type": "default", "url": "https://files.shop.test/pf/11.png"}]
    assert created(sandbox) == {"PF-1001-1": 1}


async def test_print_file_url_keeps_the_folder_layout_under_the_base_url(
    printful: PrintfulAdapter,
) -> None:
    path = config.print_files_dir() / "sandbox-woo" / "1001" / "11-custom pet.png"
    url = printful.file_url(VendorLine(item_id=11, quantity=1, print_file=path))
    assert url == "https://files.shop.test/pf/sandbox-woo/1001/11-custom%20pet.png"


async def test_no_file_base_url_refuses_before_anything_is_sent(printful_server: Server) -> None:
    sandbox, url = printful_server
    adapter = PrintfulAdapter(printful_vendor(url, file_base_url=""), TOKEN)
    with pytest.raises(ApiError, match="file_base_url"):
        await adapter.submit(request("PF-1", 11))
    assert sandbox.requests == []


async def test_find_status_shipments_and_cancel(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    first = await printful.submit(request("PF-1", 11, 12))
    assert await printful.find("PF-nope") is None
    found = await printful.find("PF-1")
    assert found is not None and found.vendor_order_id == first.vendor_order_id
    order_id = int(first.vendor_order_id)
    sandbox.set_status(order_id, "inprocess")
    assert (await printful.status(first.vendor_order_id)).stage is VendorStage.IN_PRODUCTION
    printful_item = sandbox.orders[order_id]["items"][0]["id"]
    sandbox.ship(order_id, "UPS", "1Z999", "https://ups.test/1Z999", item_ids=[printful_item])
    partial = await printful.status(first.vendor_order_id)
    assert (partial.stage, partial.vendor_status) == (VendorStage.IN_PRODUCTION, "partial")
    [parcel] = partial.shipments
    assert (parcel.carrier, parcel.tracking_number, parcel.tracking_url) == (
        "UPS",
        "1Z999",
        "https://ups.test/1Z999",
    )
    assert parcel.item_ids == (11,)  # Printful's item id mapped back to ours
    with pytest.raises(ApiError) as refused:
        await printful.cancel(first.vendor_order_id)
    assert refused.value.http_status == 400 and "can not be canceled" in refused.value.message
    second = await printful.submit(request("PF-2", 13))
    canceled = await printful.cancel(second.vendor_order_id)
    assert canceled.stage is VendorStage.CANCELED


async def test_a_429_waits_for_retry_after_and_sends_once(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    sandbox.inject(Fault(status=429, retry_after=0.01, method="POST", times=2))
    order = await printful.submit(request("PF-1", 11))
    assert order.stage is VendorStage.ACCEPTED
    assert created(sandbox) == {"PF-1": 1}
    assert printful.api.retries == 2


async def test_a_500_before_the_order_was_made_fails_with_its_reason_and_a_retry_sends_once(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    sandbox.inject(Fault(status=500, method="POST"))
    with pytest.raises(ApiError) as failed:
        await printful.submit(request("PF-1", 11))
    assert failed.value.http_status == 500 and failed.value.retryable
    assert "Internal server error" in failed.value.message
    assert created(sandbox) == {}
    # It looked Printful up before reporting the failure: nothing there, so nothing was lost.
    assert [r.url.path for r in sandbox.requests][-1] == "/orders/@PF-1"
    await printful.submit(request("PF-1", 11))
    assert created(sandbox) == {"PF-1": 1}


@pytest.mark.parametrize("kind", ["timeout_after", "drop_after", "malformed"])
async def test_a_lost_reply_after_printful_made_the_order_returns_that_order(
    printful: PrintfulAdapter, printful_server: Server, kind: str
) -> None:
    sandbox, _ = printful_server
    if kind.startswith("timeout"):
        printful.api.timeout = SHORT_TIMEOUT  # the sandbox stays silent for longer
    sandbox.inject(Fault(kind=kind, method="POST", delay=1.0))  # type: ignore[arg-type]
    order = await printful.submit(request("PF-1", 11))
    assert order.external_id == "PF-1" and order.stage is VendorStage.ACCEPTED
    assert created(sandbox) == {"PF-1": 1}
    # Submitting again (a retry by the operator) still makes no second order.
    again = await printful.submit(request("PF-1", 11))
    assert again.vendor_order_id == order.vendor_order_id
    assert created(sandbox) == {"PF-1": 1}


@pytest.mark.parametrize("kind", ["drop", "timeout"])
async def test_a_request_lost_before_printful_acted_is_an_unknown_outcome(
    printful: PrintfulAdapter, printful_server: Server, kind: str
) -> None:
    sandbox, _ = printful_server
    if kind.startswith("timeout"):
        printful.api.timeout = SHORT_TIMEOUT  # the sandbox stays silent for longer
    sandbox.inject(Fault(kind=kind, method="POST", delay=1.0))  # type: ignore[arg-type]
    with pytest.raises(ApiError) as failed:
        await printful.submit(request("PF-1", 11))
    assert failed.value.outcome_unknown and failed.value.retryable
    assert created(sandbox) == {}
    await printful.submit(request("PF-1", 11))
    assert created(sandbox) == {"PF-1": 1}


async def test_a_422_field_error_keeps_printful_reason_and_raw_body(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    body = {
        "code": 422,
        "result": "Recipient: Invalid ZIP code for CA",
        "error": {"reason": "UnprocessableEntity", "message": "Recipient: Invalid ZIP code for CA"},
    }
    sandbox.inject(Fault(status=422, body=body, method="POST"))
    with pytest.raises(ApiError) as failed:
        await printful.submit(request("PF-1", 11))
    err = failed.value
    assert (err.http_status, err.code, err.retryable) == (422, "UnprocessableEntity", False)
    assert err.message == "Recipient: Invalid ZIP code for CA"
    assert json.loads(err.raw) == body
    assert created(sandbox) == {}


async def test_printful_own_validation_refusal_is_kept(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    no_state = ShippingAddress(
        name="Ada", address1="1 Main", city="Austin", country="US", postal_code="78701"
    )
    bad = dataclasses.replace(request("PF-1", 11), address=no_state)
    with pytest.raises(ApiError) as failed:
        await printful.submit(bad)
    assert failed.value.http_status == 400
    assert failed.value.message == "Recipient: State code is missing"
    assert created(sandbox) == {}


async def test_a_repeated_external_id_returns_the_existing_order(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    first = await printful.submit(request("PF-1", 11))
    second = await printful.submit(request("PF-1", 11))
    assert second.vendor_order_id == first.vendor_order_id
    assert created(sandbox) == {"PF-1": 1}


async def test_errors_never_carry_the_token(printful_server: Server) -> None:
    sandbox, url = printful_server
    adapter = PrintfulAdapter(printful_vendor(url), "wrong-" + TOKEN)
    with pytest.raises(ApiError) as failed:
        await adapter.find("PF-1")
    assert failed.value.http_status == 401
    assert TOKEN not in str(failed.value) + failed.value.raw
    assert sandbox.requests[0].headers["authorization"] == "Bearer wrong-" + TOKEN


async def test_rate_limit_is_printful_120_a_minute_and_respected(printful_server: Server) -> None:
    _, url = printful_server
    adapter = PrintfulAdapter(printful_vendor(url), TOKEN)
    assert adapter.api.limiter is not None and adapter.api.limiter.rate == 2.0  # 120 / 60 s
    vendor = printful_vendor(url)
    vendor.rate_limit_per_min = 30
    assert PrintfulAdapter(vendor, TOKEN).api.limiter.rate == 0.5  # type: ignore[union-attr]


async def test_the_sandbox_counts_its_own_rate_limit(printful_server: Server) -> None:
    sandbox, url = printful_server
    sandbox.rate_limit_per_min = 2
    adapter = PrintfulAdapter(printful_vendor(url), TOKEN)
    adapter.api.retry.attempts = 1
    await adapter.find("a")
    await adapter.find("b")
    with pytest.raises(ApiError) as limited:
        await adapter.find("c")
    assert limited.value.http_status == 429
    assert "too many requests" in limited.value.message


async def test_missing_token_is_a_clear_error(printful_server: Server) -> None:
    _, url = printful_server
    with pytest.raises(ApiError, match="no API token"):
        PrintfulAdapter(printful_vendor(url), None)


# --- webhooks -----------------------------------------------------------------------------------


async def test_webhooks_parse_to_vendor_orders(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    order = await printful.submit(request("PF-1", 11, 12))
    order_id = int(order.vendor_order_id)
    sandbox.ship(order_id, "USPS", "9400111", "https://usps.test/9400111")
    shipped = parse_webhook(sandbox.webhook("package_shipped", order_id))
    assert shipped is not None and shipped.stage is VendorStage.FULFILLED
    assert [(s.carrier, s.tracking_number) for s in shipped.shipments] == [("USPS", "9400111")]
    assert shipped.shipments[0].item_ids == (11, 12)
    sandbox.set_status(order_id, "onhold")
    held = parse_webhook(sandbox.webhook("order_put_hold", order_id, reason="Artwork is blurry"))
    assert held is not None and (held.stage, held.reason) == (
        VendorStage.ON_HOLD,
        "Artwork is blurry",
    )
    failed = parse_webhook(sandbox.webhook("order_failed", order_id, reason="Card declined"))
    assert failed is not None and (failed.stage, failed.reason) == (
        VendorStage.FAILED,
        "Card declined",
    )
    canceled = parse_webhook(sandbox.webhook("order_canceled", order_id))
    assert canceled is not None and canceled.stage is VendorStage.CANCELED
    assert parse_webhook({"type": "stock_updated", "data": {}}) is None
    assert parse_webhook({"type": "package_returned", "data": {}}) is None
    with pytest.raises(ValueError, match=r"no data\.order"):
        parse_webhook({"type": "package_shipped", "data": {"shipment": {}}})
    with pytest.raises(ValueError, match="not a Printful webhook"):
        parse_webhook({"hello": 1})


async def test_reads_are_retried_through_5xx_and_dropped_connections(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    order = await printful.submit(request("PF-1", 11))
    sandbox.inject(Fault(status=500, method="GET"))
    sandbox.inject(Fault(kind="drop", method="GET"))
    sandbox.inject(Fault(status=503, method="GET", retry_after=0.01))
    found = await printful.status(order.vendor_order_id)
    assert found.vendor_order_id == order.vendor_order_id
    assert printful.api.retries == 3


async def test_a_malformed_read_is_a_retryable_error_with_the_raw_body(
    printful: PrintfulAdapter, printful_server: Server
) -> None:
    sandbox, _ = printful_server
    order = await printful.submit(request("PF-1", 11))
    sandbox.inject(Fault(kind="malformed", method="GET"))
    with pytest.raises(ApiError) as failed:
        await printful.status(order.vendor_order_id)
    assert failed.value.retryable and "not valid JSON" in failed.value.message
    assert failed.value.raw.startswith('{"id"')
