"""Looking products up in a vendor's own catalogue, through its adapter, with a cache in the DB.

The product list (Printify's 1,000+ blueprints, Printful's catalogue products) is read once and
kept in `catalogue_cache` with the time it was fetched; it is read again when older than
`MAX_AGE` or when asked to (`refresh`). A product's providers and variants are fetched the first
time they are opened and kept the same way. Search runs over the cached list, so typing in the
mapping editor costs no request. An id the vendor does not have comes back as NotFoundError
saying so in the vendor's words; any other refusal as CatalogueError.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlmodel import col, select

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.catalog import (
    CatalogProduct,
    CatalogProvider,
    CatalogVariant,
    NoCatalogError,
    VendorCatalog,
)
from podtui.db import Database
from podtui.domain.errors import DomainError, NotFoundError, ValidationError
from podtui.domain.models import CatalogueCache, Vendor, utcnow
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.vendors import open_catalog

MAX_AGE = timedelta(days=7)
PRODUCT_WORD = {"printify": "blueprint", "printful": "catalogue product"}
T = TypeVar("T")


class CatalogueError(DomainError):
    """The vendor's catalogue could not be read; the message says what the vendor answered."""


@dataclass(frozen=True)
class ProductList:
    """A vendor's products and when they were fetched."""

    vendor: str
    products: list[CatalogProduct]
    fetched_at: datetime
    fetched_now: bool


def load_vendor(db: Database, vendor_id: int) -> Vendor:
    with db.read() as session:
        vendor = session.get(Vendor, vendor_id)
    if vendor is None:
        raise NotFoundError(f"Vendor {vendor_id} does not exist.")
    return vendor


def has_catalogue(vendor: Vendor) -> bool:
    return vendor.kind in PRODUCT_WORD


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _cached(db: Database, vendor_id: int, key: str) -> CatalogueCache | None:
    with db.read() as session:
        return session.exec(
            select(CatalogueCache).where(
                col(CatalogueCache.vendor_id) == vendor_id, col(CatalogueCache.key) == key
            )
        ).first()


def _keep(db: Database, vendor_id: int, key: str, rows: list[dict[str, Any]]) -> datetime:
    now = utcnow()
    with db.write() as session:
        row = session.exec(
            select(CatalogueCache).where(
                col(CatalogueCache.vendor_id) == vendor_id, col(CatalogueCache.key) == key
            )
        ).first()
        row = row or CatalogueCache(vendor_id=vendor_id, key=key)
        row.fetched_at, row.data = now, rows
        session.add(row)
    return now


def _ask(
    vendor: Vendor, reach: Reach, what: str, call: Callable[[VendorCatalog], Awaitable[T]]
) -> T:
    """Run one catalogue call; the vendor's refusal becomes a message an operator can act on."""

    async def run() -> T:
        catalog = open_catalog(vendor, reach=reach)
        try:
            return await call(catalog)
        finally:
            await catalog.aclose()

    try:
        return asyncio.run(run())
    except NoCatalogError as exc:
        raise ValidationError(str(exc), {"vendor": f"{vendor.kind} has no catalogue"}) from None
    except ApiError as exc:
        if exc.http_status == 404:
            raise NotFoundError(
                f"{vendor.name} has no {what} (it answered 404: {exc.message})"
            ) from None
        raise CatalogueError(f"{vendor.name}'s catalogue could not be read: {exc}") from None


def products(
    db: Database,
    vendor_id: int,
    *,
    reach: Reach = REAL,
    refresh: bool = False,
    max_age: timedelta = MAX_AGE,
) -> ProductList:
    """The vendor's products: from the cache while it is younger than `max_age`."""
    vendor = load_vendor(db, vendor_id)
    cached = None if refresh else _cached(db, vendor_id, "products")
    if cached is not None and utcnow() - _aware(cached.fetched_at) < max_age:
        rows = [CatalogProduct(**row) for row in cached.data]
        return ProductList(vendor.name, rows, _aware(cached.fetched_at), False)
    found = _ask(vendor, reach, "product list", lambda c: c.products())
    when = _keep(db, vendor_id, "products", [asdict(p) for p in found])
    return ProductList(vendor.name, found, when, True)


def search(rows: list[CatalogProduct], text: str, limit: int = 50) -> list[CatalogProduct]:
    """The products every word of `text` is found in (title, brand, model, id), best first."""
    words = text.casefold().split()
    if not words:
        return rows[:limit]
    hits = []
    for product in rows:
        title = product.title.casefold()
        haystack = f"{product.id} {title} {product.brand.casefold()} {product.model.casefold()}"
        if not all(w in haystack for w in words):
            continue
        score = (
            str(product.id) != text.strip(),  # the id typed in full comes first
            not title.startswith(words[0]),
            -sum(w in title for w in words),
            product.id,
        )
        hits.append((score, product))
    hits.sort(key=lambda pair: pair[0])
    return [product for _, product in hits[:limit]]


def _on_demand(
    db: Database, vendor: Vendor, key: str, refresh: bool, fetch: Callable[[], list[Any]]
) -> list[dict[str, Any]]:
    assert vendor.id is not None
    cached = None if refresh else _cached(db, vendor.id, key)
    if cached is not None:
        return list(cached.data)
    rows = [asdict(row) for row in fetch()]
    _keep(db, vendor.id, key, rows)
    return rows


def providers(
    db: Database, vendor_id: int, product_id: int, *, reach: Reach = REAL, refresh: bool = False
) -> list[CatalogProvider]:
    """The print providers of a product ([] for a vendor without providers)."""
    vendor = load_vendor(db, vendor_id)
    if vendor.kind != "printify":
        return []
    what = f"{PRODUCT_WORD[vendor.kind]} {product_id}"
    rows = _on_demand(
        db,
        vendor,
        f"providers:{product_id}",
        refresh,
        lambda: _ask(vendor, reach, what, lambda c: c.providers(product_id)),
    )
    return [CatalogProvider(**row) for row in rows]


def variants(
    db: Database,
    vendor_id: int,
    product_id: int,
    provider_id: int | None = None,
    *,
    reach: Reach = REAL,
    refresh: bool = False,
) -> list[CatalogVariant]:
    """The variants of a product (made by `provider_id`, for a vendor with providers)."""
    vendor = load_vendor(db, vendor_id)
    word = PRODUCT_WORD.get(vendor.kind, "product")
    if vendor.kind == "printify" and provider_id is None:
        raise ValidationError(
            "A Printify variant belongs to a print provider: choose one first.",
            {"print_provider_id": "missing"},
        )
    what = f"{word} {product_id}"
    if provider_id is not None:
        what = f"print provider {provider_id} for {word} {product_id}"
    rows = _on_demand(
        db,
        vendor,
        f"variants:{product_id}:{provider_id or ''}",
        refresh,
        lambda: _ask(vendor, reach, what, lambda c: c.variants(product_id, provider_id)),
    )
    return [
        CatalogVariant(**{**row, "placements": tuple(row.get("placements") or ())}) for row in rows
    ]
