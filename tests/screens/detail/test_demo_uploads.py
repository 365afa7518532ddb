"""On the demo database, a personalized order's details show the photo the customer uploaded:
the demo's own file in the data folder's uploads/, loaded by the product's photo loader."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Static

from podtui.db import Database, open_database
from podtui.demo.seed import seed_demo
from podtui.demo.uploads import demo_uploads
from podtui.domain.models import Order, OrderItem
from podtui.domain.status import ItemStatus
from podtui.services.items.uploads import customer_images
from podtui.widgets.preview import ImagePreview
from tests.demo.conftest import NOW
from tests.screens.conftest import assert_inside, steady_cursors
from tests.screens.detail.conftest import cursor_to, open_from_list
from tests.screens.orders.conftest import make_app, settle


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    seed_demo(
        db,
        orders=60,
        seed=11,
        now=NOW,
        hotfolder_path=str(tmp_path / "rip"),
        uploads_path=str(demo_uploads()),
    )
    yield db
    db.dispose()


def _newest_with_photo(db: Database) -> tuple[str, int, str]:
    """(order name, item id, photo file name) of the newest open order's item that has a photo
    and awaits approval (no print file yet: its path, under the test's folder, is not shown)."""
    with db.read() as s:
        rows = s.exec(
            select(Order.name, OrderItem)
            .join(Order, col(Order.id) == col(OrderItem.order_id))
            .where(
                col(Order.archived).is_(False),
                col(OrderItem.status) == ItemStatus.WAITING_APPROVAL,
            )
            .order_by(col(Order.created_at).desc(), col(OrderItem.id))
        ).all()
    for name, item in rows:
        found = customer_images(item.personalization_raw, item.personalization)
        if found:
            return name, int(item.id), found[0].name  # type: ignore[arg-type]
    raise AssertionError("no demo order carries a customer photo")


async def _open(pilot: Pilot[Any], name: str, item: int) -> None:
    await open_from_list(pilot, name)
    await cursor_to(pilot, item)
    await settle(pilot)
    await settle(pilot)  # the photo's worker posts back; the card is drawn again


async def test_a_demo_orders_customer_photo_is_previewed(demo: Database) -> None:
    name, item, file_name = _newest_with_photo(demo)
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, name, item)
        shown = app.screen.query_one("#detail-upload", ImagePreview).image
        assert shown is not None and shown.size == (240, 300)
        card = str(app.screen.query_one("#detail-item", Static).content)
        assert f"({file_name}): 240x300 px" in card


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_demo_customer_photo_snapshot(
    snap_compare: Callable[..., bool], demo: Database, size: tuple[int, int]
) -> None:
    name, item, _ = _newest_with_photo(demo)

    async def before(pilot: Pilot[Any]) -> None:
        await _open(pilot, name, item)
        # Into the item card and to its end: on a short terminal the photo's line is below.
        await pilot.press("tab", "end")
        assert pilot.app.focused is pilot.app.screen.query_one("#detail-item-scroll")
        await settle(pilot)
        await steady_cursors(pilot)
        assert_inside(pilot)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)
