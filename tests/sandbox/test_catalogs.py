"""The sandbox catalogues answer like Printify's v1 and Printful's v2 catalogue, refusals too."""

from __future__ import annotations

import httpx
import pytest

from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify

PRINTIFY = {"Authorization": "Bearer sandbox-token", "User-Agent": "podtui-tests/1.0"}
PRINTFUL = {"Authorization": "Bearer sandbox-token"}


@pytest.fixture
def printify() -> httpx.Client:
    sandbox = SandboxPrintify()
    return httpx.Client(base_url=sandbox.base_url, transport=sandbox.transport(), headers=PRINTIFY)


@pytest.fixture
def printful() -> httpx.Client:
    sandbox = SandboxPrintful(store_id=77)  # the catalogue asks for no store
    return httpx.Client(base_url=sandbox.base_url, transport=sandbox.transport(), headers=PRINTFUL)


def test_printify_serves_over_a_thousand_blueprints_in_one_array(printify: httpx.Client) -> None:
    answer = printify.get("/v1/catalog/blueprints.json")
    assert answer.status_code == 200
    blueprints = answer.json()
    assert isinstance(blueprints, list) and len(blueprints) >= 1000
    assert len({b["id"] for b in blueprints}) == len(blueprints)
    tee = next(b for b in blueprints if b["id"] == 6)
    assert set(tee) == {"id", "title", "description", "brand", "model", "images"}
    assert (tee["title"], tee["brand"], tee["model"]) == (
        "Unisex Heavy Cotton Tee",
        "Gildan",
        "5000",
    )
    assert printify.get("/v1/catalog/blueprints/6.json").json() == tee


def test_printify_providers_and_variants(printify: httpx.Client) -> None:
    providers = printify.get("/v1/catalog/blueprints/6/print_providers.json").json()
    assert {p["id"] for p in providers} == {3, 29, 99}
    assert set(providers[0]) == {"id", "title"}
    answer = printify.get("/v1/catalog/blueprints/6/print_providers/99/variants.json").json()
    assert (answer["id"], answer["title"]) == (99, "Printify Choice")
    variant = answer["variants"][0]
    assert set(variant) == {"id", "title", "options", "placeholders"}
    assert variant["title"] == f"{variant['options']['color']} / {variant['options']['size']}"
    assert {p["position"] for p in variant["placeholders"]} == {"front", "back"}
    every = printify.get(
        "/v1/catalog/blueprints/6/print_providers/99/variants.json",
        params={"show-out-of-stock": "1"},
    ).json()["variants"]
    assert len(every) > len(answer["variants"])  # out of stock: only when asked for
    mugs = printify.get("/v1/catalog/blueprints/68/print_providers/1/variants.json").json()
    assert {v["options"]["size"] for v in mugs["variants"]} == {"11oz", "15oz"}
    everyone = printify.get("/v1/catalog/print_providers.json").json()
    assert set(everyone[0]) == {"id", "title", "location"}
    one = printify.get("/v1/catalog/print_providers/99.json").json()
    assert 6 in {b["id"] for b in one["blueprints"]}


@pytest.mark.parametrize(
    "path",
    [
        "/v1/catalog/blueprints/999999.json",
        "/v1/catalog/blueprints/999999/print_providers.json",
        "/v1/catalog/blueprints/6/print_providers/1/variants.json",  # 1 does not make it
        "/v1/catalog/blueprints/6/print_providers/123456/variants.json",
        "/v1/catalog/print_providers/123456.json",
    ],
)
def test_printify_refuses_ids_it_does_not_have(printify: httpx.Client, path: str) -> None:
    answer = printify.get(path)
    assert answer.status_code == 404
    assert answer.json()["status"] == "error"


def test_printify_catalogue_needs_the_token_and_has_its_own_limit() -> None:
    now = [0.0]
    sandbox = SandboxPrintify(catalog_rate_limit_per_min=3, monotonic=lambda: now[0])
    client = httpx.Client(base_url=sandbox.base_url, transport=sandbox.transport())
    assert client.get("/v1/catalog/blueprints/6.json", headers={**PRINTIFY, "Authorization": "Bearer x"}).status_code == 401  # fmt: skip
    codes = [client.get("/v1/catalog/blueprints/6.json", headers=PRINTIFY).status_code for _ in range(4)]  # fmt: skip
    assert codes == [200, 200, 200, 429]
    now[0] = 61.0
    assert client.get("/v1/catalog/blueprints/6.json", headers=PRINTIFY).status_code == 200


def test_printful_pages_its_catalogue(printful: httpx.Client) -> None:
    first = printful.get("/v2/catalog-products").json()
    assert first["paging"] == {"total": 420, "offset": 0, "limit": 20}
    assert len(first["data"]) == 20 and "next" in first["_links"]
    seen = []
    offset = 0
    while True:
        page = printful.get("/v2/catalog-products", params={"limit": 100, "offset": offset}).json()
        seen += page["data"]
        offset += 100
        if "next" not in page["_links"]:
            break
    assert len(seen) == 420 and len({p["id"] for p in seen}) == 420
    tee = printful.get("/v2/catalog-products/71").json()["data"]
    assert tee["name"] == "Unisex Staple T-Shirt | Bella + Canvas 3001"
    assert {
        "id",
        "name",
        "brand",
        "model",
        "variant_count",
        "sizes",
        "colors",
        "placements",
    } <= set(tee)
    variants = printful.get("/v2/catalog-products/71/catalog-variants").json()
    assert len(variants["data"]) == tee["variant_count"] == variants["paging"]["total"]
    one = variants["data"][0]
    assert set(one) >= {"id", "catalog_product_id", "name", "size", "color", "color_code"}
    assert printful.get(f"/v2/catalog-variants/{one['id']}").json()["data"] == one
    mugs = printful.get("/v2/catalog-products/19/catalog-variants").json()["data"]
    assert {v["size"] for v in mugs} == {"11 oz", "15 oz"}  # Printful's spelling


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/v2/catalog-products/99999", {}, 404),
        ("/v2/catalog-products/99999/catalog-variants", {}, 404),
        ("/v2/catalog-variants/1", {}, 404),
        ("/v2/catalog-products", {"limit": "101"}, 400),
        ("/v2/catalog-products", {"offset": "-1"}, 400),
    ],
)
def test_printful_refuses_like_printful(
    printful: httpx.Client, path: str, params: dict[str, str], status: int
) -> None:
    answer = printful.get(path, params=params)
    assert answer.status_code == status
    body = answer.json()
    assert body["code"] == status and set(body["error"]) == {"reason", "message"}
