"""An adapter for a Vendor row, with its secret from the keyring or the route a caller hands in.

Real vendors get their token from the keyring or the environment (adapters/credentials.py); a
`Reach` may route a vendor to a sandbox instead (`podtui demo`, the tests), so the real adapter
code runs without the internet. An adapter made with `SharedLimits` takes its turns from the
vendor's row in the database, so every process on it keeps to the vendor's one rate together
(rate_limits.py); every service that holds a database shares the connector it is handed over
that database (`sharing`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import httpx

from podtui.adapters.vendors.base import VendorAdapter
from podtui.adapters.vendors.catalog import VendorCatalog, catalog_for
from podtui.adapters.vendors.kinds import adapter_for
from podtui.domain.models import Vendor
from podtui.services.connections.rate_limits import SharedLimits
from podtui.services.connections.reach import REAL, Reach

if TYPE_CHECKING:
    from podtui.db import Database

Connect = Callable[[Vendor], VendorAdapter]


def connect(
    vendor: Vendor,
    *,
    reach: Reach = REAL,
    transport: httpx.AsyncBaseTransport | None = None,
    limits: SharedLimits | None = None,
) -> VendorAdapter:
    """A ready adapter for `vendor` (NoAdapterError for a manual or unknown kind).

    With `limits` its rate is the vendor's row in that database; without, this process's own.
    """
    limiter = None if limits is None else limits.for_vendor(vendor)
    route = reach.vendor_route(vendor) if transport is None else None
    if route is not None:
        return adapter_for(vendor, secret=route.secret, transport=route.transport, limiter=limiter)
    return adapter_for(vendor, transport=transport, limiter=limiter)


@dataclass(frozen=True)
class Connector:
    """`connect` bound to a reach and, once a service shares it, to the database's limits."""

    reach: Reach = REAL
    limits: SharedLimits | None = None

    def __call__(self, vendor: Vendor) -> VendorAdapter:
        return connect(vendor, reach=self.reach, limits=self.limits)


def open_catalog(vendor: Vendor, *, reach: Reach = REAL) -> VendorCatalog:
    """The vendor's catalogue (NoCatalogError for a hot-folder or manual vendor)."""
    route = reach.vendor_route(vendor)
    if route is not None:
        return catalog_for(vendor, secret=route.secret, transport=route.transport)
    return catalog_for(vendor)


def connector(reach: Reach = REAL) -> Connect:
    """`connect` bound to `reach`, the form the sending services take."""
    return Connector(reach)


def sharing(connect: Connect, db: Database) -> Connect:
    """`connect` with each vendor's rate shared over `db` (a test's own function is kept)."""
    if isinstance(connect, Connector) and connect.limits is None:
        return replace(connect, limits=SharedLimits(db))
    return connect
