"""Snapshots of the Rules tab and the rule editor at 120x40 and 80x24; at 80x24 the buttons and
the focused field must lie inside the screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from podtui.db import Database
from podtui.services.catalogue import rules
from podtui.services.catalogue.rules import RuleDraft
from tests.screens.conftest import steady_cursors
from tests.screens.orders.conftest import make_app, settle
from tests.screens.test_catalogue import assert_inside, press_button
from tests.screens.test_catalogue_rules import open_rules
from tests.services.catalogue.map_support import MapShop


async def _tab(pilot: Pilot[Any]) -> None:
    await open_rules(pilot)


async def _editor(pilot: Pilot[Any]) -> None:
    await open_rules(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await press_button(pilot, "#rule-try")
    await pilot.press("shift+tab", "shift+tab")  # back to the form's last field


VIEWS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {"tab": _tab, "editor": _editor}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_rules_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    map_shop: MapShop,
    view: str,
    size: tuple[int, int],
) -> None:
    map_shop.order()
    rules.save_rule(db, RuleDraft(
        name="Mugs to the RIP", sku="MUG*", vendor_id=map_shop.vendors["hotfolder"],
        vendor_product={"queue": "dtg", "product_type": "mug"}, artwork_id=map_shop.artwork_id,
    ))  # fmt: skip
    rules.save_rule(db, RuleDraft(
        name="US by hand", countries=("US",), vendor_id=map_shop.vendors["manual"],
        artwork_id=map_shop.artwork_id, approve="auto",
    ))  # fmt: skip

    async def before(pilot: Pilot[Any]) -> None:
        await VIEWS[view](pilot)
        await settle(pilot)
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=before)
