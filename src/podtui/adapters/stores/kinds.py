"""Which adapter class speaks for a store kind, loaded only when a store of that kind is used.

The table names modules lazily, so a build without one of them (or a kind podtui does not know)
gives a plain "not available" error for that store while every other store goes on syncing.
"""

from __future__ import annotations

import importlib
from typing import Any

import httpx

from podtui.adapters.stores.base import StoreAdapter
from podtui.domain.errors import DomainError

KINDS: dict[str, str] = {
    "woocommerce": "podtui.adapters.stores.woocommerce:WooCommerceAdapter",
    "shopify": "podtui.adapters.stores.shopify:ShopifyAdapter",
}
LABELS = {"woocommerce": "WooCommerce", "shopify": "Shopify"}


class StoreUnavailableError(DomainError):
    """No adapter can serve this store's kind in this build."""


def adapter_class(kind: str) -> Any:
    """The adapter class for `kind`; StoreUnavailableError when it is unknown or not built in."""
    target = KINDS.get(kind)
    label = LABELS.get(kind, kind)
    if target is None:
        raise StoreUnavailableError(
            f"podtui cannot sync stores of kind {kind!r} (known: {', '.join(sorted(KINDS))})"
        )
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise  # the adapter exists but something it needs is missing: a real bug
        raise StoreUnavailableError(
            f"{label} stores are not available in this build of podtui ({module_name} is missing)"
        ) from exc
    cls = getattr(module, attr, None)
    if cls is None:
        raise StoreUnavailableError(
            f"{label} stores are not available in this build of podtui "
            f"({module_name} has no {attr})"
        )
    return cls


def make_adapter(
    row: Any, secret: str | None, *, transport: httpx.AsyncBaseTransport | None = None
) -> StoreAdapter:
    """An adapter for the Store row `row`, following `Cls(row, secret, *, transport=None)`."""
    adapter: StoreAdapter = adapter_class(row.kind)(row, secret, transport=transport)
    return adapter
