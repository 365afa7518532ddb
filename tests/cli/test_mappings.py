"""`podtui mappings ...`: what the operator reads, and nothing changed on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from podtui.cli import main
from podtui.domain.status import ItemStatus
from tests.services.catalogue.map_support import MapShop


def _run(database_url: str, *args: str) -> int:
    return main(["--db", database_url, "mappings", *args])


def test_unmapped_catalogue_add_list(
    database_url: str, map_shop: MapShop, capsys: pytest.CaptureFixture[str]
) -> None:
    map_shop.order()
    assert _run(database_url, "unmapped", "--search", "tee") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["store", "product", "variant", "waiting", "order", "title"]
    assert out[1].split()[:5] == ["Lumen", "22", "24", "1", "#701"]
    assert out[1].endswith("Idea Tee / Black / Small [TEE]")
    assert (
        _run(database_url, "catalogue", "--vendor", "Printify", "--search", "heavy cotton gildan")
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Printify: 1,100 products (read ")
    assert out[1].split()[:5] == ["6", "Unisex", "Heavy", "Cotton", "Tee"]
    assert _run(database_url, "catalogue", "--vendor", "Printify", "--product", "6") == 0
    assert "Printify Choice" in capsys.readouterr().out
    assert (
        _run(
            database_url, "catalogue", "--vendor", "Printify", "--product", "6", "--provider", "99"
        )
        == 0
    )
    assert "Sport Grey / XL" in capsys.readouterr().out
    assert _run(database_url, "catalogue", "--vendor", "Printify", "--product", "424242") == 2
    assert "Printify has no blueprint 424242" in capsys.readouterr().err
    code = _run(
        database_url, "add", "--store", "Lumen", "--product", "22", "--all-variants",
        "--artwork", str(map_shop.artwork_id), "--vendor", "Printify",
        "--blueprint", "6", "--provider", "99", "--weight", "180", "--hs-code", "6109.10",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Mapped Idea Tee / Black / Small -> Printify variant" in out
    assert "(Sport Grey / XL, suggested): 1 item to Waiting approval." in out
    for item_id in map_shop.items["22/23"] + map_shop.items["22/24"]:
        assert map_shop.item(item_id).status is ItemStatus.WAITING_APPROVAL
    assert _run(database_url, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(
        "#2 Lumen: product 22 variant 23 [TEE] -> Idea by Printify"
    )


def test_bad_input_changes_nothing(
    database_url: str, map_shop: MapShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    map_shop.order()
    code = _run(
        database_url, "add", "--store", "Lumen", "--product", "40", "--artwork", "99",
        "--vendor", "DTG", "--queue", "posters",
    )  # fmt: skip
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and err[0] == "podtui: No mapping was saved."
    assert "  artwork: artwork 99 does not exist" in err
    assert "  queue: 'posters' is not a queue of DTG (dtg)" in err
    assert "  product_type: a hotfolder mapping needs the vendor's product_type" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("store,product_id,variant_id,artwork_id,vendor\nLumen,22,23,1,Nobody\n")
    assert _run(database_url, "import", str(bad)) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "podtui: Nothing was imported: 1 of the rows cannot be used.",
        "  line 2: no vendor is called 'Nobody'",
    ]
    assert _run(database_url, "export", str(tmp_path / "out.csv")) == 0
    assert capsys.readouterr().out == f"Wrote 0 mappings to {tmp_path / 'out.csv'}.\n"
    assert map_shop.item(map_shop.items["40/"][0]).status is ItemStatus.MISSING_ARTWORK
