"""Send from the order list: mark, press the Send key, confirm; the sandbox vendor gets the orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import col
from textual.widgets import Static

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.domain.models import Order, Store, Submission, utcnow
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.printify import SandboxPrintify
from podtui.screens.bulk_dialogs import BulkConfirmDialog, BulkSummaryModal
from podtui.services.sending import submissions
from podtui.services.sending.fulfil import SendOptions, retry_items, send_items
from tests.screens.orders.conftest import settle
from tests.services.sending.conftest import Shop

VendorApi = tuple[SandboxPrintify, str]


async def test_marked_ready_items_are_sent_and_the_summary_says_why_others_were_not(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    ready = [shop.item(order_id=shop.order(ship_address1=f"{n} Market St")) for n in range(3)]
    no_file = shop.item(print_file=False)
    app = PodTUI(shop.db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("asterisk", "S")
        await settle(pilot)
        assert isinstance(app.screen, BulkConfirmDialog)
        question = str(app.screen.query_one("#dialog-question", Static).content)
        assert question.startswith("Send 4 items: 4 to Printify test?")
        await pilot.press("y")
        await settle(pilot, timeout=30)
        assert isinstance(app.screen, BulkSummaryModal)
        text = app.screen.report.text()
        assert "Send: 3 items done, 1 skipped, 0 failed" in text
        assert "Mug 11oz: cannot render its print file" in text  # named by its order
        assert f"item {no_file}" not in text
    assert shop.statuses(ready) == dict.fromkeys(ready, S.SENT)
    assert shop.status(no_file) is S.ON_HOLD  # its render failed: held with the reason
    assert len(sandbox.created) == 3


async def test_send_on_a_failed_item_retries_it_with_its_key(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    order_id = shop.order(ship_postal_code="")
    item = shop.item(order_id=order_id)
    send_items(shop.db, [item], options=fast)
    assert shop.status(item) is S.FAILED
    with shop.db.write() as s:
        s.execute(update(Order).where(col(Order.id) == order_id).values(ship_postal_code="94105"))
    app = PodTUI(shop.db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")  # the row under the cursor: the failed item
        await settle(pilot)
        assert isinstance(app.screen, BulkConfirmDialog)
        await pilot.press("y")
        await settle(pilot, timeout=30)
        assert isinstance(app.screen, BulkSummaryModal)
        assert app.screen.report.done == 1
    assert shop.status(item) is S.SENT
    [sub] = shop.submissions()
    assert sandbox.orders_by_external_id() == {sub.idempotency_key: 1}


def test_retry_items_only_retries_failed_ones(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    ready = shop.item()
    outcome = retry_items(shop.db, [ready], options=fast)
    assert outcome.skipped == {ready: "it is not Failed: nothing to retry"}
    assert shop.status(ready) is S.READY


async def test_the_open_app_recovers_stuck_sends_and_sends_due_items(
    shop: Shop, vendor_api: VendorApi
) -> None:
    sandbox, _ = vendor_api
    stuck = shop.item(order_id=shop.order(ship_address1="7 Market St"))
    with shop.db.read() as s:
        [batch] = submissions.plan_batches(s, [stuck]).batches
    claim = submissions.claim(shop.db, batch)
    assert claim is not None
    due = shop.item(auto_submit_at=utcnow() - timedelta(minutes=1))
    with shop.db.write() as s:
        s.execute(update(Store).values(auto_submit_hours=1.0))
        # The process that claimed it died ten minutes ago.
        s.execute(update(Submission).values(updated_at=utcnow() - timedelta(minutes=10)))
    app = PodTUI(shop.db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(140, 40)) as pilot:
        assert await app.clock.fire("submissions-start") == 1  # the app's first tick
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert shop.status(stuck) is S.SENT and shop.status(due) is S.SENT
    assert sandbox.orders_by_external_id()[claim.key] == 1
    assert len(sandbox.created) == 2
