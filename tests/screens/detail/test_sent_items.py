"""What the vendor already holds is never let go of with one key, and the panels say the same
thing as the item's status (issue 17, bug 10)."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from podtui.db import Database
from podtui.domain.models import OrderItem, Submission, SubmissionItem, Vendor
from podtui.domain.status import ItemStatus
from podtui.screens.confirm_dialog import ConfirmDialog
from tests.screens.detail.conftest import (
    SIZE,
    DetailShop,
    app_for,
    cursor_to,
    item_row,
    open_from_list,
    screen_text,
)
from tests.screens.orders.conftest import settle


def _sent(db: Database, item_id: int, vendor_id: int) -> None:
    """The item handed to its vendor: a sent submission the vendor calls in production."""
    with db.write() as s:
        s.execute(
            update(OrderItem).where(col(OrderItem.id) == item_id).values(status=ItemStatus.SENT)
        )
        sub = Submission(
            idempotency_key=f"podtui-sent-{item_id}",
            vendor_id=vendor_id,
            state="sent",
            vendor_order_id="PF-777",
            vendor_status="sending-to-production",
        )
        s.add(sub)
        s.flush()
        assert sub.id is not None
        s.add(SubmissionItem(submission_id=sub.id, item_id=item_id))


async def test_ignoring_a_sent_item_asks_first(db: Database, dshop: DetailShop):
    item = dshop.items["ready"]
    _sent(db, item, item_row(db, item).vendor_id or 0)
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "does not cancel it there" in str(app.screen.query_one("#dialog-question").content)
        await pilot.press("n")
        await settle(pilot)
        assert item_row(db, item).status is ItemStatus.SENT


async def test_a_canceled_item_restores_only_after_asking_and_the_panel_says_canceled(
    db: Database, dshop: DetailShop
):
    item = dshop.items["ready"]
    with db.write() as s:  # a vendor without an API: X cancels here and says to tell them
        manual = Vendor(name="Print room", kind="manual")
        s.add(manual)
        s.flush()
        assert manual.id is not None
        manual_id = manual.id
        s.execute(update(OrderItem).where(col(OrderItem.id) == item).values(vendor_id=manual_id))
    _sent(db, item, manual_id)
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("X")
        await settle(pilot)
        await pilot.press("enter")  # the reason is optional: enter answers yes
        await settle(pilot)
        assert item_row(db, item).status is ItemStatus.CANCELED
        panel = screen_text(app).split("Fulfillment", 1)[1].split("Notes", 1)[0]
        assert "vendor says" not in panel  # no longer what the vendor is doing now
        assert "canceled here" in panel
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # back to Sent: the vendor may not have it
        await pilot.press("n")
        await settle(pilot)
        assert item_row(db, item).status is ItemStatus.CANCELED
