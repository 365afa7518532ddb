"""Snapshots of the order list, the filter panel, the list's dialogs and a bulk summary: fixed
shop, fixed time; at 80x24 as well, where every button and the focused field lie on screen."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from podtui.db import Database
from tests.screens.conftest import assert_inside, steady_cursors
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import Shop

SIZE = (120, 40)
SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]


def test_order_list_snapshot(snap_compare: Callable[..., bool], db: Database, shop: Shop) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "space")  # a mark, and the cursor on a failed row
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_filter_panel_snapshot(
    snap_compare: Callable[..., bool], db: Database, shop: Shop, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one(
            "#filter-input", Input
        ).value = "status:ready,failed v:printify mug"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)
            fields = pilot.app.screen.query("#filter-text-fields Input")
            assert all(f.region.width >= 20 for f in fields), [f.region for f in fields]

    assert snap_compare(make_app(db), terminal_size=size, run_before=before)


LIST_DIALOGS = {
    "list": [],
    "send_confirm": ["down", "down", "down", "down", "down", "down", "down", "down", "space", "S"],
    "hold_confirm": ["space", "h"],
    "views": ["v"],
    "save_view": ["slash", *"mug", "enter", "V"],
    "help": ["question_mark"],
    "palette": ["ctrl+p", *"send"],
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("case", list(LIST_DIALOGS))
def test_list_dialog_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    shop: Shop,
    case: str,
    size: tuple[int, int],
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in LIST_DIALOGS[case]:
            await pilot.press(key)
        await settle(pilot)
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_bulk_summary_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    shop: Shop,
    orders_service: types.ModuleType,
    size: tuple[int, int],
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash")
        pilot.app.screen.query_one("#filter-input", Input).value = "s:waiting_approval,sent"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("asterisk", "a", "y")
        await settle(pilot)
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=before)
