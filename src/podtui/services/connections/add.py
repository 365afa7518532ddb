"""Adding a store or a vendor of any kind from one form (the Connections screen's `a`).

One entry point over the kinds' own use-cases: a store (`connect_store`) or an API vendor
(`connect_vendor`) has its secret tested before anything is kept; a hot folder has its folders
checked (`local.add_hotfolder_vendor`); a manual vendor needs only a name. Every refusal is a
DomainError or ApiError whose message says what to fix; nothing is changed by one.
"""

from __future__ import annotations

from dataclasses import dataclass

from podtui.adapters.http import ApiError
from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.services.connections.connect import (
    STORE_KINDS,
    VENDOR_KINDS,
    ConnectError,
    connect_store,
    connect_vendor,
    store_address,
)
from podtui.services.connections.local import add_hotfolder_vendor, add_manual_vendor

KINDS: tuple[tuple[str, str], ...] = (
    ("shopify", "Shopify store"),
    ("woocommerce", "WooCommerce store"),
    ("printify", "Printify vendor"),
    ("printful", "Printful vendor"),
    ("hotfolder", "Hot folder (own printers)"),
    ("manual", "Manual vendor"),
)
# Which fields of the form a kind uses.
FIELDS: dict[str, tuple[str, ...]] = {
    "shopify": ("url", "name", "secret"),
    "woocommerce": ("url", "name", "secret"),
    "printify": ("name", "account", "url", "secret"),
    "printful": ("name", "account", "url", "secret"),
    "hotfolder": ("name", "path", "queues"),
    "manual": ("name",),
}


@dataclass(frozen=True)
class Added:
    """What the form did, in a line for a toast; `warn` when it needs the operator's attention."""

    message: str
    warn: bool = False


def add_connection(db: Database, *, kind: str, **values: str) -> Added:
    """Add (or update) the store or vendor the form describes; ConnectError if its API refuses."""
    try:
        return _add(db, kind=kind, **values)
    except ApiError as exc:  # never holds the secret (adapters/redact.py)
        raise ConnectError(f"Not connected, nothing changed: {exc}") from None


def _add(
    db: Database,
    *,
    kind: str,
    name: str = "",
    url: str = "",
    secret: str = "",
    account: str = "",
    path: str = "",
    queues: str = "",
) -> Added:
    name, url = name.strip(), url.strip()
    if kind in STORE_KINDS:
        if not url:
            raise ValidationError("Type the shop name or the site's address.", {"url": "empty"})
        base_url, settings, default_name = store_address(kind, url)
        result = connect_store(
            db, kind=kind, name=name or default_name, base_url=base_url, secret=secret,
            settings=settings,
        )  # fmt: skip
        return Added(result.summary(), not result.stored)
    if kind in VENDOR_KINDS:
        settings = {}
        if account.strip():
            if not account.strip().isdigit():
                raise ValidationError(
                    "The shop or store id is a number.", {"account": f"{account!r}"}
                )
            settings["shop_id" if kind == "printify" else "store_id"] = int(account)
        result = connect_vendor(
            db, kind=kind, name=name or kind.capitalize(), secret=secret, base_url=url,
            settings=settings,
        )  # fmt: skip
        return Added(result.summary(), not result.stored)
    if kind == "hotfolder":
        listed = [q.strip() for q in queues.replace(";", ",").split(",") if q.strip()]
        return Added(add_hotfolder_vendor(db, name=name, path=path, queues=listed).summary())
    if kind == "manual":
        return Added(add_manual_vendor(db, name=name).summary())
    raise ValidationError(f"podtui cannot add a {kind!r}.", {"kind": "unknown"})
