"""A Printful sandbox on loopback and an adapter on it (`printful_server`, `printful`: fixtures
imported by the conftests using them), and a vendor order request to send it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from podtui.adapters.vendors.base import VendorLine, VendorOrderRequest
from podtui.adapters.vendors.printful import PrintfulAdapter
from podtui.domain.address import ShippingAddress
from podtui.domain.models import (
    Vendor,
)
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printful import SandboxPrintful

TOKEN = "pf-live-7c1e9f0a-secret"


ADDRESS = ShippingAddress(
    name="Ada Lovelace",
    address1="19749 Dearborn St",
    city="Chatsworth",
    state="CA",
    postal_code="91311",
    country="US",
    email="ada@example.com",
)


@pytest.fixture
def printful_server() -> Iterator[tuple[SandboxPrintful, str]]:
    """A Printful sandbox on a real socket: (sandbox, base URL)."""
    sandbox = SandboxPrintful(token=TOKEN, store_id=424242)
    with serve_loopback(sandbox.handler) as url:
        yield sandbox, url


# Long enough that no answer of a busy machine's sandbox is taken for a timeout; the tests that
# inject a timeout shorten it (the sandbox then stays silent for longer than it).
LONG_TIMEOUT = 10.0
SHORT_TIMEOUT = 0.3


def printful_vendor(url: str, **settings: Any) -> Vendor:
    values: dict[str, Any] = {
        "store_id": 424242,
        "file_base_url": "https://files.shop.test/pf",
        "timeout": LONG_TIMEOUT,
    }
    values.update(settings)
    return Vendor(id=7, name="Printful", kind="printful", base_url=url, settings=values)


@pytest.fixture
async def printful(printful_server: tuple[SandboxPrintful, str]) -> AsyncIterator[PrintfulAdapter]:
    _, url = printful_server
    adapter = PrintfulAdapter(printful_vendor(url), TOKEN)
    # Tests wait for no real backoff: retries happen at once (the server's Retry-After is tiny).
    adapter.api.retry.base_delay = 0.001
    adapter.api.retry.max_delay = 0.01
    yield adapter
    await adapter.aclose()


def request(
    external_id: str = "PF-1001-1", *item_ids: int, tmp: Path | None = None
) -> VendorOrderRequest:
    lines = tuple(
        VendorLine(
            item_id=i,
            quantity=1 + n,
            sku=f"TEE-BLK-{i}",
            vendor_product={"variant_id": 4011, "placement": "front"},
            print_file=(tmp / f"{i}.png") if tmp else Path(f"/prints/{i}.png"),
            title="Custom Pet Tee",
            variant="M / Black",
        )
        for n, i in enumerate(item_ids or (11,))
    )
    return VendorOrderRequest(external_id=external_id, lines=lines, address=ADDRESS, label="#1001")
