"""Counts and names as the operator reads them: '1 item', '2 items', a vendor's kind said once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from podtui.domain.wording import count, items_are, name_with_kind, system_name

SRC = Path(__file__).parents[2] / "src" / "podtui"


@pytest.mark.parametrize(
    ("n", "word", "expect"),
    [
        (0, "item", "0 items"),
        (1, "item", "1 item"),
        (2, "item", "2 items"),
        (1204, "item", "1,204 items"),
        (1, "mapping", "1 mapping"),
        (3, "shipment", "3 shipments"),
        (1, "sync problem", "1 sync problem"),
        (2, "vendor order", "2 vendor orders"),
        (1, "entry", "1 entry"),
        (2, "entry", "2 entries"),
        (2, "pass", "2 passes"),
    ],
)
def test_count_says_one_thing_once_and_more_in_the_plural(n: int, word: str, expect: str) -> None:
    assert count(n, word) == expect


@pytest.mark.parametrize(
    ("name", "kind", "expect"),
    [
        ("Stitch & Ink Co-op (manual)", "manual", "Stitch & Ink Co-op (manual)"),
        ("Printify (sandbox)", "printify", "Printify (sandbox)"),
        ("In-house hot folder", "hotfolder", "In-house hot folder"),
        ("Press room", "hotfolder", "Press room (hot folder)"),
        ("Acme", "printful", "Acme (printful)"),
        ("Lena's Shopify store", "shopify", "Lena's Shopify store"),
        ("My Woo shop", "woocommerce", "My Woo shop (woocommerce)"),
    ],
)
def test_a_name_is_followed_by_its_kind_only_when_it_does_not_already_say_it(
    name: str, kind: str, expect: str
) -> None:
    assert name_with_kind(name, kind) == expect


# A number written straight before a fixed plural noun reads "1 items" when the number is 1.
# (A kind, a label or a joined list before the noun is not a count.)
_FIXED_PLURAL = re.compile(
    r"\{(?![^{}]*(kind|label|what|join|'))[^{}]+\}\s+(items|orders|mappings|products|problems|stores|vendors|parts|events|"
    r"fields|files|shipments|units|jobs|notes|variants|pages|rows|renders)\b(?!/)"
    r"|\{[^{}]+\}\s+[a-z]+( [a-z]+)?\(s\)"  # nor "1 item(s)"
)


def test_no_message_writes_a_count_before_a_fixed_plural() -> None:
    found = [
        f"{path.relative_to(SRC)}:{number}: {line.strip()}"
        for path in sorted(SRC.rglob("*.py"))
        if "sandbox" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _FIXED_PLURAL.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("system", "name", "expect"),
    [
        ("Printify", "Printify (sandbox)", "Printify (sandbox)"),
        ("Printify", "Acme prints", "Printify (Acme prints)"),
        ("WooCommerce", "Atelier Lumen", "WooCommerce (Atelier Lumen)"),
    ],
)
def test_a_system_is_named_once(system: str, name: str, expect: str) -> None:
    """Not "Printify (Printify (sandbox)) HTTP 401"."""
    assert system_name(system, name) == expect


@pytest.mark.parametrize(
    ("ids", "expect"),
    [([192], "Item 192 is"), ([5, 6], "Items 5, 6 are")],
)
def test_items_by_id_agree_with_their_verb(ids: list[int], expect: str) -> None:
    assert items_are(ids) == expect
