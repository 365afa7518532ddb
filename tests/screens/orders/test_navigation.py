"""Going back and forth between the list and the order details never strands the operator."""

from __future__ import annotations

from podtui.db import Database
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.orders import OrdersScreen
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import Shop


async def test_esc_on_the_bare_list_never_leaves_it(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        base = app.screen
        assert isinstance(base, OrdersScreen)
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        assert app.screen is base  # not popped to a blank screen


async def test_the_palette_opens_another_order_from_the_details(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"#1007")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        await pilot.press("ctrl+p", *"#1003")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrderDetailScreen) and screen.detail is not None
        assert screen.detail.order.name == "#1003"
        # One details screen at a time: back goes to the list, not to the first order.
        assert sum(isinstance(s, OrderDetailScreen) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen)
