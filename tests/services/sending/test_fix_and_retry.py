"""Fix and retry from the reason: the failure panel names the field the vendor refused, enter
opens the editor on that field, saving offers the retry in the same dialog, and a retry refused
for a new reason shows that reason in the panel (the latest one, never the first)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select
from textual.widgets import Button

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.domain.models import Event
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.printify import SandboxPrintify
from podtui.screens.failure_panel import FailurePanel
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.shipping_dialog import ShippingDialog
from podtui.services.listing.reader import ListReader
from tests.screens.orders.conftest import settle
from tests.services.sending.conftest import Shop

VendorApi = tuple[SandboxPrintify, str]


async def _failed_on_postcode(
    pilot: object, app: PodTUI, shop: Shop, yes: str = "y"
) -> tuple[int, int]:
    order_id = shop.order(ship_postal_code="")
    item = shop.item(order_id=order_id)
    await settle(pilot)  # type: ignore[arg-type]
    app.open_order(order_id, item)
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, OrderDetailScreen)
    await pilot.press("S", yes)  # type: ignore[attr-defined]
    await settle(pilot, timeout=30)  # type: ignore[arg-type]
    assert shop.status(item) is S.FAILED
    return order_id, item


async def test_enter_on_the_panel_edits_the_refused_field_and_the_dialog_offers_the_retry(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    app = PodTUI(shop.db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(120, 40)) as pilot:
        _, item = await _failed_on_postcode(pilot, app, shop)
        await pilot.press("w")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, FailurePanel)
        assert "refused: postal code (shipping address)" in panel.summary().plain
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ShippingDialog)
        assert dialog.focused is not None and dialog.focused.id == "ship-postal_code"
        await pilot.press(*"94105")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.screen is dialog, "saving offers the retry in the same dialog"
        assert "Retry" in dialog.last_error
        await pilot.press("y")
        await settle(pilot, timeout=30)
        assert isinstance(app.screen, OrderDetailScreen)
    assert shop.status(item) is S.SENT
    [sub] = shop.submissions()
    assert sandbox.orders_by_external_id() == {sub.idempotency_key: 1}


async def test_the_retry_offer_follows_a_rebound_yes(shop: Shop, vendor_api: VendorApi) -> None:
    """The offer is a yes/no question: [keymap]'s confirm.yes and confirm.no answer it, and its
    words and buttons name them."""
    keymap = {"confirm.yes": "Y", "confirm.no": "N"}
    clock = ManualClock(datetime.now(UTC))
    app = PodTUI(shop.db, Config(keymap=keymap), watch_interval=3600, clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        _, item = await _failed_on_postcode(pilot, app, shop, yes="Y")
        await pilot.press("w", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ShippingDialog)
        await pilot.press(*"94105", "ctrl+y")
        await settle(pilot)
        assert dialog.last_error.endswith("Y retries · N later")
        labels = {str(b.label) for b in dialog.query(Button) if b.display}
        assert labels == {"Later (N)", "Retry now (Y)"}
        await pilot.press("y", "n")  # the old keys: the offer stands
        await settle(pilot)
        assert app.screen is dialog and shop.status(item) is S.FAILED
        await pilot.press("Y")
        await settle(pilot, timeout=30)
        assert isinstance(app.screen, OrderDetailScreen)
    assert shop.status(item) is S.SENT


async def test_a_retry_refused_for_a_new_reason_shows_that_reason_in_the_panel(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    app = PodTUI(shop.db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(120, 40)) as pilot:
        _, item = await _failed_on_postcode(pilot, app, shop)
        await pilot.press("w", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ShippingDialog)
        await pilot.press(*"94105")
        await pilot.press("ctrl+y")
        await settle(pilot)
        sandbox.balance_cents = 0  # the vendor now refuses for another reason
        await pilot.press("y")
        await settle(pilot, timeout=30)
        panel = app.screen
        assert isinstance(panel, FailurePanel), "the new reason shows in the panel"
        text = panel.summary().plain
        assert "balance" in text.lower()
        assert "zip" not in text.lower()
    assert shop.status(item) is S.FAILED
    reader = ListReader(shop.db.url)
    try:
        reason = reader.item_reason(item) or ""
    finally:
        reader.close()
    assert "balance" in reason.lower() and "zip" not in reason.lower()


async def test_a_fixed_reason_is_cleared_with_an_event(shop: Shop, vendor_api: VendorApi) -> None:
    app = PodTUI(shop.db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(120, 40)) as pilot:
        _, item = await _failed_on_postcode(pilot, app, shop)
        await pilot.press("w", "enter")
        await settle(pilot)
        await pilot.press(*"94105")
        await pilot.press("ctrl+y")
        await settle(pilot)
        await pilot.press("n")  # not now
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
    assert shop.status(item) is S.FAILED
    with shop.db.read() as s:
        [event] = s.exec(
            select(Event).where(col(Event.item_id) == item, col(Event.type) == "reason_resolved")
        ).all()
    assert event.params["field"] == "postal_code"
    assert "zip" in event.params["reason"].lower()
    reader = ListReader(shop.db.url)
    try:
        reason = reader.item_reason(item) or ""
    finally:
        reader.close()
    assert reason.startswith("Fixed since")


async def test_at_80x24_the_refused_field_and_the_retry_buttons_are_on_screen(
    shop: Shop, vendor_api: VendorApi
) -> None:
    from tests.screens.test_catalogue import assert_inside

    app = PodTUI(shop.db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(80, 24)) as pilot:
        await _failed_on_postcode(pilot, app, shop)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, FailurePanel)
        assert_inside(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ShippingDialog)
        assert_inside(pilot)
        await pilot.press(*"94105")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.screen.query_one("#retry-now").has_focus
        assert_inside(pilot)
