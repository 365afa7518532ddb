"""No key does nothing in silence: a key the item's status does not allow says why, and what
that status allows instead (issue 17, bug 8)."""

from __future__ import annotations

from podtui.db import Database
from tests.screens.detail.conftest import (
    SIZE,
    DetailShop,
    app_for,
    cursor_to,
    open_from_list,
    toasts,
)
from tests.screens.orders.conftest import settle


async def test_a_key_the_status_does_not_allow_says_why(db: Database, dshop: DetailShop):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["waiting"])
        await pilot.press("w")  # why it failed: it has not failed
        await settle(pilot)
        said = toasts(app)
        assert "Waiting approval" in said and "allows" in said and "approve" in said
        await pilot.press("F")  # mark fulfilled: its vendor is integrated, and it is not ready
        await settle(pilot)
        assert toasts(app).count("Waiting approval") == 2


async def test_the_list_says_why_a_key_does_not_apply_to_the_row(db: Database) -> None:
    from podtui.domain.status import ItemStatus
    from podtui.screens.orders import OrdersScreen
    from tests.screens.orders.conftest import make_app
    from tests.screens.orders.data import seed_shop

    seed_shop(db)
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        rows = screen.table.loaded_rows
        screen.table.cursor = next(
            i for i, r in enumerate(rows) if r.status is ItemStatus.WAITING_APPROVAL
        )
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        said = toasts(app)
        assert "Waiting approval" in said and "allows" in said
