"""Done when (issue 14), in the TUI: on an empty database a shop connects its store and vendor
from the Connections screen, and maps through the Catalogue screen's editor, searching the
vendor's catalogue, until every item waits for approval. Only the sync runs as `podtui sync`
(the app's background sync is off in tests); the test writes nothing to the database itself."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, Static

from podtui.app import PodTUI
from podtui.cli import main
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.db import open_database
from podtui.domain.models import OrderItem
from podtui.domain.status import ItemStatus
from podtui.screens.catalogue import CatalogueScreen
from podtui.screens.catalogue_mapping import MappingEditor
from podtui.screens.connections import ConnectionsScreen
from tests.adapters.stores.woo_support import KEY, SECRET
from tests.cli.shop_support import PRINTIFY_SHOP, PRINTIFY_TOKEN, NewShop
from tests.screens.conftest import assert_inside
from tests.screens.orders.conftest import settle
from tests.screens.orders.data import NOW
from tests.screens.test_catalogue import choose, press_button

SIZE = (80, 24)


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Put `text` into the focused field at once, as a terminal's paste does (typing a long URL
    key by key costs seconds and proves nothing more)."""
    field = pilot.app.focused
    assert isinstance(field, Input), field
    field.insert_text_at_cursor(text)
    await pilot.pause()


async def _connect(pilot: Pilot[Any], kind_downs: int, *fields: str) -> None:
    """`a` on the Connections screen: the kind, then each visible field in turn, then enter."""
    await pilot.press("a")
    await choose(pilot, kind_downs)
    for value in fields:
        await pilot.press("tab")
        await paste(pilot, value)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, ConnectionsScreen), pilot.app.screen


async def test_a_new_shop_through_the_screens(tmp_path: Path, new_shop: NewShop) -> None:
    db_path = tmp_path / "new-shop.db"
    db = open_database(f"sqlite:///{db_path}")  # empty, as a first start leaves it
    app = PodTUI(db, Config(), clock=ManualClock(NOW), watch_interval=3600.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        await _connect(pilot, 1, new_shop.woo_url, "Lumen", f"{KEY}:{SECRET}")
        await _connect(pilot, 2, new_shop.printify_url, "Printify", str(PRINTIFY_SHOP),
                       PRINTIFY_TOKEN)  # fmt: skip
        states = {s.name: s.state for s in app.screen.states}  # type: ignore[attr-defined]
        assert states == {"Lumen": "connected", "Printify": "connected"}
        await pilot.press("escape")
        code = await asyncio.to_thread(main, ["--db", str(db_path), "sync", "--all"])
        assert code == 0

        await pilot.press("M")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogueScreen)
        assert [(r.product_id, r.variant_id, r.waiting) for r in screen.rows] == [
            ("93", "", 3), ("22", "23", 2), ("22", "24", 1),
        ]  # fmt: skip
        await pilot.press("a")
        await paste(pilot, str(new_shop.artwork))
        await pilot.press("enter")
        await settle(pilot)
        assert [a.name for a in screen.artwork] == ["Idea front"]

        # Every variant of the shirt at once: marks, then the vendor's catalogue.
        await pilot.press("down", "space", "space", "enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, MappingEditor) and len(editor.rows) == 2
        await choose(pilot, 1)  # the artwork
        await pilot.press("tab")
        await choose(pilot, 1)  # Printify
        await pilot.press("tab", *"heavy cotton gildan", "tab", "enter")
        await settle(pilot)
        await pilot.press("tab")
        await choose(pilot, 2)  # Monster Digital, Printify Choice
        suggested = str(editor.query_one("#map-suggested", Static).render())
        assert "Color: Black, Size: M Test → Black / M" in suggested
        assert "Size: Extra Large → Sport Grey / XL" in suggested
        assert_inside(pilot)
        await pilot.press("tab", *"180", "enter")
        await settle(pilot)
        assert app.screen is screen, editor.last_error
        assert [r.product_id for r in screen.rows] == ["93"]

        # The simple product: one row, its variant chosen by hand (its title has no options).
        await pilot.press("enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, MappingEditor)
        await choose(pilot, 1)
        await pilot.press("tab")
        await choose(pilot, 1)
        await pilot.press("tab", *"mug 11oz", "tab", "enter")
        await settle(pilot)
        await pilot.press("tab")
        await choose(pilot, 1)  # the mug's first provider
        await pilot.press("tab")
        await choose(pilot, 1)  # its first variant
        assert_inside(pilot)
        await press_button(pilot, "#map-save")
        assert app.screen is screen, editor.last_error
        assert screen.rows == []
    with db.read() as session:
        items = session.exec(select(OrderItem)).all()
    db.dispose()
    assert len(items) == 6
    assert {i.status for i in items} == {ItemStatus.WAITING_APPROVAL}
