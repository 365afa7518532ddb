"""Vendor catalogues through the service: the product list cached with its time, search, refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import select

from podtui.adapters.credentials import set_secret
from podtui.db import Database
from podtui.domain.errors import NotFoundError, ValidationError
from podtui.domain.models import CatalogueCache, Vendor
from podtui.sandbox.http import Fault, serve_loopback
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.catalogue import vendor_catalog
from podtui.services.catalogue.vendor_catalog import CatalogueError


@pytest.fixture
def printify(db: Database) -> Iterator[tuple[SandboxPrintify, int]]:
    sandbox = SandboxPrintify(token="pfy")
    with serve_loopback(sandbox.handler) as url:
        with db.write() as session:
            vendor = Vendor(name="Printify", kind="printify", base_url=f"{url}/v1")
            session.add(vendor)
            session.flush()
            assert vendor.id is not None
            vendor_id = vendor.id
        set_secret("printify", "Printify", "pfy")
        yield sandbox, vendor_id


def _catalogue_requests(sandbox: SandboxPrintify | SandboxPrintful) -> list[str]:
    return [r.url.path for r in sandbox.requests if "catalog" in r.url.path]


def test_the_blueprint_list_is_read_once_and_kept_with_its_time(
    db: Database, printify: tuple[SandboxPrintify, int]
) -> None:
    sandbox, vendor_id = printify
    first = vendor_catalog.products(db, vendor_id)
    assert first.fetched_now and len(first.products) >= 1000
    again = vendor_catalog.products(db, vendor_id)
    assert not again.fetched_now and again.fetched_at == first.fetched_at
    assert again.products == first.products
    assert _catalogue_requests(sandbox) == ["/v1/catalog/blueprints.json"]
    with db.read() as session:
        [row] = session.exec(select(CatalogueCache)).all()
    assert (row.key, len(row.data)) == ("products", len(first.products))
    stale = vendor_catalog.products(db, vendor_id, max_age=timedelta(0))
    assert stale.fetched_now and stale.fetched_at > first.fetched_at
    assert vendor_catalog.products(db, vendor_id, refresh=True).fetched_now
    assert len(_catalogue_requests(sandbox)) == 3


def test_search_finds_by_words_brand_model_and_id(
    db: Database, printify: tuple[SandboxPrintify, int]
) -> None:
    _, vendor_id = printify
    rows = vendor_catalog.products(db, vendor_id).products
    assert vendor_catalog.search(rows, "heavy cotton tee gildan")[0].id == 6
    assert vendor_catalog.search(rows, "6")[0].id == 6
    assert vendor_catalog.search(rows, "18500")[0].id == 77
    mugs = vendor_catalog.search(rows, "mug 11oz")
    assert mugs[0].id == 68 and all("mug" in m.title.casefold() for m in mugs)
    assert vendor_catalog.search(rows, "no such thing at all") == []


def test_providers_and_variants_are_fetched_when_first_opened(
    db: Database, printify: tuple[SandboxPrintify, int]
) -> None:
    sandbox, vendor_id = printify
    providers = vendor_catalog.providers(db, vendor_id, 6)
    assert {p.title for p in providers} >= {"Printify Choice", "Monster Digital"}
    first = vendor_catalog.variants(db, vendor_id, 6, 99)
    again = vendor_catalog.variants(db, vendor_id, 6, 99)
    assert first == again and first[0].placements == ("front", "back")
    assert any(not v.in_stock for v in first)
    assert len(_catalogue_requests(sandbox)) == 3  # providers once, variants twice (stock)
    vendor_catalog.providers(db, vendor_id, 6)
    assert len(_catalogue_requests(sandbox)) == 3


def test_wrong_ids_and_refusals_say_so(db: Database, printify: tuple[SandboxPrintify, int]) -> None:
    sandbox, vendor_id = printify
    with pytest.raises(NotFoundError, match="Printify has no blueprint 999999"):
        vendor_catalog.providers(db, vendor_id, 999999)
    with pytest.raises(NotFoundError, match="Printify has no print provider 1 for blueprint 6"):
        vendor_catalog.variants(db, vendor_id, 6, 1)
    with pytest.raises(ValidationError, match="belongs to a print provider"):
        vendor_catalog.variants(db, vendor_id, 6)
    sandbox.inject(Fault(status=401, body={"message": "Unauthenticated."}, path="/catalog/"))
    with pytest.raises(CatalogueError, match="Printify's catalogue could not be read"):
        vendor_catalog.providers(db, vendor_id, 12)
    with db.read() as session:
        keys = session.exec(select(CatalogueCache.key)).all()
    assert keys == []  # nothing kept from a refusal


def test_printful_and_a_hot_folder(db: Database) -> None:
    sandbox = SandboxPrintful(token="pf")
    with serve_loopback(sandbox.handler) as url, db.write() as session:
        session.add(Vendor(id=1, name="Printful", kind="printful", base_url=url))
        session.add(Vendor(id=2, name="DTG", kind="hotfolder"))
    set_secret("printful", "Printful", "pf")
    with serve_loopback(sandbox.handler) as url:
        with db.write() as session:
            row = session.get(Vendor, 1)
            assert row is not None
            row.base_url = url
        listed = vendor_catalog.products(db, 1)
        assert len(listed.products) == 420
        assert vendor_catalog.providers(db, 1, 71) == []
        sizes = {v.options["size"] for v in vendor_catalog.variants(db, 1, 19)}
        assert sizes == {"11 oz", "15 oz"}
        with pytest.raises(NotFoundError, match="Printful has no catalogue product 99999"):
            vendor_catalog.variants(db, 1, 99999)
    with pytest.raises(ValidationError, match="DTG is a hotfolder vendor: it has no catalogue"):
        vendor_catalog.products(db, 2)
