"""Marks the filter hides are said in the header and named in the confirm, never acted on
silently."""

from __future__ import annotations

from textual.widgets import Static

from podtui.db import Database
from podtui.domain.status import ItemStatus
from podtui.screens.bulk_dialogs import BulkConfirmDialog
from podtui.services.listing.query import MarkSet
from tests.screens.orders.conftest import header, make_app, settle
from tests.screens.orders.data import Shop
from tests.screens.orders.test_bulk_actions import ids_with, show


async def test_marks_hidden_by_the_filter_show_in_the_header_and_the_confirm(
    db: Database, shop: Shop
) -> None:
    ready = ids_with(db, ItemStatus.READY)[0]
    failed = ids_with(db, ItemStatus.FAILED)[0]
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = await show(pilot, "s:ready,failed")
        screen.table.set_marks(MarkSet(included={ready, failed}))
        await settle(pilot)
        assert "2 marked" in header(app) and "hidden" not in header(app)
        await show(pilot, "s:ready")
        assert "2 marked (1 hidden by the filter)" in header(app)
        await pilot.press("i")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkConfirmDialog)
        question = str(dialog.query_one("#dialog-question", Static).content)
        assert "1 of them is hidden by the filter" in question
