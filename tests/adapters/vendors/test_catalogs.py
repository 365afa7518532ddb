"""The catalogue adapters against the Printify and Printful sandboxes on loopback."""

from __future__ import annotations

import pytest

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.catalog import NoCatalogError, catalog_for
from podtui.domain.models import Vendor
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify


async def test_printify_blueprints_providers_and_variants_with_stock() -> None:
    sandbox = SandboxPrintify(token="tok")
    with serve_loopback(sandbox.handler) as url:
        vendor = Vendor(name="Printify", kind="printify", base_url=f"{url}/v1")
        catalog = catalog_for(vendor, secret="tok")
        try:
            blueprints = await catalog.products()
            providers = await catalog.providers(6)
            variants = await catalog.variants(6, 99)
            with pytest.raises(ApiError) as missing:
                await catalog.variants(6, 1)
        finally:
            await catalog.aclose()
    assert len(blueprints) >= 1000 and catalog.has_providers
    tee = next(b for b in blueprints if b.id == 6)
    assert (tee.title, tee.brand, tee.model) == ("Unisex Heavy Cotton Tee", "Gildan", "5000")
    assert [p.id for p in providers] == [29, 99, 3]
    assert variants[0].options.keys() == {"color", "size"}
    assert variants[0].placements == ("front", "back")
    out = [v for v in variants if not v.in_stock]
    assert out and len(out) < len(variants)
    assert missing.value.http_status == 404
    paths = [r.url.path for r in sandbox.requests]
    assert paths.count("/v1/catalog/blueprints.json") == 1  # one array, no pages


async def test_printful_pages_to_the_end() -> None:
    sandbox = SandboxPrintful(token="tok")
    with serve_loopback(sandbox.handler) as url:
        vendor = Vendor(name="Printful", kind="printful", base_url=url)
        catalog = catalog_for(vendor, secret="tok")
        try:
            products = await catalog.products()
            variants = await catalog.variants(19, None)
            assert await catalog.providers(19) == []
            with pytest.raises(ApiError) as missing:
                await catalog.variants(99999, None)
        finally:
            await catalog.aclose()
    assert len(products) == 420 and not catalog.has_providers
    assert next(p for p in products if p.id == 71).title.startswith("Unisex Staple T-Shirt")
    assert {v.options["size"] for v in variants} == {"11 oz", "15 oz"}
    assert missing.value.http_status == 404 and "Not found" in str(missing.value)
    pages = [r for r in sandbox.requests if r.url.path == "/v2/catalog-products"]
    assert [r.url.params["offset"] for r in pages] == ["0", "100", "200", "300", "400"]


def test_a_hot_folder_has_no_catalogue() -> None:
    with pytest.raises(NoCatalogError, match="has no catalogue"):
        catalog_for(Vendor(name="DTG", kind="hotfolder"))
