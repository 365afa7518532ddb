"""The dialogs' own keys come from the key registry: a [keymap] rebinding in the config changes
what the key does and what the dialog's hint says, and `?` over the dialog lists them."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from podtui.config import Config
from podtui.db import Database
from podtui.domain.status import ItemStatus
from podtui.screens.approval import ApprovalModal
from podtui.screens.artwork_picker import ArtworkPicker
from podtui.screens.failure_panel import FailurePanel
from podtui.screens.help import HelpModal
from podtui.screens.order_detail import OrderDetailScreen
from tests.screens.conftest import until
from tests.screens.detail.conftest import (
    SIZE,
    DetailShop,
    cursor_to,
    item_row,
    open_from_list,
    screen_text,
    wait_detail,
)
from tests.screens.orders.conftest import make_app, settle


async def _help_lists(pilot: Pilot[Any], *words: str) -> None:
    """`?` over the dialog lists `words`; esc comes back to the dialog."""
    dialog = pilot.app.screen
    await pilot.press("question_mark")
    await settle(pilot)
    assert isinstance(pilot.app.screen, HelpModal)
    text = screen_text(pilot.app)  # type: ignore[arg-type]
    for word in words:
        assert word in text, word
    await pilot.press("escape")
    await settle(pilot)
    assert pilot.app.screen is dialog


async def test_the_approval_look_follows_a_rebound_approve_key(
    db: Database, dshop: DetailShop
) -> None:
    item = dshop.items["waiting"]
    app = make_app(db, Config(keymap={"approval.approve": "A"}))
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("a")
        await until(
            pilot,
            lambda: isinstance(app.screen, ApprovalModal) and app.screen.look is not None,
            "the approval's look",
        )
        modal = app.screen
        assert "A approve and show the next" in str(modal.query_one("#approval-hint").render())
        await _help_lists(pilot, "Approval", "approval.approve", "approval.leave")
        await pilot.press("y")  # no longer the approve key: nothing happens
        await settle(pilot)
        assert app.screen is modal
        assert item_row(db, item).status is ItemStatus.WAITING_APPROVAL
        await pilot.press("A")
        await until(pilot, lambda: isinstance(app.screen, OrderDetailScreen), "back to details")
        await wait_detail(pilot)
        assert item_row(db, item).status is ItemStatus.RENDERING


async def test_the_artwork_picker_follows_a_rebound_link_to_key(
    db: Database, dshop: DetailShop
) -> None:
    app = make_app(db, Config(keymap={"artwork.next_scope": "ctrl+t"}))
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["missing"])
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ArtworkPicker)
        assert "ctrl+t item/variant/listing" in str(picker.query_one("#dialog-hint").render())
        picker.query_one(Input).value = ""
        await pilot.press("ctrl+o")  # no longer bound: still this item only
        await settle(pilot)
        assert picker.scope == "item"
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert picker.scope == "variant"
        await pilot.press("tab")  # out of the filter, where ? is a character
        await _help_lists(pilot, "Artwork picker", "artwork.next_scope")


async def test_the_failure_panel_follows_a_rebound_retry_key(
    db: Database, dshop: DetailShop
) -> None:
    app = make_app(db, Config(keymap={"failure.retry": "ctrl+t"}))
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["failed"])
        await pilot.press("w")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, FailurePanel)
        assert "ctrl+t retry" in str(panel.query_one("#dialog-hint").render())
        await _help_lists(pilot, "Failure panel", "Retry the send", "failure.retry")
        await pilot.press("q")  # q closes the panel, as it closes the help
        await settle(pilot)
        assert not isinstance(app.screen, FailurePanel)


async def test_the_forms_follow_a_rebound_save_key(db: Database, dshop: DetailShop) -> None:
    """ctrl+y saves every dialog of fields: [keymap]'s form.save rebinds it, hints follow."""
    from sqlmodel import select
    from textual.widgets import TextArea

    from podtui.domain.models import Note, Order
    from podtui.screens.note_dialog import NoteDialog

    with db.write() as s:  # open at Shopify: O offers its moves
        order = s.get(Order, dshop.order_id)
        assert order is not None
        order.store_status = "open"
        s.add(order)
    app = make_app(db, Config(keymap={"form.save": "f2"}))
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert str(dialog.query_one("#dialog-hint").render()) == "f2 save · esc cancel"
        dialog.query_one(TextArea).text = "Ship with the next batch"
        await pilot.press("tab")  # out of the text, where ? is a character
        await _help_lists(pilot, "form.save")
        await pilot.press("ctrl+y")  # no longer the save key
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("f2")
        await wait_detail(pilot)
        await pilot.press("O")  # a dialog whose save goes on to a question names its key
        await settle(pilot)
        assert "Next (f2)" in screen_text(app)
    with db.read() as s:
        assert "Ship with the next batch" in s.exec(select(Note.body)).all()


async def test_a_store_named_with_braces_opens_its_note_dialog() -> None:
    """The save key is put into the dialog's own words only: a store's name that has braces
    in it ("Tees {EU}") is shown as it is, not read as a place for the key (a crash)."""
    from textual.app import App
    from textual.widgets import Button

    from podtui.screens.store_dialogs import StoreNoteDialog

    dialog = StoreNoteDialog(
        "#2001", "Tees {EU}", customer_allowed=True, to_customer=False, save=lambda *a: None
    )
    app: App[None] = App()
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(dialog)
        await settle(pilot)
        assert app.screen is dialog
        assert str(dialog.query_one("#save", Button).label) == "Post to Tees {EU}"
        assert str(dialog.query_one("#dialog-hint").render()) == "ctrl+y post · esc cancel"
