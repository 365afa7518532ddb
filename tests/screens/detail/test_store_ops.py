"""The store side of the order from the details screen, through Pilot and a Shopify sandbox on
loopback that holds order #2001 (store id 9001): the key, the dialog, what the store and the
database hold afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot

from podtui.adapters.credentials import set_secret
from podtui.db import Database
from podtui.domain.models import Event, Order, Store, StoreWrite
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.shopify import GraphQLFault, SandboxShopify
from podtui.screens.confirm_dialog import ConfirmDialog
from podtui.screens.order_detail import OrderDetailScreen
from podtui.widgets.detail_text import timeline
from tests.adapters.stores.shopify_support import TOKEN, rest_order, shop
from tests.screens.conftest import assert_inside, steady_cursors, until
from tests.screens.detail.conftest import (
    SIZE,
    DetailShop,
    app_for,
    open_from_list,
    screen_text,
    toasts,
)
from tests.screens.orders.conftest import settle

SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]


@pytest.fixture
def shopify() -> SandboxShopify:
    """The store's side of #2001: the order, payment pending (a manual payment)."""
    sandbox = shop()
    sandbox.add_order(rest_order(1, id=9001, name="#2001", financial_status="pending"))
    return sandbox


@pytest.fixture
def pending(db: Database, dshop: DetailShop, shopify: SandboxShopify) -> Iterator[DetailShop]:
    """#2001 awaiting its payment, its store (Main Shopify) served on loopback."""
    with serve_loopback(shopify.handler) as url:
        set_secret("shopify", "Main Shopify", TOKEN)
        with db.write() as s:
            store = s.get(Store, dshop.shop.stores["Main Shopify"])
            order = s.get(Order, dshop.order_id)
            assert store is not None and order is not None
            store.base_url = url
            order.payment_status = "pending"
            s.add_all([store, order])
        yield dshop


def _order(db: Database, order_id: int) -> Order:
    with db.read() as s:
        order = s.get(Order, order_id)
        assert order is not None
        return order


def _events(db: Database, order_id: int, kind: str) -> list[Event]:
    with db.read() as s:
        return list(
            s.exec(
                select(Event)
                .where(col(Event.order_id) == order_id, col(Event.type) == kind)
                .order_by(col(Event.id))
            ).all()
        )


def _writes(db: Database) -> list[StoreWrite]:
    with db.read() as s:
        return list(s.exec(select(StoreWrite)).all())


async def _ask_mark_paid(pilot: Pilot[Any]) -> ConfirmDialog:
    await open_from_list(pilot)
    await pilot.press("P")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmDialog)
    return dialog


async def test_p_marks_the_order_paid_at_shopify(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask_mark_paid(pilot)
        text = screen_text(app)
        assert "Mark #2001 as paid at Main Shopify?" in text
        assert "The customer is not notified." in text
        assert dialog.focused is not None and dialog.focused.id == "no"  # No first
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, OrderDetailScreen), "the dialog closed")
        await settle(pilot)
        assert shopify.marked_paid == [9001]
        assert _order(db, pending.order_id).payment_status == "paid"
        (event,) = _events(db, pending.order_id, "store_marked_paid")
        assert event.user == "tester" and event.params["notify"] is False
        assert "#2001 is marked as paid at Main Shopify." in toasts(app)
        await until(pilot, lambda: "store marked paid" in screen_text(app), "the timeline read")
        screen = app.screen
        assert isinstance(screen, OrderDetailScreen) and screen.detail is not None
        assert "customer not notified" in timeline(screen.detail).plain


async def test_n_leaves_the_order_as_it_is_and_sends_nothing(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _ask_mark_paid(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
    assert shopify.requests == [] and _writes(db) == []
    assert _order(db, pending.order_id).payment_status == "pending"


async def test_the_stores_refusal_is_shown_and_nothing_changes(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    shopify.update_order(9001, displayFinancialStatus="PAID")  # paid at the store meanwhile
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask_mark_paid(pilot)
        await pilot.press("y")
        await until(pilot, lambda: not dialog.saving and dialog.last_error, "the refusal")
        assert "Order cannot be marked as paid." in dialog.last_error
        assert "Order cannot be marked as paid." in screen_text(app)
        assert app.screen is dialog  # still open, the reason on it
        await pilot.press("escape")
        await settle(pilot)
    order = _order(db, pending.order_id)
    assert order.payment_status == "pending"
    assert _events(db, pending.order_id, "store_marked_paid") == []
    (refused,) = _events(db, pending.order_id, "store_refused")
    assert refused.params["reason"] == "Order cannot be marked as paid."
    assert [w.state for w in _writes(db)] == ["refused"]


async def test_a_dropped_answer_after_the_store_accepted_marks_it_once(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation OrderMarkAsPaid"))
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _ask_mark_paid(pilot)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, OrderDetailScreen), "the dialog closed")
        await settle(pilot)
    assert shopify.marked_paid == [9001]
    assert _order(db, pending.order_id).payment_status == "paid"
    assert len(_events(db, pending.order_id, "store_marked_paid")) == 1


async def test_a_paid_order_says_why_and_asks_nothing(db: Database, dshop: DetailShop) -> None:
    app = app_for(db)  # #2001 is paid as seeded
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert "#2001 is Paid at Main Shopify: only an unpaid" in toasts(app)
    assert _writes(db) == []


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_mark_paid_dialog_snapshot(
    snap_compare: Callable[..., bool], db: Database, pending: DetailShop, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _ask_mark_paid(pilot)
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(app_for(db), terminal_size=size, run_before=before)
