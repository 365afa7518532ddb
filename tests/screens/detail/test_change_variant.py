"""`V` on the details changes the item's variant (a size exchange): a pick of the product's other
variants; an approved item asks y/n first (it goes back to approval); a sent one says why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from podtui.db import Database
from podtui.domain.models import Order, OrderItem
from podtui.domain.status import ItemStatus
from podtui.screens.confirm_dialog import ConfirmDialog
from podtui.screens.variant_dialog import VariantDialog
from tests.screens.conftest import assert_inside, steady_cursors
from tests.screens.detail.conftest import (
    SIZE,
    DetailShop,
    app_for,
    cursor_to,
    events_of,
    item_row,
    open_from_list,
    toasts,
)
from tests.screens.orders.conftest import settle


@pytest.fixture
def sizes(db: Database, dshop: DetailShop) -> DetailShop:
    """Two more sizes of the star poster, seen in another order."""
    with db.read() as s:
        first = s.get(OrderItem, dshop.items["ready"])
        assert first is not None
        base = first.model_dump(exclude={"id", "order_id", "status", "version"})
        order = s.get(Order, dshop.order_id)
        assert order is not None
        other = order.model_dump(exclude={"id", "name", "store_order_id", "number"})
    with db.write() as s:
        o = Order(**other, name="#2002", store_order_id="2002")
        s.add(o)
        s.flush()
        for variant, title, sku in (
            ("V-24x36", "24x36", "POSTER-24"),
            ("V-12x16", "12x16", "P-12"),
        ):
            values = {**base, "variant_id": variant, "variant_title": title, "sku": sku}
            s.add(OrderItem(**values, order_id=o.id, status=ItemStatus.SENT))
    return dshop


async def _press_v(pilot: Pilot[Any], item: int, *then: str) -> None:
    """`V` on `item` in #2001's details, then each of `then` (each let settle)."""
    await open_from_list(pilot)
    await cursor_to(pilot, item)
    for key in ("V", *then):
        await pilot.press(key)
        await settle(pilot)


async def test_an_approved_item_asks_first_then_goes_back_to_approval(
    db: Database, sizes: DetailShop
) -> None:
    item = sizes.items["ready"]
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_v(pilot, item)
        dialog = app.screen
        assert isinstance(dialog, VariantDialog)
        options = dialog.query_one(OptionList)
        labels = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert [label.split(" · ")[0] for label in labels] == ["12x16", "24x36"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        timeline = str(app.screen.query_one("#detail-timeline", Static).content)
        assert "change variant" in timeline and "18x24 → 24x36" in timeline
    row = item_row(db, item)
    assert (row.variant_id, row.variant_title, row.sku) == ("V-24x36", "24x36", "POSTER-24")
    assert row.status is ItemStatus.WAITING_APPROVAL
    assert events_of(db, item)[-1].type == "change_variant"


async def test_no_on_the_question_changes_nothing(db: Database, sizes: DetailShop) -> None:
    item = sizes.items["ready"]
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_v(pilot, item, "enter", "n")
    row = item_row(db, item)
    assert row.variant_id == "V-18x24" and row.status is ItemStatus.READY


async def test_a_waiting_item_changes_on_the_pick(db: Database, sizes: DetailShop) -> None:
    item = sizes.items["waiting"]
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_v(pilot, item, "enter")
        assert "12x16" in toasts(app)
    row = item_row(db, item)
    assert row.variant_id == "V-12x16" and row.status is ItemStatus.WAITING_APPROVAL


@pytest.mark.parametrize(
    ("key", "told", "variant"),
    [
        ("missing", "no other variant", "V-tree"),  # a product with no other variant says so
        # Its submission may be at the vendor (a lost answer): only a retry, which asks first.
        ("failed", "it is failed", "V-18x24"),  # refused by the status rule
    ],
)
async def test_no_pick_where_there_is_nothing_to_change_to(
    db: Database, sizes: DetailShop, key: str, told: str, variant: str
) -> None:
    item = sizes.items[key]
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await _press_v(pilot, item)
        assert not isinstance(app.screen, VariantDialog)
        assert told in toasts(app).lower()
    assert item_row(db, item).variant_id == variant


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_variant_dialog_snapshot(
    snap_compare: Callable[..., bool], db: Database, sizes: DetailShop, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _press_v(pilot, sizes.items["ready"])
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(app_for(db), terminal_size=size, run_before=before)
