"""Printify's catalogue (API v1): blueprints, the print providers of one, a provider's variants.

Catalogue calls have their own limit at Printify, 100 a minute per account on top of the global
600 (apis.md), so they get their own client and limiter. The blueprint list is one bare array
(not paged). A provider's variants are asked for twice, with and without `show-out-of-stock=1`,
so a variant out of stock is listed but marked: a mapping to it would fail at the first send.
"""

from __future__ import annotations

from typing import Any

import httpx

from podtui.adapters.http import ApiClient, ApiError
from podtui.adapters.vendors.catalog import CatalogProduct, CatalogProvider, CatalogVariant
from podtui.adapters.vendors.printify import (
    DEFAULT_BASE_URL,
    RATE_MARGIN,
    printify_error_parser,
)

CATALOG_PER_MINUTE = 100


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class PrintifyCatalog:
    """The catalogue as one Printify account sees it."""

    kind = "printify"
    has_providers = True

    def __init__(
        self, vendor: Any, secret: str | None, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        system = f"Printify catalogue ({vendor.name})"
        if not secret:
            raise ApiError(system, "no API token: connect the vendor first (podtui connect)")
        base = (vendor.base_url or DEFAULT_BASE_URL).rstrip("/")
        if not base.endswith("/v1"):
            base += "/v1"
        rate = min(float(vendor.rate_limit_per_min or CATALOG_PER_MINUTE), CATALOG_PER_MINUTE)
        self.api = ApiClient(
            system=system,
            base_url=base + "/",
            headers={"Authorization": f"Bearer {secret}"},
            per_minute=rate * RATE_MARGIN,
            burst=2,
            transport=transport,
            error_parser=printify_error_parser,
            secrets=(secret,),
        )

    async def _list(self, path: str, **params: str) -> list[dict[str, Any]]:
        data = await self.api.json("GET", path, params=params or None)
        if isinstance(data, dict) and isinstance(data.get("variants"), list):
            data = data["variants"]
        if not isinstance(data, list):
            raise ApiError(self.api.system, f"{path} did not answer with a list")
        return [row for row in data if isinstance(row, dict) and "id" in row]

    async def products(self) -> list[CatalogProduct]:
        rows = await self._list("catalog/blueprints.json")
        return [
            CatalogProduct(
                id=int(row["id"]),
                title=_text(row.get("title")),
                brand=_text(row.get("brand")),
                model=_text(row.get("model")),
                description=_text(row.get("description"))[:400],
                image=next(iter(row.get("images") or []), ""),
            )
            for row in rows
        ]

    async def providers(self, product_id: int) -> list[CatalogProvider]:
        rows = await self._list(f"catalog/blueprints/{int(product_id)}/print_providers.json")
        return [CatalogProvider(id=int(r["id"]), title=_text(r.get("title"))) for r in rows]

    async def variants(self, product_id: int, provider_id: int | None) -> list[CatalogVariant]:
        if provider_id is None:
            raise ApiError(self.api.system, "a Printify variant belongs to a print provider")
        path = (
            f"catalog/blueprints/{int(product_id)}/print_providers/{int(provider_id)}/variants.json"
        )
        every = await self._list(path, **{"show-out-of-stock": "1"})
        stocked = {int(r["id"]) for r in await self._list(path)}
        return [
            CatalogVariant(
                id=int(row["id"]),
                title=_text(row.get("title")),
                options={str(k): _text(v) for k, v in (row.get("options") or {}).items()},
                placements=tuple(
                    str(p.get("position"))
                    for p in row.get("placeholders") or []
                    if isinstance(p, dict) and p.get("position")
                ),
                in_stock=int(row["id"]) in stocked,
            )
            for row in every
        ]

    async def aclose(self) -> None:
        await self.api.aclose()
