"""Snapshots of the details screen and of each of its dialogs: fixed order, fixed times."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from textual.pilot import Pilot

from podtui.db import Database
from tests.screens.conftest import steady_cursors
from tests.screens.detail.conftest import SIZE, DetailShop, app_for, cursor_to, open_from_list
from tests.screens.orders.conftest import settle


def _before(item: str, keys: Iterable[str], dshop: DetailShop) -> Callable[..., Any]:
    async def before(pilot: Pilot[Any]) -> None:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items[item])
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await steady_cursors(pilot)

    return before


def test_detail_screen_snapshot(
    snap_compare: Callable[..., bool], db: Database, dshop: DetailShop
) -> None:
    assert snap_compare(app_for(db), terminal_size=SIZE, run_before=_before("ready", [], dshop))


@pytest.mark.parametrize(
    ("item", "keys"),
    [
        ("waiting", ["t"]),  # split
        ("ready", ["s"]),  # shipping editor
        ("failed", ["w"]),  # failure reason
        ("waiting", ["d"]),  # design editor
        ("missing", ["l"]),  # artwork picker
        ("manual", ["F"]),  # mark fulfilled
        ("ready", ["h"]),  # confirm with a reason
        ("ready", ["n"]),  # note editor
        ("ready", ["N"]),  # the notes, to edit or delete
    ],
    ids=["split", "shipping", "failure", "design", "artwork", "fulfilled", "hold", "note", "notes"],
)
def test_dialog_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    dshop: DetailShop,
    item: str,
    keys: list[str],
) -> None:
    assert snap_compare(app_for(db), terminal_size=SIZE, run_before=_before(item, keys, dshop))
