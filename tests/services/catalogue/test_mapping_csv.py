"""Mappings through CSV: a round trip, and a file with bad rows applies nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from podtui.domain.errors import ValidationError
from podtui.domain.status import ItemStatus
from podtui.services.catalogue import vendor_catalog
from podtui.services.catalogue.mapping_csv import COLUMNS, export_csv, import_csv
from podtui.services.catalogue.mapping_plan import mapping_rows
from tests.services.catalogue.map_support import MapShop


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def _sport_grey_xl(map_shop: MapShop) -> int:
    found = vendor_catalog.variants(map_shop.db, map_shop.vendors["printify"], 6, 99)
    return next(v.id for v in found if v.title == "Sport Grey / XL")


def test_import_then_export_round_trips(map_shop: MapShop, tmp_path: Path) -> None:
    map_shop.order()
    rows = [
        {"store": "Lumen", "product_id": "22", "variant_id": "23", "artwork_id": map_shop.artwork_id,
         "vendor": "Printify", "blueprint_id": 6, "print_provider_id": 99,
         "vendor_variant_id": _sport_grey_xl(map_shop), "print_area": "front", "weight_grams": 180,
         "hs_code": "6109.10"},
        {"store": "Lumen", "product_id": "40", "variant_id": "", "artwork_id": map_shop.artwork_id,
         "vendor": "DTG", "queue": "dtg", "product_type": "=poster"},
    ]  # fmt: skip
    report = import_csv(map_shop.db, _write(tmp_path / "in.csv", rows))
    assert report.summary() == (
        "Imported 2 mappings (2 new, 0 updated); 2 items moved to Waiting approval."
    )
    assert map_shop.item(map_shop.items["22/23"][0]).status is ItemStatus.WAITING_APPROVAL
    out = tmp_path / "out.csv"
    assert export_csv(map_shop.db, out) == 2
    written = list(csv.DictReader(out.open(encoding="utf-8")))
    assert written[0]["title"] == "Idea Tee" and written[0]["sku"] == "TEE"
    assert written[0]["artwork"] == "Idea" and written[0]["vendor_variant_id"] == str(
        _sport_grey_xl(map_shop)
    )
    assert written[1]["product_type"] == "'=poster"  # a spreadsheet must not run it
    before = mapping_rows(map_shop.db)
    again = import_csv(map_shop.db, out)
    assert (
        again.summary()
        == "Imported 2 mappings (0 new, 2 updated); 0 items moved to Waiting approval."
    )
    assert mapping_rows(map_shop.db) == before
    assert before[1].vendor_product == {"queue": "dtg", "product_type": "=poster"}


def test_a_file_with_bad_rows_applies_nothing_and_names_each(
    map_shop: MapShop, tmp_path: Path
) -> None:
    map_shop.order()
    good = {"store": "Lumen", "product_id": "30", "variant_id": "31",
            "artwork_id": map_shop.artwork_id, "vendor": "Back room"}  # fmt: skip
    rows = [
        good,
        {**good, "store": "Nowhere"},
        {**good, "vendor": "Gelato", "artwork_id": "x"},
        {**good, "variant_id": "99"},
        {**good, "variant_id": "24", "product_id": "22", "artwork_id": 404},
        {**good, "product_id": "22", "variant_id": "23", "vendor": "Printify",
         "blueprint_id": 6, "print_provider_id": 99, "vendor_variant_id": 1},
        good,
        {**good, "product_id": "40", "variant_id": "", "weight_grams": "heavy"},
        {**good, "product_id": "40", "variant_id": "", "queue": "dtg"},
    ]  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        import_csv(map_shop.db, _write(tmp_path / "bad.csv", rows))
    assert str(caught.value).startswith("Nothing was imported: 8 of the rows cannot be used.")
    assert caught.value.fields == {
        "line 3": "no store is called 'Nowhere'",
        "line 4": "no vendor is called 'Gelato'; artwork_id 'x' is not a whole number",
        "line 5": "product_id: Lumen has no product 30 variant 99 in any synced order (sync first?)",
        "line 6": "artwork: artwork 404 does not exist",
        "line 7": "variant_id: Printify has no variant 1 there",
        "line 8": "the same store, product and variant as line 2",
        "line 9": "weight_grams 'heavy' is not a whole number",
        "line 10": "a manual vendor takes no queue",
    }
    assert mapping_rows(map_shop.db) == []
    assert map_shop.item(map_shop.items["30/31"][0]).status is ItemStatus.MISSING_ARTWORK


def test_a_file_without_the_columns_or_unreadable(map_shop: MapShop, tmp_path: Path) -> None:
    bare = tmp_path / "bare.csv"
    bare.write_text("store,product_id\nLumen,22\n")
    with pytest.raises(ValidationError) as caught:
        import_csv(map_shop.db, bare)
    assert caught.value.fields == {"line 1": "the header lacks variant_id, artwork_id, vendor"}
    with pytest.raises(ValidationError, match="cannot be read"):
        import_csv(map_shop.db, tmp_path / "missing.csv")
