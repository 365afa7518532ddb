"""The Catalogue screen and its dialogs, driven by real keys against loopback vendor sandboxes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Static

from podtui.db import Database
from podtui.domain.models import ProductMapping, Vendor
from podtui.domain.status import ItemStatus
from podtui.screens.catalogue import CatalogueScreen
from podtui.screens.catalogue_dialogs import AddArtworkDialog
from podtui.screens.catalogue_mapping import MappingEditor
from podtui.screens.connection_add import AddConnectionModal
from podtui.screens.connections import ConnectionsScreen
from tests.screens.conftest import assert_inside
from tests.screens.orders.conftest import make_app, settle
from tests.services.catalogue.map_support import MapShop

SIZE = (120, 40)


async def press_button(pilot: Pilot[Any], selector: str) -> None:
    """Focus a button and press enter: a click could land on a toast lying over it."""
    pilot.app.screen.query_one(selector, Button).focus()
    await pilot.press("enter")
    await settle(pilot)


async def open_catalogue(pilot: Pilot[Any]) -> CatalogueScreen:
    await settle(pilot)
    await pilot.press("M")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CatalogueScreen)
    return screen


async def choose(pilot: Pilot[Any], downs: int) -> None:
    """Open the focused Select and take the option `downs` below its blank prompt."""
    await pilot.press("enter")
    await pilot.press(*["down"] * downs, "enter")
    await settle(pilot)


async def fill_editor(pilot: Pilot[Any]) -> MappingEditor:
    """Artwork, Printify, the Gildan tee found by search, Printify Choice: the suggestions."""
    editor = pilot.app.screen
    assert isinstance(editor, MappingEditor)
    await choose(pilot, 1)  # the only artwork
    await pilot.press("tab")
    await choose(pilot, 4)  # Back room, DTG, Printful, Printify
    await pilot.press("tab", *"heavy cotton gildan", "tab", "enter")
    await settle(pilot)
    await pilot.press("tab")
    await choose(pilot, 2)  # Monster Digital, Printify Choice
    return editor


async def test_marks_map_many_variants_through_the_vendor_catalogue(
    db: Database, map_shop: MapShop
) -> None:
    map_shop.order()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalogue(pilot)
        assert [r.label for r in screen.rows] == [
            "Idea Tee / Black / Small",
            "Idea Tee / Sport Gray / Extra Large",
            "Photo Mug / 11 oz / White",
            "Star Map",
        ]
        assert "4 unmapped products (4 items waiting)" in str(
            screen.query_one("#catalogue-header", Static).render()
        )
        await pilot.press("space", "space", "enter")
        await settle(pilot)
        editor = await fill_editor(pilot)
        suggested = str(editor.query_one("#map-suggested", Static).render())
        assert "Idea Tee / Black / Small → Black / S" in suggested
        assert "Idea Tee / Sport Gray / Extra Large → Sport Grey / XL" in suggested
        await pilot.press("tab", *"180", "tab", *"6109.10", "enter")
        await settle(pilot)
        assert app.screen is screen, editor.last_error
        assert [r.label for r in screen.rows] == ["Photo Mug / 11 oz / White", "Star Map"]
    for key in ("22/23", "22/24"):
        item = map_shop.item(map_shop.items[key][0])
        assert item.status is ItemStatus.WAITING_APPROVAL
    with db.read() as s:
        rows = s.exec(select(ProductMapping)).all()
    assert {(m.variant_id, m.weight_grams, m.hs_code) for m in rows} == {
        ("23", 180, "6109.10"),
        ("24", 180, "6109.10"),
    }


async def test_bad_input_keeps_the_editor_open_and_saves_nothing(
    db: Database, map_shop: MapShop
) -> None:
    map_shop.order()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_catalogue(pilot)
        await pilot.press("down", "down", "enter")  # the mug
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, MappingEditor)
        assert_inside(pilot)
        await press_button(pilot, "#map-save")
        assert app.screen is editor
        error = str(editor.query_one("#dialog-error", Static).render())
        assert "artwork: choose the artwork it is printed from" in error
        assert "vendor: choose the vendor that prints it" in error
        editor.query_one("#map-vendor").focus()
        await choose(pilot, 2)  # DTG: a hot folder wants a queue and a product type
        await press_button(pilot, "#map-save")
        error = str(editor.query_one("#dialog-error", Static).render())
        assert "product_type: a hotfolder mapping needs the vendor's product_type" in error
        assert_inside(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CatalogueScreen)
    with db.read() as s:
        assert s.exec(select(ProductMapping)).all() == []
    assert map_shop.item(map_shop.items["30/31"][0]).status is ItemStatus.MISSING_ARTWORK


async def test_artwork_tab_and_adding_artwork(
    db: Database, map_shop: MapShop, tmp_path: Path
) -> None:
    png = tmp_path / "Fox.png"
    Image.new("RGB", (30, 20), "orange").save(png)
    (tmp_path / "notes.txt").write_text("not art")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalogue(pilot)
        await pilot.press("]")
        await settle(pilot)
        facts = str(screen.query_one("#artwork-facts", Static).render())
        assert "#1 Idea (template)" in facts and "• Name (name): text, required" in facts
        assert screen.query_one("#artwork-preview").image is not None  # type: ignore[attr-defined]
        await pilot.press("a")
        dialog = app.screen
        assert isinstance(dialog, AddArtworkDialog)
        await pilot.press(*str(tmp_path / "notes.txt"), "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert "not an image; podtui takes PNG or JPEG" in dialog.last_error + str(
            dialog.query_one("#dialog-error", Static).render()
        )
        field = dialog.query_one("#artwork-path")
        field.value = str(png)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert [a.name for a in screen.artwork] == ["Idea", "Fox"]
        table = screen.query_one("#artwork-table", DataTable)
        assert table.row_count == 2


async def test_connections_add_a_vendor_of_any_kind(
    db: Database, map_shop: MapShop, tmp_path: Path
) -> None:
    rip = tmp_path / "rip2"
    rip.mkdir()
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, ConnectionsScreen)
        await pilot.press("a")
        modal = app.screen
        assert isinstance(modal, AddConnectionModal)
        assert_inside(pilot)
        await choose(pilot, 4)  # Hot folder
        assert modal.query_one("#row-path").display and not modal.query_one("#row-secret").display
        await pilot.press("tab", *"Posters", "tab", *str(tmp_path / "nope"), "tab", "enter")
        await settle(pilot)
        assert app.screen is modal and "does not exist" in modal.last_error + str(
            modal.query_one("#dialog-error", Static).render()
        )
        assert_inside(pilot)
        path = modal.query_one("#add-path")
        path.value = str(rip)  # type: ignore[attr-defined]
        modal.query_one("#add-queues").value = "large, small"  # type: ignore[attr-defined]
        await press_button(pilot, "#add-ok")
        assert isinstance(app.screen, ConnectionsScreen)
        await pilot.press("a")
        await choose(pilot, 5)  # Manual
        await pilot.press("tab", *"Back room 2", "enter")
        await settle(pilot)
        names = {s.name: s.state for s in app.screen.states}  # type: ignore[attr-defined]
    assert names["Posters"] == names["Back room 2"] == "not needed"
    with db.read() as s:
        posters = s.exec(select(Vendor).where(Vendor.name == "Posters")).one()
    assert posters.settings == {"path": str(rip), "folders": {"large": "large", "small": "small"}}
