"""Which adapter speaks for a Vendor row: a lazy table from `Vendor.kind` to its class.

Classes are named as "module:Class" and imported only when a vendor of that kind is used, so
starting the app never loads every vendor's code. Every class is built the same way:
`Cls(vendor_row, secret, *, transport=None, limiter=None)` (`limiter` makes the rate limiter of
an HTTP vendor: a service hands one in to share the vendor's rate across processes). A manual
vendor has no adapter (podtui never sends to it), and neither does a kind missing here.
"""

from __future__ import annotations

import importlib
from typing import Any

import httpx

from podtui.adapters.credentials import get_secret
from podtui.adapters.http import MakeLimiter
from podtui.adapters.vendors.base import VendorAdapter

ADAPTERS: dict[str, str] = {
    "printify": "podtui.adapters.vendors.printify:PrintifyAdapter",
    "printful": "podtui.adapters.vendors.printful:PrintfulAdapter",
    "hotfolder": "podtui.adapters.vendors.hotfolder:HotFolderAdapter",
}
# Kinds whose adapter needs no secret (a folder on this machine or a share).
NO_SECRET = frozenset({"hotfolder"})


class NoAdapterError(LookupError):
    """The vendor's kind has no adapter (a manual vendor, or a kind this build does not know)."""


def adapter_class(kind: str) -> Any:
    """The adapter class for `kind`, imported now."""
    target = ADAPTERS.get(kind)
    if target is None:
        raise NoAdapterError(
            f"podtui does not send to vendors of kind {kind!r} "
            f"(it sends to: {', '.join(sorted(ADAPTERS))})"
        )
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def vendor_secret(vendor: Any) -> str | None:
    """The vendor's token from the keyring or environment (account = settings.account or name)."""
    if vendor.kind in NO_SECRET:
        return None
    account = (vendor.settings or {}).get("account") or vendor.name
    return get_secret(vendor.kind, account)


def adapter_for(
    vendor: Any,
    *,
    secret: str | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    limiter: MakeLimiter | None = None,
) -> VendorAdapter:
    """A ready adapter for the Vendor row (its secret looked up unless given)."""
    cls = adapter_class(vendor.kind)
    token = secret if secret is not None else vendor_secret(vendor)
    adapter: VendorAdapter = cls(vendor, token, transport=transport, limiter=limiter)
    return adapter
