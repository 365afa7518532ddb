"""Approval with a real look: `a` on one item shows its print file or design as large as the
terminal allows, `y` approves it and shows the next item waiting, `n`/esc leaves, `enter` shows
the image full screen. From the details and from the list; snapshots at 120x40 and 80x24."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot

from podtui.db import Database
from podtui.domain.models import RenderJob
from podtui.domain.status import ItemStatus
from podtui.screens.approval import ApprovalModal, FullImageScreen
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.orders import OrdersScreen
from podtui.widgets.preview import ImagePreview
from tests.screens.conftest import until
from tests.screens.detail.conftest import (
    DetailShop,
    app_for,
    cursor_to,
    events_of,
    item_row,
    open_from_list,
    wait_detail,
)
from tests.screens.orders.conftest import settle

SIZES = [(120, 40), (80, 24)]


async def _look(pilot: Pilot[Any]) -> ApprovalModal:
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, ApprovalModal) and pilot.app.screen.look is not None,
        "the approval's look",
    )
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ApprovalModal)
    return screen


def _inside(pilot: Pilot[Any], *ids: str) -> None:
    area = pilot.app.screen.region
    for widget_id in ids:
        region = pilot.app.screen.query_one(widget_id).region
        assert region.area and area.contains_region(region), widget_id


@pytest.mark.parametrize("size", SIZES)
async def test_from_the_details_the_design_fills_the_terminal_n_leaves_y_approves(
    db: Database, dshop: DetailShop, size: tuple[int, int]
) -> None:
    item = dshop.items["waiting"]
    app = app_for(db)
    async with app.run_test(size=size) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("a")
        modal = await _look(pilot)
        title = str(modal.query_one("#approval-title").render())
        assert title == "Approve #2001 Star Map Poster · 18x24?"
        assert "design (not rendered yet)" in str(modal.query_one("#approval-what").render())
        preview = modal.query_one(ImagePreview)
        assert preview.image is not None
        # As large as the terminal allows: the whole width, all the height but four lines.
        width, height = size
        assert preview.region.width >= width - 4 and preview.region.height >= height - 6
        _inside(pilot, "#approval-title", "#approval-preview", "#approval-hint")
        # enter: the image on the whole screen; esc comes back to the question.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FullImageScreen)
        assert app.screen.query_one(ImagePreview).region.height == height - 1
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is modal
        # n leaves: nothing changed.
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert item_row(db, item).status is ItemStatus.WAITING_APPROVAL
        # y approves: the item renders; the order has no other item waiting, so it closes.
        await pilot.press("a")
        await _look(pilot)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, OrderDetailScreen), "back to details")
        await wait_detail(pilot)
        assert item_row(db, item).status is ItemStatus.RENDERING
        with db.read() as s:
            jobs = s.exec(select(RenderJob).where(col(RenderJob.item_id) == item)).all()
        assert len(jobs) == 1
        assert [e.type for e in events_of(db, item)][-1] == "approve"
        assert events_of(db, item)[-1].user == "tester"


async def test_from_the_list_y_approves_and_moves_to_the_next_item_waiting(
    db: Database, dshop: DetailShop
) -> None:
    app = app_for(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        list_screen = app.screen
        assert isinstance(list_screen, OrdersScreen)
        await pilot.press("right_square_bracket", "right_square_bracket")  # Waiting approval
        await settle(pilot)
        rows = list(list_screen.table.loaded_rows)
        assert len(rows) >= 3 and all(r.status is ItemStatus.WAITING_APPROVAL for r in rows)
        await pilot.press("a")
        modal = await _look(pilot)
        assert modal.item_id == rows[0].item_id
        # An item without artwork has nothing to show, and says why; it can still be approved.
        shown = {rows[0].item_id: str(modal.query_one("#approval-title").render())}
        await pilot.press("y")
        await until(pilot, lambda: modal.item_id == rows[1].item_id, "the next item")
        await _look(pilot)
        assert rows[1].order_name in str(modal.query_one("#approval-title").render())
        assert "1 approved so far" in str(modal.query_one("#approval-what").render())
        await pilot.press("y")
        await until(pilot, lambda: modal.item_id == rows[2].item_id, "the one after")
        await _look(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is list_screen
        ids = [r.item_id for r in rows]
        assert item_row(db, ids[0]).status is ItemStatus.RENDERING
        assert item_row(db, ids[1]).status is ItemStatus.RENDERING
        assert item_row(db, ids[2]).status is ItemStatus.WAITING_APPROVAL
        assert rows[0].order_name in shown[rows[0].item_id]
        # The list shows what changed: the two approved items left the Waiting tab.
        assert {r.item_id for r in list_screen.table.loaded_rows} >= set(ids[2:])
        assert not {r.item_id for r in list_screen.table.loaded_rows} & set(ids[:2])


@pytest.mark.parametrize("size", SIZES, ids=["120x40", "80x24"])
@pytest.mark.parametrize("view", ["look", "full"])
def test_approval_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    dshop: DetailShop,
    size: tuple[int, int],
    view: str,
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["waiting"])
        await pilot.press("a")
        await _look(pilot)
        _inside(pilot, "#approval-title", "#approval-preview", "#approval-hint")
        if view == "full":
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(pilot.app.screen, FullImageScreen)

    assert snap_compare(app_for(db), terminal_size=size, run_before=before)
