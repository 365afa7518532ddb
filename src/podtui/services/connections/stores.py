"""An adapter for a Store row: its class from the kind table, its secret from the keyring.

A `Reach` handed in by the caller may route a store elsewhere (the demo's in-process sandbox, a
test's loopback server) with the secret that place accepts; the real adapter code runs either way.
"""

from __future__ import annotations

from typing import Any

import httpx

from podtui.adapters.credentials import (
    env_var_name,
    get_secret,
    set_secret,
    where_secrets_live,
)
from podtui.adapters.stores.base import StoreAdapter
from podtui.adapters.stores.kinds import LABELS, adapter_class, make_adapter
from podtui.domain.errors import DomainError
from podtui.domain.models import Store
from podtui.services.connections.reach import REAL, Reach

SECRET_FIELD = "token"


class MissingCredentialsError(DomainError):
    """The store has no secret stored; the message says how to give it one."""


def secret_account(store: Store) -> str:
    """The keyring account of a store's secret: settings["account"], else the store's name."""
    return str(store.settings.get("account") or store.name)


def store_secret(store: Store) -> str | None:
    """The store's secret (WooCommerce "ck_...:cs_...", Shopify access token), or None."""
    return get_secret(store.kind, secret_account(store), SECRET_FIELD)


def save_store_secret(store: Store, secret: str) -> None:
    """Keep the store's secret where `store_secret` looks (keyring; NoKeyringError says why not)."""
    set_secret(store.kind, secret_account(store), secret.strip(), SECRET_FIELD)


def open_adapter(
    store: Store,
    *,
    reach: Reach = REAL,
    transport: httpx.AsyncBaseTransport | None = None,
    secret: str | None = None,
) -> StoreAdapter:
    """The adapter that talks to `store`; DomainError with what to do when it cannot be made."""
    adapter_class(store.kind)  # a kind this build cannot serve says so before asking for secrets
    route = reach.store_route(store)
    if route is not None and transport is None and secret is None:
        secret, transport = route.secret, route.transport
    if secret is None:
        secret = store_secret(store)
    if not secret:
        label = LABELS.get(store.kind, store.kind)
        variable = env_var_name(store.kind, secret_account(store), SECRET_FIELD)
        raise MissingCredentialsError(
            f"No {label} credentials for store {store.name!r}: run `podtui connect {store.kind}` "
            f"or set {variable} (secrets live in: {where_secrets_live()})"
        )
    return make_adapter(store, secret, transport=transport)


def describe_store(store: Store, reach: Reach = REAL) -> dict[str, Any]:
    """What the TUI and CLI show about a store's connection (never the secret)."""
    return {
        "name": store.name,
        "kind": store.kind,
        "url": store.base_url,
        "has_secret": bool(store_secret(store)) or reach.store_route(store) is not None,
    }
