"""The list opens with its rows: the first read is waited for (briefly) before the first frame,
so the operator never sees an empty table flash before the orders; a read slower than that
bound does not hold the screen back."""

from __future__ import annotations

from typing import Any

import pytest

from podtui.db import Database
from podtui.screens.orders import OrdersScreen
from podtui.widgets.order_table import OrderTable
from tests.screens.orders.conftest import settle
from tests.screens.orders.test_first_keys import Held

pytestmark = pytest.mark.usefixtures("shop")


def _record_frames(app: Any) -> list[bool]:
    """Per frame handed to the driver while the list shows: whether it carried rows."""
    frames: list[bool] = []
    real = app._display

    def display(screen: Any, renderable: Any) -> None:
        real(screen, renderable)
        if isinstance(screen, OrdersScreen):
            frames.append(bool(screen.table.loaded_rows))

    app._display = display
    return frames


async def test_the_first_frame_of_the_list_carries_its_rows(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bound no loaded machine reaches, so the test says what the code does, not how fast.
    monkeypatch.setattr(OrderTable, "first_read_wait", 30.0)
    held = Held(db)  # the gate open: reads go straight through
    frames = _record_frames(held.app)
    async with held.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert frames and frames[0], frames
        assert held.orders.table.current_row is not None


async def test_a_slow_first_read_does_not_hold_the_screen(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OrderTable, "first_read_wait", 0.01)
    held = Held(db)
    held.gate.clear()  # the first read waits until the test lets it through
    frames = _record_frames(held.app)
    try:
        async with held.app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert frames and not any(frames)  # painted, without rows, while the read waits
            held.gate.set()
            await settle(pilot)
            assert frames[-1] and held.orders.table.current_row is not None
    finally:
        held.gate.set()


async def test_the_app_hears_the_first_rows_and_opens_its_database_then(
    db: Database,
) -> None:
    # Opened by URL, the app opens (and migrates) the database once the first rows are shown,
    # not at the 1.5 s fallback: the first rows are read inside the screen's mount, and the
    # table's message that they are shown must still reach the app. The clock never moves.
    from podtui.app import PodTUI
    from podtui.clock import ManualClock
    from podtui.config import Config
    from tests.screens.orders.conftest import settle
    from tests.screens.orders.data import NOW

    app = PodTUI(config=Config(), url=db.url, clock=ManualClock(NOW), watch_interval=3600)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.database(timeout=30)  # opened by the rows, never by the (unmoved) fallback timer
        assert app.database_ready


async def test_podtui_run_freezes_the_loaded_heap_once_the_list_shows(db: Database) -> None:
    import gc

    from tests.screens.orders.conftest import make_app

    app = make_app(db)
    app.freeze_heap = True  # as `podtui run` and `podtui demo` start it
    before = gc.get_freeze_count()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


async def test_an_app_left_as_tests_make_it_freezes_nothing(db: Database) -> None:
    import gc

    from tests.screens.orders.conftest import make_app

    before = gc.get_freeze_count()
    async with make_app(db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    assert gc.get_freeze_count() == before
