"""The send confirm offers the vendor's shipping methods: from the details (quoted, with costs) and
from the list (one choice per vendor); `m` picks the next method, `y` sends with it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Select, Static

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.domain.models import PrintFile
from podtui.sandbox.printify import SandboxPrintify
from podtui.screens.bulk_dialogs import BulkConfirmDialog
from podtui.screens.send_dialog import SendConfirmDialog
from tests.screens.conftest import assert_inside, steady_cursors
from tests.screens.orders.conftest import settle
from tests.services.sending.conftest import Shop
from tests.services.sending.conftest import shop as shop  # the sending tests' shop, as a fixture

VendorApi = tuple[SandboxPrintify, str]
FIXED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _app(shop: Shop, keymap: dict[str, str] | None = None) -> PodTUI:
    config = Config(keymap=keymap or {})
    return PodTUI(shop.db, config, watch_interval=3600, clock=ManualClock(FIXED))


async def _press_send(pilot: Pilot[Any], order_id: int, item: int) -> None:
    """The order's details with the cursor on `item`, then S: the send confirm."""
    await settle(pilot)
    pilot.app.open_order(order_id, item)  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)


async def test_details_send_offers_the_quoted_methods_and_sends_the_chosen_one(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    order_id = shop.order()
    item = shop.item(order_id=order_id)
    app = _app(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await _press_send(pilot, order_id, item)
        await pilot.press("m", "n")  # a method picked, then No: nothing goes
        await settle(pilot)
        assert sandbox.created == [] and shop.submissions() == []
        await pilot.press("S")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SendConfirmDialog)
        select = dialog.query_one(f"#ship-{shop.vendor_id}", Select)
        assert select.value == "standard"
        text = str(dialog.query_one("#dialog-question", Static).content)
        assert "Send 1 item to Printify test" in text
        await pilot.press("m")
        assert select.value == "priority"
        await pilot.press("y")
        await settle(pilot, timeout=30)
        fulfilment = str(app.screen.query_one("#detail-fulfilment", Static).content)
        assert "ships priority" in fulfilment
    assert sandbox.created[0]["shipping_method"] == 2
    [sub] = shop.submissions()
    assert sub.shipping_method == "priority" and sub.state == "sent"


async def _bulk_send(pilot: Pilot[Any]) -> BulkConfirmDialog:
    """Every row of the list marked, then S: the bulk send's question."""
    await settle(pilot)
    await pilot.press("asterisk", "S")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, BulkConfirmDialog)
    return dialog


REBOUND = {"send.next_method": "M", "confirm.yes": "Y"}


def _next_method_note(dialog: Any) -> str:
    return " ".join(str(s.content) for s in dialog.query(".method-note").results(Static))


async def test_the_details_send_confirm_follows_rebound_keys(
    shop: Shop, vendor_api: VendorApi
) -> None:
    """[keymap] rebinds the next method and yes: the keys do it and the note names them."""
    sandbox, _ = vendor_api
    order_id = shop.order()
    item = shop.item(order_id=order_id)
    app = _app(shop, REBOUND)
    async with app.run_test(size=(120, 40)) as pilot:
        await _press_send(pilot, order_id, item)
        dialog = app.screen
        assert isinstance(dialog, SendConfirmDialog)
        assert "M: next shipping method" in _next_method_note(dialog)
        select = dialog.query_one(f"#ship-{shop.vendor_id}", Select)
        await pilot.press("m", "y")  # the old keys: nothing moves, nothing is sent
        await settle(pilot)
        assert app.screen is dialog and select.value == "standard"
        await pilot.press("M")
        assert select.value == "priority"
        await pilot.press("Y")
        await settle(pilot, timeout=30)
        assert app.screen is not dialog
    assert sandbox.created[0]["shipping_method"] == 2


async def test_bulk_send_has_one_choice_per_vendor(shop: Shop, vendor_api: VendorApi) -> None:
    sandbox, _ = vendor_api
    ids = [shop.item(order_id=shop.order(ship_address1=f"{n} Market St")) for n in range(3)]
    app = _app(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _bulk_send(pilot)
        [select] = dialog.query(Select)
        assert select.id == f"ship-{shop.vendor_id}" and select.value == "standard"
        await pilot.press("m", "m")
        assert select.value == "printify_express"
        await pilot.press("y")
        await settle(pilot, timeout=30)
    assert [b["shipping_method"] for b in sandbox.created] == [3, 3, 3]
    assert {s.shipping_method for s in shop.submissions()} == {"printify_express"}
    assert len(ids) == 3


async def test_the_bulk_send_confirm_follows_rebound_keys(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    shop.item(order_id=shop.order())
    app = _app(shop, REBOUND)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _bulk_send(pilot)
        assert "M: next shipping method" in _next_method_note(dialog)
        [select] = dialog.query(Select)
        await pilot.press("m", "y")
        await settle(pilot)
        assert app.screen is dialog and select.value == "standard"
        await pilot.press("M", "Y")
        await settle(pilot, timeout=30)
    assert [b["shipping_method"] for b in sandbox.created] == [2]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_send_dialog_snapshot(
    snap_compare: Callable[..., bool], shop: Shop, vendor_api: VendorApi, size: tuple[int, int]
) -> None:
    order_id = shop.order(synced_at=FIXED)  # the details show when it was synced
    item = shop.item(order_id=order_id)
    with shop.db.write() as s:  # a path the same every run (the details show it)
        for pf in s.exec(select(PrintFile).where(PrintFile.item_id == item)):
            pf.path = "/srv/prints/2001/1.png"
            s.add(pf)

    async def before(pilot: Pilot[Any]) -> None:
        await _press_send(pilot, order_id, item)
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(_app(shop), terminal_size=size, run_before=before)
