"""Connecting stores: test a secret against the store's API, keep it in the keyring, record the row.

`connect_store` is what `podtui connect shopify|woocommerce` and the Connections screen call. The
secret is tested first (the adapter's `check()`, a real API call) and only kept when the store
accepted it; nothing is written when it did not. On a machine with no keyring the store row is
still recorded and the result names the `PODTUI_...` environment variable to put the secret in
(the name only, never the secret). `connection_states` says per store and vendor whether podtui
can talk to it: connected, failing (with the last error), or no secret.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
from sqlmodel import select

from podtui.adapters.credentials import NoKeyringError, env_var_name, get_secret, set_secret
from podtui.adapters.credentials import where_secrets_live as _where
from podtui.adapters.redact import scrub
from podtui.adapters.stores.kinds import LABELS, adapter_class, make_adapter
from podtui.db import Database
from podtui.domain.errors import DomainError
from podtui.domain.models import Store, Vendor
from podtui.domain.wording import count
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.store_settings import notify_customer
from podtui.services.connections.stores import (
    SECRET_FIELD,
    save_store_secret,
    secret_account,
    store_secret,
)

STORE_KINDS = ("shopify", "woocommerce")
VENDOR_KINDS = ("printify", "printful")
VENDOR_LABELS = {"printify": "Printify", "printful": "Printful"}
NO_SECRET_VENDORS = frozenset({"hotfolder", "manual"})


class ConnectError(DomainError):
    """The connection could not be made; the message says what to do."""


@dataclass(frozen=True)
class ConnectResult:
    """What connecting did: the row, what the API said, and where the secret went."""

    name: str
    kind: str
    created: bool
    api_says: str
    stored: bool  # False: no keyring here, the secret must go in `env_var`
    env_var: str
    where: str
    side: str = "store"

    def summary(self) -> str:
        verb = "Connected" if self.created else "Reconnected"
        label = LABELS.get(self.kind, VENDOR_LABELS.get(self.kind, self.kind))
        head = f"{verb} {label} {self.side} {self.name!r}: {self.api_says}."
        if self.stored:
            return f"{head} The secret is kept in the {self.where}."
        return (
            f"{head} This machine has no keyring, so the secret was NOT saved: put it in the "
            f"environment variable {self.env_var} (e.g. in the operator's shell profile or the "
            "service unit) before the next sync."
        )


def where_secrets_live() -> str:
    return _where()


def _keep_secret(save: Callable[[], None]) -> bool:
    """Keep a tested secret in the keyring; False on a machine without one (env var instead)."""
    try:
        save()
    except NoKeyringError:
        return False
    return True


def _save_row(db: Database, model: type[Store] | type[Vendor], row: Any, **reset: Any) -> None:
    """Create the connected Store/Vendor row, or write its address and settings (and `reset`)."""
    with db.write() as session:
        if row.id is None:
            session.add(row)
            return
        fresh = session.get(model, row.id)
        assert fresh is not None
        fresh.base_url, fresh.settings = row.base_url, dict(row.settings)
        for field_name, value in reset.items():
            setattr(fresh, field_name, value)
        session.add(fresh)


def _find_store(db: Database, name: str) -> Store | None:
    with db.read() as session:
        return session.exec(select(Store).where(Store.name == name)).first()


def draft_store(
    db: Database, *, kind: str, name: str, base_url: str, settings: dict[str, Any] | None = None
) -> tuple[Store, bool]:
    """The Store row to connect (the existing one of that name, updated in memory), and is-new."""
    if kind not in STORE_KINDS:
        raise ConnectError(f"podtui connects {', '.join(STORE_KINDS)} stores, not {kind!r}")
    existing = _find_store(db, name)
    if existing is not None and existing.kind != kind:
        raise ConnectError(
            f"store {name!r} exists already as a {LABELS.get(existing.kind, existing.kind)} "
            "store; choose another --name"
        )
    row = existing or Store(name=name, kind=kind)
    row.base_url = base_url.rstrip("/")
    row.settings = {**(row.settings or {}), **(settings or {})}
    return row, existing is None


async def test_store_secret(
    row: Store, secret: str, *, transport: httpx.AsyncBaseTransport | None = None
) -> str:
    """What the store's API says to `secret` (its `check()` line); ApiError when it refuses."""
    adapter_class(row.kind)
    adapter = make_adapter(row, secret, transport=transport)
    try:
        return str(await adapter.check())
    finally:
        await adapter.aclose()


async def connect_store_async(
    db: Database,
    *,
    kind: str,
    name: str,
    base_url: str,
    secret: str,
    settings: dict[str, Any] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    reach: Reach = REAL,
) -> ConnectResult:
    """Test `secret`, keep it, and create or update the Store row; ApiError changes nothing.

    A store that `reach` routes (the demo's sandbox) is tested there, never on the internet.
    """
    secret = secret.strip()
    if not secret:
        raise ConnectError("the secret is empty; nothing was changed")
    row, created = draft_store(db, kind=kind, name=name, base_url=base_url, settings=settings)
    route = reach.store_route(row)
    if transport is None and route is not None:
        transport = route.transport
    says = await test_store_secret(row, secret, transport=transport)
    stored = _keep_secret(lambda: save_store_secret(row, secret))
    _save_row(db, Store, row, sync_failures=0, last_sync_error=None)
    return ConnectResult(
        name=name,
        kind=kind,
        created=created,
        api_says=says,
        stored=stored,
        env_var=env_var_name(kind, secret_account(row), SECRET_FIELD),
        where=where_secrets_live(),
    )


def connect_store(db: Database, **kwargs: Any) -> ConnectResult:
    """`connect_store_async` for callers without an event loop (the CLI, a worker thread)."""
    return asyncio.run(connect_store_async(db, **kwargs))


# --- vendors ------------------------------------------------------------------------------------

VENDOR_URLS = {"printify": "https://api.printify.com/v1", "printful": "https://api.printful.com"}


def vendor_account(vendor: Vendor) -> str:
    return str((vendor.settings or {}).get("account") or vendor.name)


async def test_vendor_secret(
    row: Vendor, secret: str, *, transport: httpx.AsyncBaseTransport | None = None
) -> str:
    """What the vendor's API says to `secret`; ApiError: refused; ConnectError: untestable."""
    try:
        from podtui.adapters.vendors.kinds import adapter_class
    except ImportError as exc:  # pragma: no cover - a build without vendor adapters
        raise ConnectError("this build of podtui cannot talk to vendors") from exc
    try:
        cls = adapter_class(row.kind)
    except (LookupError, ImportError) as exc:
        raise ConnectError(
            f"this build of podtui cannot test {VENDOR_LABELS.get(row.kind, row.kind)} tokens "
            "yet; nothing was changed"
        ) from exc
    adapter: Any = cls(row, secret, transport=transport)
    try:
        if hasattr(adapter, "check"):
            return str(await adapter.check())
        # Looking up an order that does not exist needs a valid token and changes nothing.
        await adapter.find("podtui-connection-check")
        return "the token was accepted"
    finally:
        await adapter.aclose()


async def connect_vendor_async(
    db: Database,
    *,
    kind: str,
    name: str,
    secret: str,
    base_url: str = "",
    settings: dict[str, Any] | None = None,
    rate_limit_per_min: int | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    reach: Reach = REAL,
) -> ConnectResult:
    """Test a vendor token, keep it, and create or update the Vendor row; errors change nothing.

    A vendor that `reach` routes (the demo's sandbox) is tested there, never on the internet.
    """
    if kind not in VENDOR_KINDS:
        raise ConnectError(f"podtui connects {', '.join(VENDOR_KINDS)} vendors, not {kind!r}")
    secret = secret.strip()
    if not secret:
        raise ConnectError("the token is empty; nothing was changed")
    with db.read() as session:
        existing = session.exec(select(Vendor).where(Vendor.name == name)).first()
    if existing is not None and existing.kind != kind:
        raise ConnectError(f"vendor {name!r} exists already as a {existing.kind} vendor")
    row = existing or Vendor(name=name, kind=kind)
    row.base_url = (base_url or row.base_url or VENDOR_URLS[kind]).rstrip("/")
    row.settings = {**(row.settings or {}), **(settings or {})}
    if rate_limit_per_min is not None:
        row.rate_limit_per_min = rate_limit_per_min
    route = reach.vendor_route(row)
    if transport is None and route is not None:
        transport = route.transport
    says = await test_vendor_secret(row, secret, transport=transport)
    stored = _keep_secret(lambda: save_vendor_secret(row, secret))
    _save_row(db, Vendor, row, rate_limit_per_min=row.rate_limit_per_min)
    return ConnectResult(
        name=name,
        kind=kind,
        created=existing is None,
        api_says=says,
        stored=stored,
        env_var=env_var_name(kind, vendor_account(row)),
        where=where_secrets_live(),
        side="vendor",
    )


def connect_vendor(db: Database, **kwargs: Any) -> ConnectResult:
    return asyncio.run(connect_vendor_async(db, **kwargs))


def vendor_has_secret(vendor: Vendor) -> bool:
    return bool(get_secret(vendor.kind, vendor_account(vendor)))


def save_vendor_secret(vendor: Vendor, secret: str) -> None:
    set_secret(vendor.kind, vendor_account(vendor), secret.strip())


def store_address(kind: str, url: str) -> tuple[str, dict[str, Any], str]:
    """(base URL, settings, default name) of a store as an operator types its address."""
    if kind == "shopify":
        from podtui.adapters.stores.shopify import API_VERSION, shop_base_url

        base_url, settings = shop_base_url(url), {"api_version": API_VERSION}
    else:
        base_url, settings = (url if "://" in url else f"https://{url}"), {}
    host = base_url.split("://", 1)[-1].split("/", 1)[0]
    return base_url, settings, host.removesuffix(".myshopify.com")


# --- states -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionState:
    """One store or vendor as the Connections screen lists it."""

    side: str  # store | vendor
    row_id: int
    name: str
    kind: str
    url: str
    state: str  # connected | failing | no secret | not needed | sandbox
    detail: str  # the last error, or where the secret lives
    last_sync: datetime | None = None
    env_var: str = ""
    notify: bool | None = None  # a store's notify-the-customer default; None for a vendor


def _store_state(store: Store, reach: Reach) -> ConnectionState:
    assert store.id is not None
    variable = env_var_name(store.kind, secret_account(store), SECRET_FIELD)
    route = reach.store_route(store)
    failed_syncs = count(store.sync_failures, "failed sync")
    if route is not None:
        state, detail = "sandbox", route.label
    elif not store_secret(store):
        state, detail = "no secret", f"connect it, or set {variable}"
    elif store.sync_failures:
        state = "failing"
        detail = f"{failed_syncs}: {store.last_sync_error or 'unknown error'}"
    else:
        state, detail = "connected", ""
    if state in ("sandbox", "connected") and store.sync_failures:
        state = "failing"
        detail = f"{failed_syncs}: {store.last_sync_error or 'unknown error'}"
    return ConnectionState(
        side="store",
        row_id=store.id,
        name=store.name,
        kind=store.kind,
        url=store.base_url,
        state=state,
        detail=detail,
        last_sync=store.last_sync_ok_at,
        env_var=variable,
        notify=notify_customer(store),
    )


def _vendor_state(vendor: Vendor, reach: Reach) -> ConnectionState:
    assert vendor.id is not None
    variable = env_var_name(vendor.kind, vendor_account(vendor))
    route = reach.vendor_route(vendor)
    if vendor.kind in NO_SECRET_VENDORS:
        state, detail, variable = "not needed", "no API: nothing to connect", ""
    elif route is not None:
        state, detail = "sandbox", route.label
    elif vendor_has_secret(vendor):
        state, detail = "connected", ""
    else:
        state, detail = "no secret", f"add a token, or set {variable}"
    return ConnectionState(
        side="vendor",
        row_id=vendor.id,
        name=vendor.name,
        kind=vendor.kind,
        url=vendor.base_url,
        state=state,
        detail=detail,
        env_var=variable,
    )


def connection_states(db: Database, reach: Reach = REAL) -> list[ConnectionState]:
    """Every store, then every vendor, with whether podtui can talk to it."""
    with db.read() as session:
        stores = session.exec(select(Store).order_by(Store.name)).all()
        vendors = session.exec(select(Vendor).order_by(Vendor.name)).all()
    return [
        *(_store_state(s, reach) for s in stores),
        *(_vendor_state(v, reach) for v in vendors),
    ]


# --- testing a saved connection -----------------------------------------------------------------


async def _test_store(store: Store, reach: Reach) -> str:
    from podtui.services.connections.stores import open_adapter

    adapter = open_adapter(store, reach=reach)
    try:
        return str(await adapter.check())
    finally:
        await adapter.aclose()


async def _test_vendor(db: Database, vendor: Vendor, reach: Reach) -> str:
    from podtui.services.connections.rate_limits import SharedLimits
    from podtui.services.connections.vendors import connect

    adapter: Any = connect(vendor, reach=reach, limits=SharedLimits(db))
    try:
        if hasattr(adapter, "check"):
            return str(await adapter.check())
        # No vendor API has a "who am I" call in common: looking up an order that does not
        # exist needs a valid token and changes nothing (401 when the token is wrong).
        await adapter.find("podtui-connection-check")
        return "the token was accepted"
    finally:
        await adapter.aclose()


def test_connection(db: Database, state: ConnectionState, reach: Reach = REAL) -> tuple[bool, str]:
    """(ok, what to tell the operator) for one listed store or vendor, tested against its API."""
    from podtui.adapters.http import ApiError

    model: type[Store] | type[Vendor] = Store if state.side == "store" else Vendor
    with db.read() as session:
        row: Any = session.get(model, state.row_id)
    if row is None:
        return False, f"{state.name} is gone"
    if state.side == "vendor" and row.kind in NO_SECRET_VENDORS:
        return True, f"{state.name}: nothing to test (no API)"
    try:
        says = asyncio.run(
            _test_store(row, reach) if state.side == "store" else _test_vendor(db, row, reach)
        )
    except (ApiError, DomainError) as exc:
        return False, scrub(f"{state.name}: {exc}")
    except (ImportError, LookupError):
        return False, f"{state.name}: this build of podtui has no {state.kind} adapter to test with"
    except Exception as exc:  # an adapter bug must not take the screen down
        return False, scrub(f"{state.name}: {type(exc).__name__}: {exc}")
    return True, f"{state.name}: {says}"
