"""The help screen: every key of the screen once, under each group's heading once."""

from __future__ import annotations

from textual.widgets import Input

from podtui.db import Database
from podtui.keymap import REGISTRY
from podtui.screens.help import HelpModal
from tests.screens.orders.conftest import make_app, settle


def test_each_group_is_one_section_and_the_id_column_says_what_it_is_for() -> None:
    text = HelpModal(["app", "orders", "table"], {}).text
    assert "id (for [keymap])" in text
    groups = {e.group for e in REGISTRY if e.scope in ("app", "orders", "table")}
    lines = [line.strip() for line in text.splitlines()]
    for group in groups:
        assert lines.count(group) == 1, group


async def test_question_mark_in_a_dialog_lists_the_dialogs_own_keys(db: Database) -> None:
    """Textual gives a modal none of the app's keys: `?` in a dialog did nothing at all."""
    from podtui.screens.views import ViewPickerModal

    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ViewPickerModal)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        text = app.screen.text
        assert "This dialog" in text and "Cancel" in text
        assert "Send" not in text  # the list's keys do not work here: not listed
        await pilot.press("question_mark")  # ? closes the help, as esc does
        await pilot.pause()
        assert app.screen is picker


async def test_question_mark_typed_in_a_field_is_a_character(db: Database) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"why", "question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpModal)
        assert app.screen.query_one("#filter-input", Input).value == "why?"
