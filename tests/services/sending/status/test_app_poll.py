"""The open app asks the vendors for news on a timer: here one tick, against a hot folder."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config, parse_config
from podtui.domain.status import ItemStatus
from tests.screens.conftest import notices
from tests.services.sending.status.conftest import Shop


def test_poll_interval_comes_from_the_config() -> None:
    assert Config().vendor_poll_minutes == 10.0
    assert parse_config({"sync": {"vendor_poll_minutes": 2}}).vendor_poll_minutes == 2.0
    assert parse_config({"sync": {"vendor_poll_minutes": 0}}).vendor_poll_minutes == 0.0


async def test_a_poll_tick_moves_items_and_says_so(shop: Shop) -> None:
    _, ids = shop.sent_order("hotfolder", key="HF-9", vendor_order_id="HF-9", items=1)
    root = Path(shop.vendor("hotfolder").settings["path"])
    (root / "dtg" / "processing").mkdir(parents=True)
    (root / "dtg" / "processing" / "HF-9.json").write_text("{}")
    app = PodTUI(shop.db, Config(vendor_poll_minutes=0), clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(120, 40)) as pilot:
        worker = app._poll_vendors()
        await worker.wait()
        await pilot.pause()
        assert shop.statuses(ids) == [ItemStatus.IN_PRODUCTION]
        assert any("1 item moved" in m for m in notices(app))
