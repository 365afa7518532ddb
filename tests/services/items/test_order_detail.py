"""The one read behind the details screen: everything of one order, the timeline bounded."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from podtui.db import Database
from podtui.domain.errors import NotFoundError
from podtui.domain.models import Event
from podtui.domain.order_status import OrderStatus
from podtui.domain.status import Action
from podtui.services.items.order_detail import read_order_detail
from tests.screens.detail.conftest import DetailShop, seed_detail
from tests.screens.orders.data import NOW


@pytest.fixture
def dshop(db: Database, tmp_path: Path) -> DetailShop:
    return seed_detail(db, tmp_path)


def test_reads_every_part_of_the_order(db: Database, dshop: DetailShop) -> None:
    with db.read() as s:
        detail = read_order_detail(s, dshop.order_id)
    assert detail.order.name == "#2001" and detail.store is not None
    assert [d.id for d in detail.items] == sorted(dshop.items.values())
    ready = detail.item(dshop.items["ready"])
    assert ready is not None and ready.print_file is not None
    assert ready.vendor is not None and ready.vendor.name == "Printify"
    assert ready.artwork is not None and ready.artwork.name == "Star poster"
    failed = detail.item(dshop.items["failed"])
    assert failed is not None and failed.last_submission is not None
    assert failed.last_submission.error_code == "invalid_address"
    assert [s.carrier for s in detail.shipments] == ["USPS"]
    assert [n.body for n in detail.notes] == ["Customer called about the date"]
    assert [e.type for e in detail.timeline] == [
        "submit_failed",
        "render_done",
        "approve",
        "add_artwork",
    ]
    assert detail.timeline_more == 0
    assert detail.status is OrderStatus.FAILED


def test_allows_follows_the_table_and_the_vendor(db: Database, dshop: DetailShop) -> None:
    with db.read() as s:
        detail = read_order_detail(s, dshop.order_id)
    ready, manual, missing = (detail.item(dshop.items[k]) for k in ("ready", "manual", "missing"))
    assert ready is not None and manual is not None and missing is not None
    assert ready.allows(Action.SEND) and not ready.allows(Action.MARK_FULFILLED)
    assert manual.allows(Action.MARK_FULFILLED) and not manual.allows(Action.SEND)
    assert missing.allows(Action.ADD_ARTWORK) and not missing.allows(Action.APPROVE)


def test_timeline_keeps_the_newest_and_counts_the_rest(db: Database, dshop: DetailShop) -> None:
    with db.write() as s:
        for n in range(30):
            s.add(
                Event(
                    at=NOW + timedelta(seconds=n),
                    user="bot",
                    type="note_added",
                    order_id=dshop.order_id,
                )
            )
    with db.read() as s:
        detail = read_order_detail(s, dshop.order_id, timeline_limit=10)
    assert len(detail.timeline) == 10
    assert detail.timeline_total == 34 and detail.timeline_more == 24
    assert [e.at for e in detail.timeline] == sorted((e.at for e in detail.timeline), reverse=True)
    assert detail.timeline[0].at.replace(tzinfo=None) == (NOW + timedelta(seconds=29)).replace(
        tzinfo=None
    )


def test_a_missing_order_says_so(db: Database, dshop: DetailShop) -> None:
    with db.read() as s, pytest.raises(NotFoundError, match="Order 999999 does not exist"):
        read_order_detail(s, 999_999)


def test_screen_lays_out_the_newest_hundred_and_t_has_the_rest(
    db: Database, dshop: DetailShop
) -> None:
    from podtui.widgets.detail_text import timeline

    with db.write() as s:
        for n in range(600):
            s.add(Event(at=NOW + timedelta(seconds=n), user="bot", type="synced",
                        order_id=dshop.order_id))  # fmt: skip
    with db.read() as s:
        detail = read_order_detail(s, dshop.order_id)
    assert len(detail.timeline) == 500 and detail.timeline_more == 104
    screen = timeline(detail).plain
    assert screen.count("synced") == 100 and "400 older events: T shows them" in screen
    full = timeline(detail, limit=None).plain
    assert full.count("synced") == 500
    assert "and 104 older events (the newest 500 are shown)" in full
