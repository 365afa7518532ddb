"""The store side of the order from the details screen, through Pilot and a Shopify sandbox on
loopback that holds order #2001 (store id 9001): the key, the dialog, what the store and the
database hold afterwards."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, RadioButton

from podtui.adapters.credentials import set_secret
from podtui.db import Database
from podtui.domain.models import Event, Note, Order, OrderItem, Store, StoreWrite
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.shopify import GraphQLFault, SandboxShopify
from podtui.screens.confirm_dialog import ConfirmDialog
from podtui.screens.dialog_base import ServiceDialog
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.store_dialogs import (
    CustomerDialog,
    RefundDialog,
    ReturnDialog,
    StoreNoteDialog,
    StoreStatusDialog,
)
from podtui.services.connections.store_settings import set_notify_customer
from podtui.widgets.detail_text import header, timeline
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


D = TypeVar("D")


async def _ask(pilot: Pilot[Any], key: str, kind: type[D]) -> D:
    """The details of #2001 opened from the list, `key` pressed: its dialog."""
    await open_from_list(pilot)
    await pilot.press(key)
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, kind)
    return dialog


async def _next(pilot: Pilot[Any], *keys: str) -> ConfirmDialog:
    """ctrl+y (or `keys`) on a dialog: the y/n question it goes on to."""
    await pilot.press(*(keys or ("ctrl+y",)))
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
    confirm = app.screen
    assert isinstance(confirm, ConfirmDialog)
    return confirm


async def _done(pilot: Pilot[Any], key: str = "y") -> None:
    """`key` (y, or ctrl+y on a dialog that asks nothing more) and back on the details."""
    await pilot.press(key)
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, OrderDetailScreen), "the dialog closed")
    await settle(pilot)


async def _refused(pilot: Pilot[Any], dialog: ServiceDialog[Any], key: str = "y") -> str:
    """`key` on a dialog that the service or the store refuses: the reason it stays open with."""
    await pilot.press(key)
    await until(pilot, lambda: not dialog.saving and dialog.last_error, "the refusal")
    return dialog.last_error


Fill = Callable[[Pilot[Any], Any], Awaitable[object]]


async def _through(
    db: Database,
    key: str,
    kind: type[D],
    fill: Fill | None = None,
    *,
    question: str | None = "ctrl+y",
    last: str = "y",
) -> None:
    """`key`'s dialog on #2001's details, filled in by `fill`, on to its y/n question with
    `question` (None: the dialog is the question), and `last` to finish."""
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, key, kind)
        if fill is not None:
            await fill(pilot, dialog)
        if question is not None:
            await _next(pilot, question)
        await _done(pilot, last)


Snapshot = Callable[..., bool]


@pytest.fixture
def dialog_snapshot(snap_compare: Callable[..., bool], db: Database) -> Snapshot:
    """`dialog_snapshot(size, key, kind, then)`: the snapshot of `key`'s dialog on #2001's
    details after `then(pilot, dialog)` filled it in; at 80x24 its buttons and focused field
    inside the screen."""

    def take(
        size: tuple[int, int],
        key: str,
        kind: type[D],
        then: Callable[[Pilot[Any], D], Awaitable[None]] | None = None,
    ) -> bool:
        async def before(pilot: Pilot[Any]) -> None:
            dialog = await _ask(pilot, key, kind)
            if then is not None:
                await then(pilot, dialog)
            await steady_cursors(pilot)
            if size == (80, 24):
                assert_inside(pilot)

        return bool(snap_compare(app_for(db), terminal_size=size, run_before=before))

    return take


async def test_p_marks_the_order_paid_at_shopify(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "P", ConfirmDialog)
        text = screen_text(app)
        assert "Mark #2001 as paid at Main Shopify?" in text
        assert "The customer is not notified." in text
        assert dialog.focused is not None and dialog.focused.id == "no"  # No first
        await _done(pilot)
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
        await _ask(pilot, "P", ConfirmDialog)
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
        dialog = await _ask(pilot, "P", ConfirmDialog)
        await _refused(pilot, dialog)
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
    await _through(db, "P", ConfirmDialog, question=None)
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
    dialog_snapshot: Snapshot, pending: DetailShop, size: tuple[int, int]
) -> None:
    assert dialog_snapshot(size, "P", ConfirmDialog)


# --- notes to the store -------------------------------------------------------------------------


async def _reprint_sent(pilot: Pilot[Any], dialog: object) -> None:
    await pilot.press(*"Reprint sent")


async def test_m_posts_a_note_to_shopify_and_keeps_it_here(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "m", StoreNoteDialog)
        box = dialog.query_one("#note-customer", Checkbox)
        assert box.disabled and not box.value  # Shopify's order note is for staff only
        await pilot.press(*"Reprint sent")
        await _done(pilot, "ctrl+y")
        assert "Note posted to Main Shopify." in toasts(app)
    assert "Reprint sent (podtui-" in str(shopify.orders[9001]["note"])
    with db.read() as s:
        bodies = [n.body for n in s.exec(select(Note).where(Note.order_id == pending.order_id))]
    assert "Reprint sent" in bodies
    (event,) = _events(db, pending.order_id, "store_note_posted")
    assert event.params["notify"] is False and event.user == "tester"


async def test_an_empty_note_is_refused_and_nothing_is_sent(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "m", StoreNoteDialog)
        await _refused(pilot, dialog, "ctrl+y")
        assert "Write the note first." in screen_text(app)
        assert "the note is empty" in screen_text(app)
        assert app.screen is dialog
    assert shopify.requests == [] and _writes(db) == []


async def test_a_note_refused_by_the_store_says_why_and_keeps_nothing(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    del shopify.orders[9001]  # deleted at the store meanwhile
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "m", StoreNoteDialog)
        await pilot.press(*"Reprint sent")
        await _refused(pilot, dialog, "ctrl+y")
        assert "was refused by the store: order 9001 not found" in dialog.last_error
        assert app.screen is dialog
    with db.read() as s:
        assert s.exec(select(Note).where(Note.body == "Reprint sent")).first() is None
    assert [w.state for w in _writes(db)] == ["refused"]


async def test_a_note_whose_answer_was_dropped_is_posted_once(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation OrderUpdate"))
    await _through(db, "m", StoreNoteDialog, _reprint_sent, question=None, last="ctrl+y")
    assert str(shopify.orders[9001]["note"]).count("Reprint sent") == 1
    assert len(_events(db, pending.order_id, "store_note_posted")) == 1


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_store_note_dialog_snapshot(
    dialog_snapshot: Snapshot, pending: DetailShop, size: tuple[int, int]
) -> None:
    assert dialog_snapshot(size, "m", StoreNoteDialog, _reprint_sent)


# --- the store's order status -----------------------------------------------------------------


async def _pick(pilot: Pilot[Any], target: str) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, StoreStatusDialog)
    dialog.query_one(f"#to-{target}", RadioButton).value = True
    await pilot.pause()


async def test_shift_o_cancels_the_order_at_shopify_with_its_options_after_y(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "O", StoreStatusDialog)
        assert "#2001 at Main Shopify: Open" in screen_text(app)
        await _pick(pilot, "cancelled")
        dialog.query_one("#cancel-restock", Checkbox).value = True
        dialog.query_one("#cancel-note", Input).value = "asked by phone"
        confirm = await _next(pilot)
        assert "Cancel #2001 at Main Shopify? It cannot be undone" in screen_text(app)
        assert "no money is refunded, the items are restocked" in confirm.question
        assert shopify.cancelled == []  # nothing sent before y
        await _done(pilot)
    (taken,) = shopify.cancelled
    assert (taken["reason"], taken["restock"], taken["refund"]) == ("OTHER", True, False)
    assert taken["staffNote"].startswith("asked by phone (podtui-")
    assert _order(db, pending.order_id).store_status == "cancelled"
    (event,) = _events(db, pending.order_id, "store_status_set")
    assert (event.from_status, event.to_status, event.user) == ("open", "cancelled", "tester")


async def test_a_refused_close_says_why_and_changes_nothing(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    del shopify.orders[9001]  # gone at the store meanwhile
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _ask(pilot, "O", StoreStatusDialog)
        await _pick(pilot, "closed")
        confirm = await _next(pilot)
        await _refused(pilot, confirm)
        assert "was refused by the store: Order does not exist" in confirm.last_error
        await pilot.press("n")
        await settle(pilot)
    assert _order(db, pending.order_id).store_status == "open"
    assert [w.state for w in _writes(db)] == ["refused"]


async def test_a_dropped_answer_to_a_close_closes_it_once(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation OrderClose"))
    await _through(db, "O", StoreStatusDialog, lambda pilot, _: _pick(pilot, "closed"))
    assert _order(db, pending.order_id).store_status == "closed"
    assert len(_events(db, pending.order_id, "store_status_set")) == 1


async def test_an_overlong_staff_note_is_refused_in_the_dialog(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "O", StoreStatusDialog)
        await _pick(pilot, "cancelled")
        dialog.query_one("#cancel-note", Input).value = "x" * 600
        await _refused(pilot, dialog, "ctrl+y")
        assert "keep it under 500" in screen_text(app)
        assert app.screen is dialog
    assert shopify.requests == [] and _writes(db) == []


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_store_status_dialog_snapshot(
    dialog_snapshot: Snapshot, pending: DetailShop, size: tuple[int, int]
) -> None:
    assert dialog_snapshot(
        size, "O", StoreStatusDialog, lambda pilot, dialog: _pick(pilot, "cancelled")
    )


# --- refunds -------------------------------------------------------------------------------------

LINE_UNITS = [3, 2, 1, 1, 1]  # #2001's items in the seed: waiting, ready, failed, missing, manual


@pytest.fixture
def paid(db: Database, dshop: DetailShop) -> Iterator[tuple[DetailShop, SandboxShopify]]:
    """#2001 paid at Shopify, its five lines the seed's items (19.00 each, 84.50 paid)."""
    order = rest_order(
        1, id=9001, name="#2001", lines=5, financial_status="paid", total_price="84.50"
    )
    for line, units in zip(order["line_items"], LINE_UNITS, strict=True):
        line.update(quantity=units, price="19.00")
    sandbox = shop()
    sandbox.add_order(order)
    line_ids = [str(line["id"]) for line in order["line_items"]]
    with serve_loopback(sandbox.handler) as url:
        set_secret("shopify", "Main Shopify", TOKEN)
        with db.write() as s:
            store = s.get(Store, dshop.shop.stores["Main Shopify"])
            row = s.get(Order, dshop.order_id)
            assert store is not None and row is not None
            store.base_url = url
            row.store_status = "open"
            s.add_all([store, row])
            for key, line_id in zip(
                ("waiting", "ready", "failed", "missing", "manual"), line_ids, strict=True
            ):
                item = s.get(OrderItem, dshop.items[key])
                assert item is not None
                item.store_line_id = line_id
                s.add(item)
        yield dshop, sandbox


async def _one_unit(pilot: Pilot[Any], dialog: object) -> None:
    """One unit of the first line, typed into a refund or a return."""
    await _units(pilot, qty_1="1")


async def _units(pilot: Pilot[Any], **typed: str) -> None:
    dialog = pilot.app.screen
    for field, value in typed.items():
        dialog.query_one(f"#{field.replace('_', '-')}", Input).value = value
    await pilot.pause()


async def test_dollar_refunds_a_unit_at_shopify_after_its_own_calculation_and_y(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    dshop, shopify = paid
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "dollar_sign", RefundDialog)
        await _units(pilot, qty_1="1", shipping="1.50")
        assert "Total: 20.50 USD" in screen_text(app)
        confirm = await _next(pilot)
        assert "Refund 20.50 USD on #2001 at Main Shopify (the store's own" in confirm.question
        assert shopify.refund_inputs == []  # nothing refunded before y
        await _done(pilot)
        assert "Refunded 20.50 USD at Main Shopify." in toasts(app)
        del dialog
    (sent,) = shopify.refund_inputs
    assert sent["transactions"][0]["amount"] == "20.50"
    with db.read() as s:
        ready = s.get(OrderItem, dshop.items["ready"])
        assert ready is not None and ready.quantity == 1  # the refunded unit left the item
    assert _order(db, dshop.order_id).payment_status == "partially_refunded"
    (event,) = _events(db, dshop.order_id, "store_refunded")
    assert event.user == "tester" and event.params["notify"] is False


async def test_a_refund_above_what_was_paid_is_refused_and_nothing_is_sent(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    _, shopify = paid
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "dollar_sign", RefundDialog)
        await _units(pilot, qty_0="3", qty_1="2")
        await _refused(pilot, dialog, "ctrl+y")
        assert "at most 84.50 USD was paid and not refunded yet" in dialog.last_error
        assert app.screen is dialog
    assert shopify.refund_inputs == [] and _writes(db) == []


async def test_the_stores_notify_default_ticks_every_notify_choice(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    del paid  # #2001 paid at Shopify
    set_notify_customer(db, "Main Shopify", True)
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "dollar_sign", RefundDialog)
        assert dialog.query_one("#refund-notify", Checkbox).value is True
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("O")
        await settle(pilot)
        status = app.screen
        assert isinstance(status, StoreStatusDialog)
        assert status.query_one("#cancel-notify", Checkbox).value is True


async def test_a_quantity_above_the_lines_is_refused_in_the_dialog(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    _, shopify = paid
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "dollar_sign", RefundDialog)
        await _units(pilot, qty_0="4")
        assert "Total: —" in screen_text(app)
        await _refused(pilot, dialog, "ctrl+y")
        assert "Some quantities cannot be refunded." in screen_text(app)
        assert "at most 3 (the line's units)" in screen_text(app)
    assert shopify.requests == []


async def test_shopifys_refusal_is_shown_and_nothing_changes(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    dshop, shopify = paid
    ready_line = str(shopify.lines[9001][1]["id"]).rsplit("/", 1)[-1]
    shopify.refund_line(9001, int(ready_line), 2)  # refunded in the Shopify admin meanwhile
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _ask(pilot, "dollar_sign", RefundDialog)
        await _units(pilot, qty_1="1")
        confirm = await _next(pilot)
        await _refused(pilot, confirm)
        assert "cannot refund more items than were purchased" in confirm.last_error
    with db.read() as s:
        ready = s.get(OrderItem, dshop.items["ready"])
        assert ready is not None and ready.quantity == 2
    assert _order(db, dshop.order_id).payment_status == "paid"
    assert [w.state for w in _writes(db)] == ["refused"]


async def test_a_refund_whose_answer_was_dropped_is_made_once(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    dshop, shopify = paid
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation RefundCreate"))
    await _through(db, "dollar_sign", RefundDialog, _one_unit)
    assert len(shopify.refund_inputs) == 1
    assert len(_events(db, dshop.order_id, "store_refunded")) == 1


async def test_the_adjustment_and_the_fee_are_in_the_total_and_the_question(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    dshop, shopify = paid
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _ask(pilot, "dollar_sign", RefundDialog)
        await _units(pilot, qty_1="1", adjustment="2.00", fee="0.50")
        assert "Total: 20.50 USD" in screen_text(app)
        confirm = await _next(pilot)
        assert "Refund 20.50 USD on #2001 at Main Shopify (the store's own" in confirm.question
        assert "1 x Star Map Poster · 18x24; adjustment +2.00; restocking fee 0.50" in (
            confirm.question
        )
        await _done(pilot)
    (sent,) = shopify.refund_inputs
    assert sent["transactions"][0]["amount"] == "20.50"
    assert sent["discrepancyReason"] == "RESTOCK"
    (event,) = _events(db, dshop.order_id, "store_refunded")
    assert (event.params["adjustment"], event.params["fee"]) == ("2.00", "0.50")


async def test_a_fee_above_the_refund_is_refused_beside_it_and_nothing_is_sent(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    _, shopify = paid
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "dollar_sign", RefundDialog)
        await _units(pilot, qty_1="1", fee="25.00")
        assert "Total: —" in screen_text(app)
        await _refused(pilot, dialog, "ctrl+y")
        assert "more than the refund" in screen_text(app)
        assert app.screen is dialog
    assert shopify.requests == [] and _writes(db) == []


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_refund_dialog_snapshot(
    dialog_snapshot: Snapshot,
    paid: tuple[DetailShop, SandboxShopify],
    size: tuple[int, int],
) -> None:
    assert dialog_snapshot(size, "dollar_sign", RefundDialog, _one_unit)


@pytest.fixture
def woo_paid(db: Database, dshop: DetailShop) -> DetailShop:
    """#2001 paid at a WooCommerce store (the refund dialog asks the store nothing until ctrl+y)."""
    with db.write() as s:
        store = s.get(Store, dshop.shop.stores["Main Shopify"])
        row = s.get(Order, dshop.order_id)
        assert store is not None and row is not None
        store.kind, store.name, row.payment_status = "woocommerce", "Main Woo", "paid"
        s.add_all([store, row])
    return dshop


WOO_NOTIFY = "WooCommerce e-mails the customer itself"


async def test_a_woocommerce_refund_says_the_store_e_mails_the_customer_itself(
    db: Database, woo_paid: DetailShop
) -> None:
    set_notify_customer(db, "Main Woo", True)  # the store's default is beside the point here
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "dollar_sign", RefundDialog)
        assert not dialog.query("#refund-notify")  # no choice podtui could not keep
        assert WOO_NOTIFY in screen_text(app)
        assert dialog.choices()["notify"] is False


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_woocommerce_refund_dialog_snapshot(
    dialog_snapshot: Snapshot, woo_paid: DetailShop, size: tuple[int, int]
) -> None:
    assert dialog_snapshot(size, "dollar_sign", RefundDialog, _one_unit)


# --- the customer ------------------------------------------------------------------------------


async def _search(pilot: Pilot[Any], dialog: CustomerDialog, text: str) -> None:
    dialog.query_one("#customer-query", Input).value = text
    await pilot.press("enter")
    await until(pilot, lambda: not dialog.saving, "the search")
    await settle(pilot)


async def test_shift_u_searches_the_stores_customers_and_sets_one_after_y(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    shopify.add_customer("Grace", "Hopper", "grace@navy.example")
    shopify.add_customer("Grace", "Kelly", "grace@monaco.example")
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "U", CustomerDialog)
        assert "Now: Ada Lovelace <ada@example.com>" in screen_text(app)
        await _search(pilot, dialog, "grace")
        assert "Grace Hopper  <grace@navy.example>" in screen_text(app)
        assert "Grace Kelly  <grace@monaco.example>" in screen_text(app)
        confirm = await _next(pilot, "down", "enter")
        assert confirm.question.startswith("Make Grace Kelly <grace@monaco.example> the customer")
        await _done(pilot)
    assert shopify.orders[9001]["customer"]["email"] == "grace@monaco.example"
    order = _order(db, pending.order_id)
    assert (order.customer_name, order.customer_email) == ("Grace Kelly", "grace@monaco.example")
    (event,) = _events(db, pending.order_id, "store_customer_set")
    assert event.user == "tester" and event.params["notify"] is False


async def test_a_search_too_short_or_matching_nobody_says_so_in_the_dialog(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "U", CustomerDialog)
        await _search(pilot, dialog, "g")
        assert "Type at least 2 letters of a name or an e-mail." in dialog.last_error
        assert shopify.requests == []
        await _search(pilot, dialog, "nobody")
        assert "No customer at Main Shopify matches 'nobody'." in screen_text(app)
        assert app.screen is dialog
    assert _writes(db) == []


async def test_a_customer_deleted_since_the_search_is_refused_by_the_store(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    grace = shopify.add_customer("Grace", "Hopper", "grace@navy.example")
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "U", CustomerDialog)
        await _search(pilot, dialog, "grace")
        del shopify.customers[int(grace["legacyResourceId"])]  # deleted in the admin meanwhile
        confirm = await _next(pilot, "enter")
        await _refused(pilot, confirm)
        assert "was refused by the store: Customer does not exist" in confirm.last_error
    assert _order(db, pending.order_id).customer_email == "ada@example.com"
    assert [w.state for w in _writes(db)] == ["refused"]


async def test_a_dropped_answer_sets_the_customer_once(
    db: Database, pending: DetailShop, shopify: SandboxShopify
) -> None:
    shopify.add_customer("Grace", "Hopper", "grace@navy.example")
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation OrderCustomerSet"))
    await _through(db, "U", CustomerDialog, lambda p, d: _search(p, d, "hopper"), question="enter")
    assert len(_events(db, pending.order_id, "store_customer_set")) == 1
    assert _order(db, pending.order_id).customer_email == "grace@navy.example"


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_customer_dialog_snapshot(
    dialog_snapshot: Snapshot,
    pending: DetailShop,
    shopify: SandboxShopify,
    size: tuple[int, int],
) -> None:
    shopify.add_customer("Grace", "Hopper", "grace@navy.example")
    shopify.add_customer("Grace", "Kelly", "grace@monaco.example")

    assert dialog_snapshot(
        size, "U", CustomerDialog, lambda pilot, dialog: _search(pilot, dialog, "grace")
    )


# --- returns -------------------------------------------------------------------------------------


def _fulfilled_here(db: Database, order_id: int) -> None:
    with db.write() as s:
        row = s.get(Order, order_id)
        assert row is not None
        row.store_fulfillment_status = "fulfilled"
        s.add(row)


async def _take_back(pilot: Pilot[Any], **typed: str) -> ConfirmDialog:
    await _units(pilot, **typed)
    return await _next(pilot)


async def test_shift_b_takes_a_return_at_shopify_after_y(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    dshop, shopify = paid
    shopify.fulfill(9001)
    _fulfilled_here(db, dshop.order_id)
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _ask(pilot, "B", ReturnDialog)
        confirm = await _take_back(pilot, qty_1="1")
        assert confirm.question.startswith("Take back 1 x Star Map Poster · 18x24 on #2001")
        assert shopify.returns == {}  # nothing sent before y
        await _done(pilot)
        assert "Return taken at Main Shopify; $ refunds it." in toasts(app)
        screen = app.screen
        assert isinstance(screen, OrderDetailScreen)
        await until(
            pilot,
            lambda: (
                screen.detail is not None
                and "fulfilled · Partially returned" in header(screen.detail).plain
            ),
            "the header",
        )
    assert len(shopify.returns[9001]) == 1
    assert _order(db, dshop.order_id).return_status == "partially_returned"
    (event,) = _events(db, dshop.order_id, "store_return_created")
    assert event.user == "tester"


async def test_more_units_than_were_sent_are_refused_and_nothing_is_sent(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    dshop, shopify = paid
    shopify.fulfill(9001)
    _fulfilled_here(db, dshop.order_id)
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _ask(pilot, "B", ReturnDialog)
        await _units(pilot, qty_0="5")
        await _refused(pilot, dialog, "ctrl+y")
        assert "at most 3 (not returned yet)" in screen_text(app)
        assert app.screen is dialog
    assert shopify.returns == {} and _writes(db) == []


async def test_units_shopify_never_fulfilled_are_refused_and_nothing_changes(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    dshop, _ = paid
    _fulfilled_here(db, dshop.order_id)  # podtui's word only: Shopify has no fulfillment
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _ask(pilot, "B", ReturnDialog)
        confirm = await _take_back(pilot, qty_1="1")
        await _refused(pilot, confirm)
        assert "fewer fulfilled units to return" in confirm.last_error
    assert _order(db, dshop.order_id).return_status == ""
    assert [w.state for w in _writes(db)] == ["refused"]


async def test_a_return_whose_answer_was_dropped_is_taken_once(
    db: Database, paid: tuple[DetailShop, SandboxShopify]
) -> None:
    dshop, shopify = paid
    shopify.fulfill(9001)
    _fulfilled_here(db, dshop.order_id)
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation ReturnCreate"))
    await _through(db, "B", ReturnDialog, _one_unit)
    assert len(shopify.returns[9001]) == 1
    assert len(_events(db, dshop.order_id, "store_return_created")) == 1


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_return_dialog_snapshot(
    dialog_snapshot: Snapshot,
    db: Database,
    paid: tuple[DetailShop, SandboxShopify],
    size: tuple[int, int],
) -> None:
    dshop, _ = paid
    _fulfilled_here(db, dshop.order_id)

    assert dialog_snapshot(size, "B", ReturnDialog, _one_unit)
