"""In-process sandbox systems behind httpx transports: a WooCommerce store, Printify and Printful.

Each sandbox is a plain object holding mutable state (orders, notes, uploads, every request seen)
with a `handler(request) -> httpx.Response` that speaks the real API's shapes and failures (see
shared/reference/apis.md). Real adapter code runs against it unchanged:

    store = SandboxWooStore(orders=[...])
    client = httpx.Client(base_url=store.base_url, transport=store.transport(), auth=(key, secret))

`transport()` is an `httpx.MockTransport`, which serves `httpx.Client` and `httpx.AsyncClient`
alike; `sandbox_router(...)` serves several sandboxes by host name; `serve_loopback(handler)` puts
any of them on a real socket on 127.0.0.1 for tests that need one (dropped connections, timeouts).
Faults are injected with `inject(Fault(...))`: a status (429 with Retry-After, 500 ...), a dropped
connection or a timeout before or after the request took effect, or a malformed body.

A manual in-house vendor needs no API (`Vendor(kind="manual")`), and the hot-folder vendor is a
folder (`Vendor(kind="hotfolder", settings={"path": ...})`), so neither has a sandbox here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import httpx

from podtui.sandbox.http import Fault, FaultQueue, Route, json_response, serve_loopback, split_path
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from podtui.sandbox.shopify import SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore

__all__ = [
    "Fault",
    "FaultQueue",
    "Route",
    "SandboxPrintful",
    "SandboxPrintify",
    "SandboxShopify",
    "SandboxWooStore",
    "json_response",
    "orders_per_external_id",
    "sandbox_router",
    "sandbox_store_transport",
    "sandbox_vendor_transport",
    "serve_loopback",
    "split_path",
]

Handler = Callable[[httpx.Request], httpx.Response]


def sandbox_store_transport(store: SandboxWooStore) -> httpx.MockTransport:
    """An httpx transport (sync and async) serving `store`'s WooCommerce REST API."""
    return store.transport()


def sandbox_vendor_transport(vendor: SandboxPrintify) -> httpx.MockTransport:
    """An httpx transport (sync and async) serving `vendor`'s Printify API."""
    return vendor.transport()


@dataclass
class _Router:
    hosts: dict[str, Handler]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        handler = self.hosts.get(request.url.host)
        if handler is None:  # what a real client sees for a host that does not resolve
            raise httpx.ConnectError(
                f"[Errno -2] Name or service not known: {request.url.host}", request=request
            )
        return handler(request)


def sandbox_router(
    systems: Iterable[SandboxWooStore | SandboxPrintify | SandboxPrintful | SandboxShopify],
) -> httpx.MockTransport:
    """One transport serving several sandboxes, each on the host of its `base_url`."""
    hosts: dict[str, Handler] = {}
    for system in systems:
        hosts[httpx.URL(system.base_url).host] = system.handler
    return httpx.MockTransport(_Router(hosts))


def orders_per_external_id(vendor: SandboxPrintify | SandboxPrintful) -> Counter[str]:
    """How many vendor orders were created for each external id (more than one = sent twice)."""
    return vendor.orders_by_external_id()
