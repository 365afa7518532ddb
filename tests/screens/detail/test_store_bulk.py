"""The list's store keys (P, O, m) on the marked orders or the order under the cursor, through
Pilot, against the Shopify sandbox holding #2001 (store id 9001): the question with its counts,
the run, the summary with each store's refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, TextArea

from podtui.db import Database
from podtui.domain.models import Order
from podtui.sandbox.shopify import SandboxShopify
from podtui.screens.confirm_dialog import ConfirmDialog
from podtui.screens.orders import OrdersScreen
from podtui.screens.store_bulk_dialogs import BulkStoreNoteDialog, BulkStoreStatusDialog
from podtui.screens.text_modal import TextModal
from tests.screens.conftest import assert_inside, steady_cursors, until
from tests.screens.detail.conftest import ORDER, SIZE, DetailShop, app_for, screen_text, toasts
from tests.screens.orders.conftest import settle


def _order(db: Database, order_id: int) -> Order:
    with db.read() as s:
        order = s.get(Order, order_id)
        assert order is not None
        return order


async def _press_on_the_order(pilot: Pilot[Any], key: str, *, mark: bool = True) -> None:
    """The list filtered to #2001, its rows marked (`*`) or not, and `key` pressed."""
    await settle(pilot)
    await pilot.press("slash")
    pilot.app.screen.query_one("#filter-input", Input).value = ORDER
    await pilot.press("enter")
    await settle(pilot)
    if mark:
        await pilot.press("asterisk")
        await settle(pilot)
    await pilot.press(key)
    await settle(pilot)


async def _question(pilot: Pilot[Any]) -> ConfirmDialog:
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
    confirm = app.screen
    assert isinstance(confirm, ConfirmDialog)
    return confirm


async def _summary(pilot: Pilot[Any]) -> TextModal:
    await pilot.press("y")
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, TextModal), "the summary")
    summary = app.screen
    assert isinstance(summary, TextModal)
    return summary


async def test_p_marks_the_marked_orders_paid_at_their_stores_after_y(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_on_the_order(pilot, "P")
        confirm = await _question(pilot)
        assert confirm.question == (
            "Mark 1 order as paid at its store (nothing is charged): 1 at Main Shopify?"
        )
        assert confirm.focused is not None and confirm.focused.id == "no"
        assert shopify.marked_paid == []  # nothing before y
        summary = await _summary(pilot)
        assert summary.headline == "Mark paid at the store: 1 order done, 0 skipped, 0 refused"
        assert "done: #2001" in summary.text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrdersScreen) and not app.screen.bulk_running
    assert shopify.marked_paid == [9001]
    assert _order(db, pending.order_id).payment_status == "paid"


async def test_a_stores_refusal_is_in_the_summary_and_nothing_changes(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    shopify.update_order(9001, displayFinancialStatus="PAID")  # paid at the store meanwhile
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_on_the_order(pilot, "P", mark=False)  # the order under the cursor
        await _question(pilot)
        summary = await _summary(pilot)
        assert "0 orders done, 0 skipped, 1 refused" in summary.headline
        assert "REFUSED #2001:" in summary.text
        assert "Order cannot be marked as paid." in summary.text
    assert _order(db, pending.order_id).payment_status == "pending"


async def test_nothing_to_do_is_said_and_nothing_is_asked(db: Database, dshop: DetailShop) -> None:
    app = app_for(db)  # #2001 is paid as seeded
    async with app.run_test(size=SIZE) as pilot:
        await _press_on_the_order(pilot, "P")
        await until(pilot, lambda: "Nothing to do" in toasts(app), "the toast")
        assert "1 order skipped, paid already: #2001." in toasts(app)
        assert isinstance(app.screen, OrdersScreen)


async def test_o_closes_the_orders_at_their_stores(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_on_the_order(pilot, "O")
        await until(pilot, lambda: isinstance(app.screen, BulkStoreStatusDialog), "the dialog")
        app.screen.query_one("#to-on-hold", RadioButton).value = True
        await pilot.press("ctrl+y")  # Shopify has no on hold: said, nothing asked of it
        await until(pilot, lambda: "Nothing to do" in toasts(app), "the toast")
        assert "skipped, the store allows no on hold from where they are: #2001" in toasts(app)
        assert isinstance(app.screen, OrdersScreen)
        await pilot.press("O")
        await until(pilot, lambda: isinstance(app.screen, BulkStoreStatusDialog), "again")
        app.screen.query_one("#to-closed", RadioButton).value = True
        await pilot.press("ctrl+y")
        confirm = await _question(pilot)
        assert confirm.question.startswith("Set 1 order to Closed at its store")
        summary = await _summary(pilot)
        assert "1 order done" in summary.headline
    assert _order(db, pending.order_id).store_status == "closed"


async def test_m_posts_the_note_to_each_orders_store_and_an_empty_one_is_refused(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_on_the_order(pilot, "m")
        await until(pilot, lambda: isinstance(app.screen, BulkStoreNoteDialog), "the dialog")
        dialog = app.screen
        assert isinstance(dialog, BulkStoreNoteDialog)
        await pilot.press("ctrl+y")
        await until(pilot, lambda: not dialog.saving and dialog.last_error, "the refusal")
        assert "Write the note first." in screen_text(app)
        dialog.query_one(TextArea).text = "Ships Monday"
        await pilot.press("ctrl+y")
        await _question(pilot)
        summary = await _summary(pilot)
        assert "1 order done" in summary.headline
    assert "Ships Monday (podtui-" in str(shopify.orders[9001]["note"])


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("key", ["O", "m"])
def test_bulk_store_dialog_snapshots(
    snap_compare: Callable[..., bool],
    db: Database,
    pending: DetailShop,
    key: str,
    size: tuple[int, int],
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _press_on_the_order(pilot, key)
        kind = BulkStoreStatusDialog if key == "O" else BulkStoreNoteDialog
        await until(pilot, lambda: isinstance(pilot.app.screen, kind), "the dialog")
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(app_for(db), terminal_size=size, run_before=before)
