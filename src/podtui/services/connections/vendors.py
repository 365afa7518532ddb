"""An adapter for a Vendor row, with its secret; the demo's vendors reach their sandbox.

Real vendors get their token from the keyring or the environment (adapters/credentials.py). A
vendor the demo seeded (`settings.demo`) is served in-process by the demo's sandbox transport with
the sandbox's token (demo/sandboxes.py), so `podtui demo` runs the real adapter code without
the internet.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from podtui.adapters.vendors.base import VendorAdapter
from podtui.adapters.vendors.kinds import adapter_for
from podtui.db import Database
from podtui.domain.models import Vendor

Connect = Callable[[Vendor], VendorAdapter]


def connect(
    db: Database, vendor: Vendor, *, transport: httpx.AsyncBaseTransport | None = None
) -> VendorAdapter:
    """A ready adapter for `vendor` (NoAdapterError for a manual or unknown kind)."""
    if transport is None and vendor.settings.get("demo"):
        from podtui.demo.sandboxes import demo_adapter_for

        demo = demo_adapter_for(db)
        if demo is not None:
            return demo(vendor)
    return adapter_for(vendor, transport=transport)


def connector(db: Database) -> Connect:
    """`connect` bound to `db`, the form the submission service takes."""
    return lambda vendor: connect(db, vendor)
