"""What a vendor's product catalogue looks like to podtui: products, providers, variants.

Printify calls its products blueprints, each made by several print providers, each offering its
own variants of it; Printful has catalogue products and their variants, with no provider between
(`has_providers` is False and `providers()` is empty). A mapping names the product, the provider
where there is one, and the variant, by the vendor's own ids. `catalog_for` opens the catalogue
of a Vendor row; hot-folder and manual vendors have none (NoCatalogError).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from podtui.adapters.vendors.kinds import vendor_secret

CATALOGS: dict[str, str] = {
    "printify": "podtui.adapters.vendors.printify_catalog:PrintifyCatalog",
    "printful": "podtui.adapters.vendors.printful_catalog:PrintfulCatalog",
}


class NoCatalogError(LookupError):
    """The vendor's kind has no catalogue to look products up in (a hot folder, manual)."""


@dataclass(frozen=True)
class CatalogProduct:
    """A Printify blueprint or a Printful catalogue product."""

    id: int
    title: str
    brand: str = ""
    model: str = ""
    description: str = ""
    image: str = ""


@dataclass(frozen=True)
class CatalogProvider:
    """A Printify print provider of one blueprint."""

    id: int
    title: str


@dataclass(frozen=True)
class CatalogVariant:
    """One variant the vendor makes: its id, title, options and the print areas it takes."""

    id: int
    title: str
    options: dict[str, str] = field(default_factory=dict)
    placements: tuple[str, ...] = ()
    in_stock: bool = True


class VendorCatalog(Protocol):
    """Read a vendor's catalogue; every failure is an ApiError (404 for an id it does not have)."""

    kind: str
    has_providers: bool

    async def products(self) -> list[CatalogProduct]:
        """Every product (all pages)."""
        ...

    async def providers(self, product_id: int) -> list[CatalogProvider]:
        """The providers of a product ([] where the vendor has none)."""
        ...

    async def variants(self, product_id: int, provider_id: int | None) -> list[CatalogVariant]:
        """The variants of a product (from a provider, where the vendor has providers)."""
        ...

    async def aclose(self) -> None: ...


def catalog_for(
    vendor: Any, *, secret: str | None = None, transport: httpx.AsyncBaseTransport | None = None
) -> VendorCatalog:
    """The catalogue of a Vendor row (its secret looked up unless given)."""
    target = CATALOGS.get(vendor.kind)
    if target is None:
        raise NoCatalogError(
            f"{vendor.name} is a {vendor.kind} vendor: it has no catalogue to look products up in"
        )
    module, _, name = target.partition(":")
    cls = getattr(importlib.import_module(module), name)
    token = secret if secret is not None else vendor_secret(vendor)
    catalog: VendorCatalog = cls(vendor, token, transport=transport)
    return catalog
