"""An adapter for a Vendor row, with its secret from the keyring or the route a caller hands in.

Real vendors get their token from the keyring or the environment (adapters/credentials.py); a
`Reach` may route a vendor to a sandbox instead (`podtui demo`, the tests), so the real adapter
code runs without the internet.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx

from podtui.adapters.vendors.base import VendorAdapter
from podtui.adapters.vendors.catalog import VendorCatalog, catalog_for
from podtui.adapters.vendors.kinds import adapter_for
from podtui.domain.models import Vendor
from podtui.services.connections.reach import REAL, Reach

Connect = Callable[[Vendor], VendorAdapter]


def connect(
    vendor: Vendor, *, reach: Reach = REAL, transport: httpx.AsyncBaseTransport | None = None
) -> VendorAdapter:
    """A ready adapter for `vendor` (NoAdapterError for a manual or unknown kind)."""
    route = reach.vendor_route(vendor) if transport is None else None
    if route is not None:
        return adapter_for(vendor, secret=route.secret, transport=route.transport)
    return adapter_for(vendor, transport=transport)


def open_catalog(vendor: Vendor, *, reach: Reach = REAL) -> VendorCatalog:
    """The vendor's catalogue (NoCatalogError for a hot-folder or manual vendor)."""
    route = reach.vendor_route(vendor)
    if route is not None:
        return catalog_for(vendor, secret=route.secret, transport=route.transport)
    return catalog_for(vendor)


def connector(reach: Reach = REAL) -> Connect:
    """`connect` bound to `reach`, the form the sending services take."""
    return lambda vendor: connect(vendor, reach=reach)
