"""An adapter for a Vendor row, with its secret; the demo's vendors reach their sandbox.

Real vendors get their token from the keyring or the environment (adapters/credentials.py). A
vendor the demo seeded (`settings.demo`) is served in-process by the demo's sandbox transport with
the sandbox's token, so `podtui demo` runs the real adapter code without the internet. The first
time, the sandbox Printify is given the orders the demo's history says it already has
(services/demo_vendor_orders.py), so recovery and status polls find what the database remembers.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from podtui.adapters.vendor_base import VendorAdapter
from podtui.adapters.vendors import adapter_for
from podtui.db import Database
from podtui.domain.models import Vendor

Connect = Callable[[Vendor], VendorAdapter]


def connect(
    db: Database, vendor: Vendor, *, transport: httpx.AsyncBaseTransport | None = None
) -> VendorAdapter:
    """A ready adapter for `vendor` (NoAdapterError for a manual or unknown kind)."""
    secret: str | None = None
    if transport is None and vendor.settings.get("demo"):
        from podtui.services import demo_sandbox
        from podtui.services.demo_vendor_orders import seed_sandbox_orders

        sandbox = demo_sandbox.sandbox_for(db)
        if sandbox is not None:
            transport = sandbox.transport
            tokens = getattr(demo_sandbox, "DEMO_TOKENS", None) or {
                "printify": demo_sandbox.PRINTIFY_TOKEN
            }
            secret = tokens.get(vendor.kind)
            if vendor.kind == "printify":
                seed_sandbox_orders(db, sandbox.printify, vendor)
    return adapter_for(vendor, secret=secret, transport=transport)


def connector(db: Database) -> Connect:
    """`connect` bound to `db`, the form the submission service takes."""
    return lambda vendor: connect(db, vendor)
