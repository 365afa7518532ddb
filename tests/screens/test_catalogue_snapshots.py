"""Snapshots of the Catalogue screen, its mapping editor and the add-connection form, at
120x40 and 80x24; at 80x24 the buttons and the focused field must lie inside the screen."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from podtui.db import Database
from tests.screens.conftest import assert_inside, steady_cursors
from tests.screens.orders.conftest import make_app, settle
from tests.screens.test_catalogue import choose, fill_editor, open_catalogue
from tests.services.catalogue.map_support import MapShop


async def _unmapped(pilot: Pilot[Any]) -> None:
    await open_catalogue(pilot)
    await pilot.press("space", "down")


async def _artwork(pilot: Pilot[Any]) -> None:
    await open_catalogue(pilot)
    await pilot.press("]")


async def _add_artwork(pilot: Pilot[Any]) -> None:
    await _artwork(pilot)
    await settle(pilot)
    await pilot.press("a")


async def _editor(pilot: Pilot[Any]) -> None:
    await open_catalogue(pilot)
    await pilot.press("down", "enter")  # the Sport Gray / Extra Large tee
    await settle(pilot)
    await fill_editor(pilot)


async def _add_connection(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("C")
    await settle(pilot)
    await pilot.press("a")
    await choose(pilot, 4)  # hot folder
    await pilot.press("tab")


VIEWS: dict[str, Callable[[Pilot[Any]], Awaitable[None]]] = {
    "unmapped": _unmapped,
    "artwork": _artwork,
    "add_artwork": _add_artwork,
    "editor": _editor,
    "add_connection": _add_connection,
}


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_catalogue_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    map_shop: MapShop,
    view: str,
    size: tuple[int, int],
) -> None:
    map_shop.order()

    async def before(pilot: Pilot[Any]) -> None:
        await VIEWS[view](pilot)
        await settle(pilot)
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=before)
