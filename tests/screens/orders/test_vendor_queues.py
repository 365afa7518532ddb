"""The vendor-queue picker (Q): vendors with their Ready counts; a digit shows that queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from podtui.db import Database
from podtui.screens.orders import OrdersScreen
from podtui.screens.vendor_queues import VendorQueueModal
from tests.screens.conftest import steady_cursors
from tests.screens.orders.conftest import header, make_app, settle
from tests.screens.orders.data import Shop
from tests.screens.test_catalogue import assert_inside


async def _picker(pilot: Pilot[Any]) -> VendorQueueModal:
    """Q on the list: the picker, its queues counted."""
    await settle(pilot)
    await pilot.press("Q")
    await settle(pilot)
    picker = pilot.app.screen
    assert isinstance(picker, VendorQueueModal) and picker.queues
    return picker


async def test_q_lists_the_vendors_with_ready_items_and_a_digit_shows_that_queue(
    db: Database, shop: Shop
) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await _picker(pilot)
        assert_inside(pilot)
        counts = [q.ready for q in picker.queues]
        assert counts == sorted(counts, reverse=True) and all(counts)
        first = picker.queues[0]
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        assert screen.list_query.tab == "ready"
        assert screen.list_query.filter.vendors == (first.name,)
        assert screen.table.total == first.ready
        assert f"{first.ready} item" in header(app)


async def test_esc_leaves_the_list_as_it_was(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        before = screen.list_query
        await pilot.press("Q")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and screen.list_query == before


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_vendor_queue_snapshot(
    snap_compare: Callable[..., bool], db: Database, shop: Shop, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("Q")
        await settle(pilot)
        await steady_cursors(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=before)


async def test_a_rebound_pick_key_picks_and_the_rows_and_hint_name_it(
    db: Database, shop: Shop
) -> None:
    from podtui.config import Config
    from podtui.screens.help import HelpModal

    app = make_app(db, Config(keymap={"queues.pick_1": "x"}))
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await _picker(pilot)
        hint = str(picker.query_one("#dialog-hint").render())
        assert hint.startswith("x 2 3 4 5 6 7 8 9 or enter shows the queue"), hint
        first_row = str(picker.query_one(OptionList).get_option_at_index(0).prompt)
        assert first_row.startswith("x "), first_row
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpModal) and "queues.pick_1" in app.screen.text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("1")  # no longer a pick key
        await settle(pilot)
        assert app.screen is picker
        await pilot.press("x")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        assert screen.list_query.filter.vendors == (picker.queues[0].name,)
