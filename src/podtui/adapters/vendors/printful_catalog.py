"""Printful's catalogue (API v2): catalogue products and their variants, read page by page.

PF2 documents `GET /v2/catalog-products` with `limit` (at most 100) and `offset`, and a product's
`catalog-variants`; both are followed to the end of their `paging.total`. Orders name these
catalogue variant ids (`variant_id`). A catalogue error may come in Printful's v1 envelope (as
PF2's catalogue examples show) or as RFC 9457 problem details (the rest of v2); both are read.
The catalogue allows 120 requests a minute.
"""

from __future__ import annotations

from typing import Any

import httpx

from podtui.adapters.http import ApiClient, ApiError
from podtui.adapters.vendors.catalog import CatalogProduct, CatalogProvider, CatalogVariant
from podtui.adapters.vendors.printful import DEFAULT_BASE_URL, printful_error_parser

CATALOG_PER_MINUTE = 120
PAGE = 100


def catalog_error_parser(response: httpx.Response) -> tuple[str | None, str]:
    """(code, message) out of a v1 envelope or an RFC 9457 `{type, status, title, detail}`."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and "title" in body and "error" not in body:
        detail = body.get("detail") or body.get("details") or ""
        message = f"{body['title']}: {detail}" if detail else str(body["title"])
        return str(body.get("status") or response.status_code), message
    return printful_error_parser(response)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class PrintfulCatalog:
    """The catalogue as one Printful account sees it."""

    kind = "printful"
    has_providers = False

    def __init__(
        self, vendor: Any, secret: str | None, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        system = f"Printful catalogue ({vendor.name})"
        if not secret:
            raise ApiError(system, "no API token: connect the vendor first (podtui connect)")
        rate = min(float(vendor.rate_limit_per_min or CATALOG_PER_MINUTE), CATALOG_PER_MINUTE)
        self.api = ApiClient(
            system=system,
            base_url=(vendor.base_url or DEFAULT_BASE_URL).rstrip("/"),
            headers={"Authorization": f"Bearer {secret}"},
            per_minute=rate,
            transport=transport,
            error_parser=catalog_error_parser,
            secrets=(secret,),
        )

    async def _pages(self, path: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = await self.api.json("GET", path, params={"limit": PAGE, "offset": offset})
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise ApiError(self.api.system, f"{path} did not answer with a data list")
            rows += [row for row in data if isinstance(row, dict) and "id" in row]
            total = int(((body.get("paging") or {}).get("total")) or 0)
            offset += PAGE
            if not data or offset >= total:
                return rows

    async def products(self) -> list[CatalogProduct]:
        return [
            CatalogProduct(
                id=int(row["id"]),
                title=_text(row.get("name") or row.get("title")),
                brand=_text(row.get("brand")),
                model=_text(row.get("model")),
                description=_text(row.get("description"))[:400],
                image=_text(row.get("image")),
            )
            for row in await self._pages("/v2/catalog-products")
        ]

    async def providers(self, product_id: int) -> list[CatalogProvider]:
        return []

    async def variants(self, product_id: int, provider_id: int | None) -> list[CatalogVariant]:
        rows = await self._pages(f"/v2/catalog-products/{int(product_id)}/catalog-variants")
        return [
            CatalogVariant(
                id=int(row["id"]),
                title=_text(row.get("name")),
                options={key: _text(row.get(key)) for key in ("color", "size") if row.get(key)},
            )
            for row in rows
        ]

    async def aclose(self) -> None:
        await self.api.aclose()
