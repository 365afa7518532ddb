"""Snapshots of the order list, the filter panel and a bulk summary: fixed shop, fixed time."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from podtui.db import Database
from tests.screens.conftest import steady_cursors
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import Shop

SIZE = (120, 40)


def test_order_list_snapshot(snap_compare: Callable[..., bool], db: Database, shop: Shop) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("down", "space")  # a mark, and the cursor on a failed row
        await settle(pilot)

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=before)


def test_filter_panel_snapshot(snap_compare: Callable[..., bool], db: Database, shop: Shop) -> None:
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

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=before)


def test_bulk_summary_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    shop: Shop,
    orders_service: types.ModuleType,
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

    assert snap_compare(make_app(db), terminal_size=SIZE, run_before=before)
