"""An empty list says why it is empty and what to press: a new shop's first screen names the
way to connect a store; a filter that matches nothing says so and how to clear it."""

from __future__ import annotations

from textual.widgets import Static

from podtui.db import Database
from podtui.domain.models import Store
from podtui.screens.connections import ConnectionsScreen
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import NOW, Shop
from tests.screens.orders.test_bulk_actions import show


def _hint(app: object) -> Static:
    return app.screen.query_one("#list-empty", Static)  # type: ignore[attr-defined]


async def test_a_new_shop_is_told_how_to_connect_its_first_store(db: Database) -> None:
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        hint = _hint(app)
        text = str(hint.render())
        assert hint.display and "No orders yet" in text and "Press C, then a" in text
        assert app.screen.region.contains_region(hint.region) and hint.region.area
        await pilot.press("right_square_bracket")  # another tab of an empty shop: still no store
        await settle(pilot)
        assert "No orders yet" in str(_hint(app).render())
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ConnectionsScreen)


async def test_a_store_without_orders_yet_points_at_the_sync(db: Database) -> None:
    with db.write() as s:
        s.add(Store(name="Northwind", kind="shopify", base_url="https://n.example", created_at=NOW))
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = str(_hint(app).render())
        assert "No orders yet from Northwind" in text and "y" in text


async def test_a_filter_matching_nothing_says_so_and_how_to_clear_it(
    db: Database, shop: Shop
) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not _hint(app).display  # rows: no hint
        await show(pilot, "nobody-orders-this-zzz")
        hint = _hint(app)
        assert hint.display
        text = str(hint.render())
        assert "Nothing matches" in text and "nobody-orders-this-zzz" in text and "esc" in text
        assert "[ and ] change the tab" in text
        await pilot.press("escape")
        await settle(pilot)
        assert not _hint(app).display
