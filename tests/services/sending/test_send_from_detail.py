"""Send from the order details: S sends the item under the cursor to the sandbox vendor; a
refusal shows its reason (w), the address is fixed there (s) and r retries with the same key."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.widgets import Input

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.printify import SandboxPrintify
from podtui.screens.failure_panel import FailurePanel
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.shipping_dialog import ShippingDialog
from tests.screens.orders.conftest import settle
from tests.services.sending.conftest import Shop

VendorApi = tuple[SandboxPrintify, str]


async def _open(pilot: object, app: PodTUI, order_id: int, item_id: int) -> OrderDetailScreen:
    await settle(pilot)  # type: ignore[arg-type]
    app.open_order(order_id, item_id)
    await settle(pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, OrderDetailScreen) and screen.detail is not None
    return screen


async def test_send_fails_is_fixed_and_retried_from_the_details(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    order_id = shop.order(ship_postal_code="")
    item = shop.item(order_id=order_id)
    app = PodTUI(shop.db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await _open(pilot, app, order_id, item)
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot, timeout=30)
        assert shop.status(item) is S.FAILED
        assert app.screen is screen
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, FailurePanel)
        assert app.screen.d.last_submission is not None
        await pilot.press("s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ShippingDialog)
        dialog.query_one("#ship-postal_code", Input).value = "94105"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("r")
        await settle(pilot, timeout=30)
    assert shop.status(item) is S.SENT
    [sub] = shop.submissions()
    assert sandbox.orders_by_external_id() == {sub.idempotency_key: 1}
