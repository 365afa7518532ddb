"""`podtui rules ...`: routing rules without SQL, and rules in `podtui mappings export/import`."""

from __future__ import annotations

from pathlib import Path

import pytest

from podtui.cli import main
from podtui.domain.models import OrderItem
from podtui.domain.status import ItemStatus
from podtui.services.catalogue import rules
from tests.services.catalogue.map_support import MapShop


def _run(database_url: str, *args: str) -> int:
    return main(["--db", database_url, *args])


def test_try_add_list_move_remove(
    database_url: str, map_shop: MapShop, capsys: pytest.CaptureFixture[str]
) -> None:
    map_shop.order()
    map_shop.order()
    art = str(map_shop.artwork_id)
    mugs = ("--name", "Mugs", "--sku", "MUG*", "--vendor", "DTG", "--queue", "dtg",
            "--product-type", "mug", "--artwork", art)  # fmt: skip
    assert _run(database_url, "rules", "try", *mugs) == 0
    assert capsys.readouterr().out == "This rule would route 2 waiting items: 2 to DTG.\n"
    assert _run(database_url, "rules", "add", *mugs) == 0
    assert capsys.readouterr().out == "Saved rule 1 (Mugs). Routed 2 items.\n"
    for item_id in map_shop.items["30/31"]:
        assert map_shop.item(item_id).status is ItemStatus.WAITING_APPROVAL
    rest = ("--name", "Rest", "--vendor", "Back room", "--artwork", art, "--country", "us",
            "--approve", "auto")  # fmt: skip
    assert _run(database_url, "rules", "add", *rest) == 0
    assert capsys.readouterr().out == "Saved rule 2 (Rest). Routed 6 items.\n"
    assert _run(database_url, "rules", "list") == 0
    assert capsys.readouterr().out.splitlines() == [
        "1. Mugs: SKU MUG* -> DTG (queue dtg, product_type mug), artwork Idea; 2 waiting",
        "2. Rest: to US -> Back room, artwork Idea, approved automatically; 6 waiting",
    ]
    assert _run(database_url, "rules", "move", "Rest", "1") == 0
    assert capsys.readouterr().out == (
        "Rule Rest is now tried first. Applying the rules would route 2 waiting items: "
        "2 to Back room (podtui rules apply).\n"
    )
    assert _run(database_url, "rules", "apply") == 0
    assert capsys.readouterr().out == "Routed 2 items.\n"
    assert _run(database_url, "rules", "remove", "Mugs") == 0
    assert capsys.readouterr().out == "Removed rule Mugs (its items keep their vendor).\n"
    assert [r.name for r in rules.list_rules(map_shop.db)] == ["Rest"]


def test_ready_items_wait_for_reroute_ready(
    database_url: str, map_shop: MapShop, capsys: pytest.CaptureFixture[str]
) -> None:
    map_shop.order()
    art = str(map_shop.artwork_id)
    assert _run(database_url, "rules", "add", "--name", "Mugs", "--sku", "MUG*", "--vendor",
                "Back room", "--artwork", art) == 0  # fmt: skip
    mug = map_shop.items["30/31"][0]
    with map_shop.db.write() as s:
        row = s.get(OrderItem, mug)
        assert row is not None
        row.status = ItemStatus.READY
        s.add(row)
    capsys.readouterr()
    edit = ("rules", "edit", "Mugs", "--vendor", "DTG", "--queue", "dtg", "--product-type", "mug")
    assert _run(database_url, *edit) == 0
    assert capsys.readouterr().out == (
        "Saved rule 1 (Mugs). Routed 0 items. 1 Ready items were left as they are: "
        "add --reroute-ready to re-route them and render them again.\n"
    )
    assert _run(database_url, *edit, "--reroute-ready") == 0
    assert capsys.readouterr().out == "Saved rule 1 (Mugs). Routed 1 item.\n"
    assert map_shop.item(mug).status is ItemStatus.RENDERING


def test_bad_rules_change_nothing_and_rules_travel_with_the_mappings(
    database_url: str, map_shop: MapShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    map_shop.order()
    code = _run(database_url, "rules", "add", "--sku", "[x", "--vendor", "DTG", "--country", "USA")
    err = capsys.readouterr().err.splitlines()
    assert code == 2 and err[0] == "podtui: The rule was not saved."
    assert "  sku: '[x' has an unclosed [" in err
    assert "  countries: 'USA' is not a two-letter country code (US, DE ...)" in err
    assert rules.list_rules(map_shop.db) == []
    art = str(map_shop.artwork_id)
    _run(database_url, "rules", "add", "--name", "Mugs", "--sku", "MUG*", "--vendor", "DTG",
         "--queue", "dtg", "--product-type", "mug", "--artwork", art)  # fmt: skip
    _run(database_url, "rules", "add", "--name", "Rest", "--vendor", "Back room", "--country", "US")
    out = tmp_path / "all.csv"
    capsys.readouterr()
    assert _run(database_url, "mappings", "export", str(out)) == 0
    assert capsys.readouterr().out == f"Wrote 0 mappings and 2 rules to {out}.\n"
    for rule in rules.list_rules(map_shop.db):
        rules.remove_rule(map_shop.db, rule.id)
    assert _run(database_url, "mappings", "import", str(out)) == 0
    assert "2 rules (2 new, 0 updated)" in capsys.readouterr().out
    got = rules.list_rules(map_shop.db)
    assert [(r.name, r.terms.sku, r.vendor, r.terms.countries) for r in got] == [
        ("Mugs", "MUG*", "DTG", ()), ("Rest", "", "Back room", ("US",)),
    ]  # fmt: skip
    assert got[0].vendor_product == {"queue": "dtg", "product_type": "mug"}
    text = out.read_text().replace("Back room", "Nobody")
    out.write_text(text)
    assert _run(database_url, "mappings", "import", str(out)) == 2
    assert "no vendor is called 'Nobody'" in capsys.readouterr().err


def test_a_rule_by_the_store_product_type(
    database_url: str, map_shop: MapShop, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    map_shop.order()
    mugs = ("--name", "Mugs", "--type", "Mug", "--vendor", "DTG", "--queue", "dtg",
            "--product-type", "mug", "--artwork", str(map_shop.artwork_id))  # fmt: skip
    assert _run(database_url, "rules", "add", *mugs) == 0
    assert capsys.readouterr().out == "Saved rule 1 (Mugs). Routed 1 item.\n"
    assert _run(database_url, "rules", "list") == 0
    assert capsys.readouterr().out.splitlines() == [
        "1. Mugs: type Mug -> DTG (queue dtg, product_type mug), artwork Idea; 1 waiting",
    ]
    out = tmp_path / "rules.csv"
    assert _run(database_url, "mappings", "export", str(out)) == 0
    rules.remove_rule(map_shop.db, 1)
    assert _run(database_url, "mappings", "import", str(out)) == 0
    capsys.readouterr()
    assert [r.terms.product_type for r in rules.list_rules(map_shop.db)] == ["Mug"]
