"""The Rules tab of the Catalogue screen and its rule editor, driven by real keys."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from podtui.db import Database
from podtui.domain.models import OrderItem
from podtui.domain.status import ItemStatus
from podtui.screens.catalogue import CatalogueScreen
from podtui.screens.catalogue_rules import RuleEditor
from podtui.screens.confirm_dialog import ConfirmDialog
from podtui.services.catalogue import rules
from podtui.widgets.key_footer import KeyFooter
from tests.screens.orders.conftest import make_app, settle
from tests.screens.test_catalogue import choose, open_catalogue, press_button
from tests.services.catalogue.map_support import MapShop

SIZE = (120, 40)


async def open_rules(pilot: Pilot[Any]) -> CatalogueScreen:
    screen = await open_catalogue(pilot)
    await pilot.press("]", "]")
    await settle(pilot)
    assert screen.tab == "rules-tab"
    return screen


async def fill_rule(pilot: Pilot[Any], name: str, sku: str, vendor_downs: int, ids: str) -> None:
    """Name, SKU, the vendor (Back room, DTG, Printful, Printify), its ids, the only artwork."""
    editor = pilot.app.screen
    assert isinstance(editor, RuleEditor)
    await pilot.press(*name, "tab", *sku, "tab", "tab", "tab", "tab", "tab")  # title, type,
    # store, ship to
    await choose(pilot, vendor_downs)
    await pilot.press("tab", *ids, "tab")
    await choose(pilot, 1)


def _item(db: Database, item_id: int) -> OrderItem:
    with db.read() as s:
        found = s.get(OrderItem, item_id)
        assert found is not None
        return found


async def test_add_try_save_reorder_apply_edit_remove(db: Database, map_shop: MapShop) -> None:
    map_shop.order()
    map_shop.order()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_rules(pilot)
        note = screen.query_one("#rules-note", Static)
        assert "No rules yet" in str(note.render())
        await pilot.press("n")
        await settle(pilot)
        await fill_rule(pilot, "Mugs", "MUG*", 2, "queue=dtg product_type=mug")
        await press_button(pilot, "#rule-try")
        editor = pilot.app.screen
        assert isinstance(editor, RuleEditor) and editor.tried is not None
        assert editor.tried.summary() == "This rule would route 2 waiting items: 2 to DTG."
        assert all(_item(db, i).vendor_id is None for i in map_shop.items["30/31"])
        await press_button(pilot, "#rule-save")
        assert pilot.app.screen is screen
        await settle(pilot)
        assert [r.name for r in screen.rules] == ["Mugs"] and screen.rules[0].waiting == 2
        for item_id in map_shop.items["30/31"]:
            item = _item(db, item_id)
            assert (item.status, item.vendor_id) == (
                ItemStatus.WAITING_APPROVAL, map_shop.vendors["hotfolder"],
            )  # fmt: skip

        # A catch-all to the back room, saved last, then moved first and applied with s.
        await pilot.press("n")
        await settle(pilot)
        await fill_rule(pilot, "Rest", "", 1, "")
        await press_button(pilot, "#rule-save")
        await settle(pilot)
        assert [r.waiting for r in screen.rules] == [2, 6]
        await pilot.press("down", "u")
        await settle(pilot)
        assert [r.name for r in screen.rules] == ["Rest", "Mugs"]
        assert "The order changed" in str(note.render())
        await pilot.press("s")
        await settle(pilot)
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmDialog)
        assert confirm.title_text == "Route 2 waiting items?"
        await pilot.press("y")
        await settle(pilot)
        assert [r.waiting for r in screen.rules] == [8, 0]
        assert _item(db, map_shop.items["30/31"][0]).vendor_id == map_shop.vendors["manual"]

        # Edit the second rule's name from the table; remove it with x.
        await pilot.press("down", "enter")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, RuleEditor)
        name = editor.query_one("#rule-name", Input)
        assert name.value == "Mugs"
        name.value = "Mugs (unused)"
        await press_button(pilot, "#rule-save")
        await settle(pilot)
        assert [r.name for r in screen.rules] == ["Rest", "Mugs (unused)"]
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert [r.name for r in rules.list_rules(db)] == ["Rest"]


async def test_a_bad_rule_keeps_the_editor_open(db: Database, map_shop: MapShop) -> None:
    map_shop.order()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_rules(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("tab", *"[x")
        await press_button(pilot, "#rule-save")
        editor = pilot.app.screen
        assert isinstance(editor, RuleEditor)
        assert "sku: '[x' has an unclosed [" in editor.last_error
        assert "vendor: choose the vendor the items go to" in editor.last_error
        assert rules.list_rules(db) == []


async def test_enter_says_map_on_the_unmapped_tab_and_edit_on_the_rules_tab(
    db: Database, map_shop: MapShop
) -> None:
    map_shop.order()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_catalogue(pilot)
        footer = str(screen.query_one(KeyFooter).render())
        assert "Map" in footer and "Edit" not in footer
        await pilot.press("]", "]")
        await settle(pilot)
        footer = str(screen.query_one(KeyFooter).render())
        assert "Edit" in footer and "Map" not in footer, footer


async def test_removing_a_rule_leaves_its_items_where_it_sent_them(
    db: Database, map_shop: MapShop
) -> None:
    map_shop.order()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_rules(pilot)
        await pilot.press("n")
        await settle(pilot)
        await fill_rule(pilot, "Mugs", "MUG*", 2, "queue=dtg product_type=mug")
        await press_button(pilot, "#rule-save")
        await settle(pilot)
        [mug] = map_shop.items["30/31"]
        routed = _item(db, mug)
        assert (routed.status, routed.rule_id) == (ItemStatus.WAITING_APPROVAL, screen.rules[0].id)
        await pilot.press("x")
        await settle(pilot)
        confirm = pilot.app.screen
        assert isinstance(confirm, ConfirmDialog)
        question = str(confirm.query_one("#dialog-question", Static).render())
        assert "The 1 item it routes keeps its vendor and artwork" in question, question
        assert "new orders" in question, question
        await pilot.press("y")
        await settle(pilot)
        assert screen.rules == []
    left = _item(db, mug)
    assert (left.status, left.vendor_id, left.artwork_id, left.version) == (
        routed.status, routed.vendor_id, routed.artwork_id, routed.version,
    )  # fmt: skip
    assert left.rule_id is None
