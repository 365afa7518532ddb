"""Printify's catalogue (API v1), for the sandbox: 1,100 blueprints, their providers and variants.

Served under `/v1/catalog/` (apis.md "Printify catalog"): `blueprints.json` (a bare array, not
paged, like the documentation's examples), `blueprints/{id}.json`,
`blueprints/{id}/print_providers.json`, `blueprints/{id}/print_providers/{pid}/variants.json`
(`show-out-of-stock=1` adds the variants out of stock, which are left out by default),
`print_providers.json` and `print_providers/{pid}.json`. A blueprint, provider or pair that does
not exist is a 404; its body is UNSURE (only the status is documented), so it is the one the
sandbox uses for any missing resource. Catalogue calls have their own limit (100 a minute),
answered with 429 and Retry-After when `rate_limit_per_min` is set.

A few ids are those of real, well-known blueprints (6 Gildan 5000 tee, 12 Bella+Canvas 3001,
68 the 11oz mug, 77 Gildan 18500 hoodie, 282 matte posters); the rest are made from the families
in `catalog_families.py`, the same on every run.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx

from podtui.sandbox.catalog_families import FAMILIES, Family, option_sets, variant_title
from podtui.sandbox.http import json_response, split_path

BLUEPRINTS = 1100
IMAGE_HOST = "https://images.printify.com/mockup"
PROVIDERS: tuple[tuple[int, str, str, str], ...] = (
    (1, "SPOKE Custom Products", "Portland", "US"),
    (2, "Sensaria", "Lebanon", "US"),
    (3, "DJ", "Riga", "LV"),
    (6, "T Shirt and Sons", "Leeds", "GB"),
    (10, "MWW On Demand", "Memphis", "US"),
    (16, "Marco Print", "Madrid", "ES"),
    (23, "WOYC", "Leicester", "GB"),
    (26, "Textildruck Europa", "Dresden", "DE"),
    (27, "Print Clever", "Cardiff", "GB"),
    (28, "District Photo", "Beltsville", "US"),
    (29, "Monster Digital", "Burnsville", "US"),
    (30, "Print Geek", "Sheridan", "US"),
    (34, "The Dream Junction", "Vancouver", "CA"),
    (36, "Colorway", "Columbus", "US"),
    (39, "SwiftPOD", "Brooklyn", "US"),
    (41, "Duplium", "Toronto", "CA"),
    (43, "Stoked On Printing", "Cleveland", "US"),
    (45, "Jondo", "Anaheim", "US"),
    (48, "Fulfill Engine", "Tempe", "US"),
    (50, "Print Logistic", "Bremen", "DE"),
    (58, "Prodigi", "London", "GB"),
    (59, "Podeo", "Kraków", "PL"),
    (62, "Ink Blot", "Indianapolis", "US"),
    (66, "Printed Mint", "Mississauga", "CA"),
    (70, "Awkward Styles", "Fort Lauderdale", "US"),
    (72, "Underground Threads", "Carol Stream", "US"),
    (73, "Shirt Monkey", "Clearwater", "US"),
    (80, "Casestry", "Chicago", "US"),
    (85, "Dimona Tee", "Carolina", "PR"),
    (99, "Printify Choice", "New York", "US"),
)
_PROVIDER_IDS = tuple(p[0] for p in PROVIDERS)
COLLECTIONS = ("", "Eco", "Vintage", "Classic Fit", "Relaxed Fit", "Limited")
# (id, title, brand, model, family kind, providers): real blueprints the demo and tests name.
ANCHORS: dict[int, tuple[str, str, str, str, tuple[int, ...]]] = {
    6: ("Unisex Heavy Cotton Tee", "Gildan", "5000", "Tee", (29, 99, 3)),
    12: ("Unisex Jersey Short Sleeve Tee", "Bella+Canvas", "3001", "Tee", (29, 99, 6, 39)),
    68: ("Mug 11oz", "Generic brand", "Mug 11oz", "Mug", (1, 28, 99)),
    77: ("Unisex Heavy Blend™ Hooded Sweatshirt", "Gildan", "18500", "Hoodie", (29, 99)),
    282: ("Matte Vertical Posters", "Generic brand", "Poster", "Poster", (2, 58, 99)),
}


@dataclass(frozen=True)
class Blueprint:
    id: int
    title: str
    brand: str
    model: str
    family: Family
    providers: tuple[int, ...]

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "description": f"{self.title} by {self.brand}. {self.family.kind} printed on demand.",
            "brand": self.brand,
            "model": self.model,
            "images": [f"{IMAGE_HOST}/{self.id}/front.jpg", f"{IMAGE_HOST}/{self.id}/back.jpg"],
        }


def _titles() -> list[tuple[str, str, str, Family]]:
    """Every generated (title, brand, model, family), in catalogue order."""
    out = []
    for collection in COLLECTIONS:
        for family in FAMILIES:
            for audience in family.audiences:
                for style in family.styles:
                    for n, (brand, model) in enumerate(family.makers):
                        words = [collection, audience, style, family.kind]
                        title = " ".join(w for w in words if w)
                        if n:
                            title += f" ({brand})"
                        out.append((title, brand, model, family))
    return out


@cache
def blueprints() -> dict[int, Blueprint]:
    """The catalogue's blueprints by id (built once)."""
    by_kind = {f.kind: f for f in FAMILIES}
    taken = {(a[0], a[1]) for a in ANCHORS.values()}
    made = (t for t in _titles() if (t[0], t[1]) not in taken)
    found: dict[int, Blueprint] = {}
    for bid in range(1, BLUEPRINTS + 1):
        if bid in ANCHORS:
            title, brand, model, kind, providers = ANCHORS[bid]
            found[bid] = Blueprint(bid, title, brand, model, by_kind[kind], providers)
            continue
        title, brand, model, family = next(made)
        chosen = random.Random(bid).sample(_PROVIDER_IDS, 1 + bid % 4)
        found[bid] = Blueprint(bid, title, brand, model, family, tuple(sorted(chosen)))
    return found


def provider_body(pid: int, *, with_location: bool = True) -> dict[str, Any]:
    _, title, city, country = next(p for p in PROVIDERS if p[0] == pid)
    body: dict[str, Any] = {"id": pid, "title": title}
    if with_location:
        body["location"] = {
            "address1": f"{pid} Industrial Way",
            "address2": None,
            "city": city,
            "country": country,
            "region": "",
            "zip": f"{10000 + pid * 7}",
        }
    return body


def variants(blueprint: Blueprint, pid: int, *, out_of_stock: bool) -> list[dict[str, Any]]:
    """The variants provider `pid` offers of `blueprint` (ids are the blueprint's own)."""
    family = blueprint.family
    width, height = family.area
    out = []
    for n, options in enumerate(option_sets(family)):
        colour = options.get("color", "")
        if colour and colour != family.options[0][1][0] and (sum(map(ord, colour)) + pid) % 5 == 0:
            continue  # this provider does not stock the colour at all
        if not out_of_stock and (n * 7 + pid) % 23 == 0:
            continue
        out.append(
            {
                "id": 10_000 + blueprint.id * 100 + n,
                "title": variant_title(options),
                "options": options,
                "placeholders": [
                    {"position": place, "height": height, "width": width}
                    for place in family.placements
                ],
            }
        )
    return out


_ROUTES = [
    ("GET", r"/v1/catalog/blueprints\.json", "blueprints"),
    ("GET", r"/v1/catalog/blueprints/(?P<bid>\d+)\.json", "blueprint"),
    ("GET", r"/v1/catalog/blueprints/(?P<bid>\d+)/print_providers\.json", "providers"),
    (
        "GET",
        r"/v1/catalog/blueprints/(?P<bid>\d+)/print_providers/(?P<pid>\d+)/variants\.json",
        "variants",
    ),
    ("GET", r"/v1/catalog/print_providers\.json", "all_providers"),
    ("GET", r"/v1/catalog/print_providers/(?P<pid>\d+)\.json", "provider"),
]


def not_found() -> httpx.Response:
    return json_response(404, {"status": "error", "message": "Not Found"})


class PrintifyCatalog:
    """The catalogue routes of a sandbox Printify account, with the catalogue's own rate limit."""

    def __init__(
        self, *, rate_limit_per_min: int = 0, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate_limit_per_min = rate_limit_per_min  # 0 = unlimited; Printify's is 100
        self.monotonic = monotonic
        self._window: list[float] = []

    def _limited(self) -> httpx.Response | None:
        if not self.rate_limit_per_min:
            return None
        now = self.monotonic()
        self._window = [t for t in self._window if now - t < 60.0]
        if len(self._window) >= self.rate_limit_per_min:
            wait = max(1, int(60.0 - (now - self._window[0])) + 1)
            body = {"status": "error", "code": 429, "message": "Too Many Attempts."}
            return json_response(429, body, headers={"Retry-After": str(wait)})
        self._window.append(now)
        return None

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one `/v1/catalog/...` request."""
        limited = self._limited()
        if limited is not None:
            return limited
        route = split_path(_ROUTES, request.method, request.url.path)
        if route is None:
            return not_found()
        every = blueprints()
        if route.name == "blueprints":
            return json_response(200, [b.body() for b in every.values()])
        if route.name == "all_providers":
            return json_response(200, [provider_body(p[0]) for p in PROVIDERS])
        if route.name == "provider":
            pid = int(route.params["pid"])
            if pid not in _PROVIDER_IDS:
                return not_found()
            offered = [b.body() for b in every.values() if pid in b.providers]
            return json_response(200, {**provider_body(pid), "blueprints": offered})
        blueprint = every.get(int(route.params["bid"]))
        if blueprint is None:
            return not_found()
        if route.name == "blueprint":
            return json_response(200, blueprint.body())
        if route.name == "providers":
            body = [provider_body(p, with_location=False) for p in blueprint.providers]
            return json_response(200, body)
        pid = int(route.params["pid"])
        if pid not in blueprint.providers:
            return not_found()
        stocked = request.url.params.get("show-out-of-stock") == "1"
        listed = variants(blueprint, pid, out_of_stock=stocked)
        return json_response(200, {**provider_body(pid, with_location=False), "variants": listed})
