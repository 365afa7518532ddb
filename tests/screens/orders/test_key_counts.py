"""The operator's two daily tasks, counted key by key on the demo database from a freshly opened
list: every `pilot.press` counts, each typed character included.

- Send one vendor's whole ready queue: at most 5 keys (jump, pick, mark all, send, confirm).
- Find the oldest failed item, read why, fix the field the vendor refused and retry: at most 12
  keys plus the typed value.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.db import Database, open_database
from podtui.demo.sandboxes import demo_reach
from podtui.demo.seed import seed_demo
from podtui.domain.models import Order, OrderItem, Vendor
from podtui.domain.status import ItemStatus
from podtui.screens.bulk_dialogs import BulkSummaryModal
from podtui.screens.failure_panel import FailurePanel
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.orders import OrdersScreen
from podtui.screens.shipping_dialog import ShippingDialog
from podtui.screens.vendor_queues import VendorQueueModal
from tests.screens.orders.conftest import settle

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
VALID_POSTCODES = {"US": "94105", "GB": "SW1A 1AA", "DE": "10115", "CA": "K1A 0B1", "FR": "75001"}


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    seed_demo(db, orders=300, seed=11, now=NOW, hotfolder_path=str(tmp_path / "rip"))
    yield db
    db.dispose()


class Keys:
    """pilot.press, counted: one per key, each typed character included."""

    def __init__(self, pilot: Pilot[None]) -> None:
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)
        await settle(self.pilot, timeout=60)

    async def type(self, text: str) -> None:
        await self.press(*text)


def _ready(db: Database, vendor_id: int) -> list[int]:
    with db.read() as s:
        return [
            int(i)
            for i in s.exec(
                select(OrderItem.id)
                .join(Order, col(Order.id) == col(OrderItem.order_id))
                .where(
                    col(OrderItem.vendor_id) == vendor_id,
                    col(OrderItem.status) == ItemStatus.READY,
                    col(OrderItem.managed).is_(True),
                    col(Order.archived).is_(False),
                )
            ).all()
        ]


async def test_a_vendors_whole_ready_queue_goes_out_in_five_keys(demo: Database) -> None:
    app = PodTUI(demo, clock=ManualClock(NOW), watch_interval=3600, reach=demo_reach(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, timeout=60)
        assert isinstance(app.screen, OrdersScreen)
        keys = Keys(pilot)
        await keys.press("Q")  # jump: the vendors with their ready counts
        picker = app.screen
        assert isinstance(picker, VendorQueueModal) and picker.queues
        with demo.read() as s:
            integrated = {v.id for v in s.exec(select(Vendor)).all() if v.integrated}
        n, queue = next((n, q) for n, q in enumerate(picker.queues, 1) if q.vendor_id in integrated)
        waiting = _ready(demo, queue.vendor_id)
        assert len(waiting) == queue.ready > 0
        await keys.press(str(n))  # pick
        await keys.press("asterisk")  # mark all
        await keys.press("S")  # send
        await keys.press("y")  # confirm
        assert isinstance(app.screen, BulkSummaryModal)
        assert keys.count <= 5, keys.count
    assert _ready(demo, queue.vendor_id) == []
    with demo.read() as s:
        statuses = set(s.exec(select(OrderItem.status).where(col(OrderItem.id).in_(waiting))).all())
    # Sent, refused, or held because its print file could not be rendered: none left waiting.
    assert statuses <= {ItemStatus.SENT, ItemStatus.FAILED, ItemStatus.ON_HOLD}


async def test_the_oldest_failed_item_is_fixed_and_retried_in_twelve_keys(demo: Database) -> None:
    with demo.read() as s:
        oldest, order = s.exec(
            select(OrderItem, Order)
            .join(Order, col(Order.id) == col(OrderItem.order_id))
            .where(col(OrderItem.status) == ItemStatus.FAILED, col(Order.archived).is_(False))
            .order_by(col(OrderItem.order_created_at), col(OrderItem.id))
        ).first()  # type: ignore[misc]
        postcode = VALID_POSTCODES.get(order.ship_country, order.ship_postal_code)
    app = PodTUI(demo, clock=ManualClock(NOW), watch_interval=3600, reach=demo_reach(demo))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, timeout=60)
        keys = Keys(pilot)
        for _ in range(4):  # All -> Archived, Ignored, Canceled, Failed
            await keys.press("left_square_bracket")
        screen = app.screen
        assert isinstance(screen, OrdersScreen) and screen.list_query.tab == "failed"
        await keys.press("G")  # newest first: the oldest is the last row
        assert screen.table.current_row is not None
        assert screen.table.current_row.item_id == oldest.id
        await keys.press("enter")  # open it
        assert isinstance(app.screen, OrderDetailScreen)
        await keys.press("w")  # read why
        panel = app.screen
        assert isinstance(panel, FailurePanel)
        assert panel.rejection is not None and panel.rejection.field == "postal_code"
        await keys.press("enter")  # the editor, on the refused field
        assert isinstance(app.screen, ShippingDialog)
        typed = Keys(pilot)
        await typed.type(postcode)
        await keys.press("ctrl+y")  # save: the retry is offered in the same dialog
        await keys.press("y")  # retry
        assert isinstance(app.screen, OrderDetailScreen)
        assert keys.count <= 12, keys.count
    with demo.read() as s:
        item = s.get(OrderItem, oldest.id)
        assert item is not None
        assert item.status is ItemStatus.SENT
