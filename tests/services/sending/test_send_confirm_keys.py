"""The send confirms' keys come from the key registry: a [keymap] rebinding of the next shipping
method and of yes changes what the keys do and what the dialog says, in the details' send
confirm and the list's bulk send alike."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Select, Static

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.sandbox.printify import SandboxPrintify
from podtui.screens.bulk_dialogs import BulkConfirmDialog
from podtui.screens.send_dialog import SendConfirmDialog
from tests.screens.orders.conftest import settle
from tests.services.sending.conftest import Shop

VendorApi = tuple[SandboxPrintify, str]
FIXED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REBOUND = {"send.next_method": "M", "confirm.yes": "Y"}


def _app(shop: Shop) -> PodTUI:
    return PodTUI(shop.db, Config(keymap=REBOUND), watch_interval=3600, clock=ManualClock(FIXED))


def _notes(dialog: object) -> str:
    return " ".join(str(s.content) for s in dialog.query(".method-note").results(Static))  # type: ignore[attr-defined]


async def test_the_details_send_confirm_follows_the_rebound_keys(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    order_id = shop.order()
    item = shop.item(order_id=order_id)
    app = _app(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_order(order_id, item)
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, SendConfirmDialog)
        assert "M: next shipping method" in _notes(dialog)
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


async def test_the_bulk_send_confirm_follows_the_rebound_keys(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    shop.item(order_id=shop.order())
    app = _app(shop)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("asterisk", "S")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BulkConfirmDialog)
        assert "M: next shipping method" in _notes(dialog)
        [select] = dialog.query(Select)
        await pilot.press("m", "y")
        await settle(pilot)
        assert app.screen is dialog and select.value == "standard"
        await pilot.press("M", "Y")
        await settle(pilot, timeout=30)
    assert [b["shipping_method"] for b in sandbox.created] == [2]
