"""Printful's catalogue (API v2), for the sandbox: 420 products and their variants, paged.

Served (apis.md "Printful catalog", PF2): `GET /v2/catalog-products` (`limit` default 20, at most
100, and `offset`; a `paging` block `{total, offset, limit}` and `_links` with `next` while more
follow), `GET /v2/catalog-products/{id}`, `GET /v2/catalog-products/{id}/catalog-variants` (paged
the same way, 100 at most) and `GET /v2/catalog-variants/{id}`. An id that does not exist is a
404 in the v1 envelope `{code, result, error: {reason, message}}`, which is what PF2's catalogue
examples show; a `limit` out of range is a 400 in the same envelope (its wording is UNSURE).

Printful spells its sizes its own way ("11 oz", not Printify's "11oz"). A few ids are real ones
(71 Bella + Canvas 3001, 19 the white glossy mug, 1 the matte poster, 146 Gildan 18500); the
rest are made from `catalog_families.py`, the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx

from podtui.sandbox.catalog_families import (
    COLOUR_CODES,
    FAMILIES,
    Family,
    option_sets,
)
from podtui.sandbox.http import json_response, split_path

PRODUCTS = 420
EDITIONS = ("", "Organic", "Recycled")
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
IMAGE_HOST = "https://files.cdn.printful.com/products"
# id -> (name, brand, model, family kind): real products the demo and tests name.
ANCHORS: dict[int, tuple[str, str, str, str]] = {
    1: ("Enhanced Matte Paper Poster (in)", "", "", "Poster"),
    19: ("White Glossy Mug", "", "", "Mug"),
    71: ("Unisex Staple T-Shirt | Bella + Canvas 3001", "Bella + Canvas", "3001", "Tee"),
    146: ("Unisex Heavy Blend Hoodie | Gildan 18500", "Gildan", "18500", "Hoodie"),
}
_TYPES = {"Tee": "T-SHIRT", "Hoodie": "HOODIE", "Mug": "MUG", "Poster": "POSTER"}


@dataclass(frozen=True)
class Product:
    id: int
    name: str
    brand: str
    model: str
    family: Family

    def variants(self) -> list[dict[str, Any]]:
        out = []
        for n, options in enumerate(option_sets(self.family)):
            size = printful_size(options.get("size", ""))
            colour = options.get("color", "")
            label = " / ".join(v for v in (colour, size) if v)
            out.append(
                {
                    "id": 1000 + self.id * 100 + n,
                    "catalog_product_id": self.id,
                    "name": f"{self.name} ({label})" if label else self.name,
                    "size": size,
                    "color": colour,
                    "color_code": COLOUR_CODES.get(colour, "#ffffff" if colour else ""),
                    "color_code2": None,
                    "image": f"{IMAGE_HOST}/{self.id}/{n}.jpg",
                    "_links": {
                        "self": {"href": f"/v2/catalog-variants/{1000 + self.id * 100 + n}"}
                    },
                }
            )
        return out

    def body(self) -> dict[str, Any]:
        family, variants = self.family, self.variants()
        width, height = family.area
        return {
            "id": self.id,
            "main_category_id": family.category,
            "type": _TYPES.get(family.kind, family.kind.upper().replace(" ", "-")),
            "name": self.name,
            "brand": self.brand or None,
            "model": self.model or None,
            "image": f"{IMAGE_HOST}/{self.id}/product.jpg",
            "variant_count": len(variants),
            "is_discontinued": False,
            "description": f"{self.name}, printed on demand.",
            "sizes": list(dict.fromkeys(v["size"] for v in variants if v["size"])),
            "colors": [
                {"name": c, "value": COLOUR_CODES.get(c, "#ffffff")}
                for c in dict.fromkeys(v["color"] for v in variants if v["color"])
            ],
            "techniques": [{"key": "dtg", "display_name": "DTG printing", "is_default": True}],
            "placements": [
                {
                    "placement": place,
                    "technique": "dtg",
                    "print_area_width": round(width / 300, 2),
                    "print_area_height": round(height / 300, 2),
                    "layers": [{"type": "file", "layer_options": []}],
                    "placement_options": [],
                    "conflicting_placements": [],
                }
                for place in family.placements
            ],
            "product_options": [],
            "_links": {
                "self": {"href": f"/v2/catalog-products/{self.id}"},
                "variants": {"href": f"/v2/catalog-products/{self.id}/catalog-variants"},
            },
        }


def printful_size(size: str) -> str:
    """Printful's spelling of a size: "11 oz" where Printify writes "11oz"."""
    return size.replace("oz", " oz") if size.endswith("oz") and " oz" not in size else size


@cache
def products() -> dict[int, Product]:
    """The catalogue's products by id (built once)."""
    by_kind = {f.kind: f for f in FAMILIES}
    made = (
        (f"{edition} {audience} {style} {family.kind} | {brand} {model}", brand, model, family)
        for edition in EDITIONS
        for family in FAMILIES
        for style in family.styles
        for audience in family.audiences
        for brand, model in family.makers
    )
    found: dict[int, Product] = {}
    for pid in range(1, PRODUCTS + 1):
        if pid in ANCHORS:
            name, brand, model, kind = ANCHORS[pid]
            found[pid] = Product(pid, name, brand, model, by_kind[kind])
        else:
            name, brand, model, family = next(made)
            found[pid] = Product(pid, " ".join(name.split()), brand, model, family)
    return found


@cache
def _bodies() -> list[dict[str, Any]]:
    return [p.body() for p in products().values()]


@cache
def _variant_index() -> dict[int, dict[str, Any]]:
    return {v["id"]: v for p in products().values() for v in p.variants()}


_ROUTES = [
    ("GET", r"/v2/catalog-products", "products"),
    ("GET", r"/v2/catalog-products/(?P<id>\d+)", "product"),
    ("GET", r"/v2/catalog-products/(?P<id>\d+)/catalog-variants", "variants"),
    ("GET", r"/v2/catalog-variants/(?P<id>\d+)", "variant"),
]
Error = Callable[[int, str], httpx.Response]


def _page(
    request: httpx.Request, rows: list[dict[str, Any]], default: int, error: Error
) -> httpx.Response:
    params = request.url.params
    try:
        limit = int(params.get("limit", default))
        offset = int(params.get("offset", 0))
    except ValueError:
        return error(400, "limit and offset must be whole numbers")
    if not 1 <= limit <= MAX_LIMIT:
        return error(400, f"The limit must be between 1 and {MAX_LIMIT}.")
    if offset < 0:
        return error(400, "The offset must be 0 or more.")
    path = request.url.path
    links = {"self": {"href": f"{path}?offset={offset}&limit={limit}"}}
    if offset + limit < len(rows):
        links["next"] = {"href": f"{path}?offset={offset + limit}&limit={limit}"}
    body = {
        "data": rows[offset : offset + limit],
        "paging": {"total": len(rows), "offset": offset, "limit": limit},
        "_links": links,
    }
    return json_response(200, body)


class PrintfulCatalog:
    """The v2 catalogue routes of a sandbox Printful account."""

    def __init__(self, error: Error) -> None:
        self.error = error

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one `/v2/catalog-...` request."""
        route = split_path(_ROUTES, request.method, request.url.path)
        if route is None:
            return self.error(404, "Not found")
        if route.name == "products":
            return _page(request, _bodies(), DEFAULT_LIMIT, self.error)
        wanted = int(route.params["id"])
        if route.name == "variant":
            variant = _variant_index().get(wanted)
            return (
                json_response(200, {"data": variant}) if variant else self.error(404, "Not found")
            )
        product = products().get(wanted)
        if product is None:
            return self.error(404, "Not found")
        if route.name == "product":
            return json_response(200, {"data": product.body()})
        return _page(request, product.variants(), MAX_LIMIT, self.error)
