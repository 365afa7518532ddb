"""Snapshots of the details screen and of each of its dialogs, at 120x40 and 80x24: fixed order,
fixed times. At 80x24 every button and the focused field must lie inside the screen, and the
details must still show the item's status, vendor and personalization and every footer key."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from podtui.db import Database
from podtui.domain.models import OrderItem
from podtui.widgets.key_footer import KeyFooter
from tests.screens.conftest import assert_inside, steady_cursors
from tests.screens.detail.conftest import (
    DetailShop,
    app_for,
    cursor_to,
    open_from_list,
    screen_text,
)
from tests.screens.orders.conftest import settle

SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]
Step = str | Callable[[Pilot[Any]], Any]


async def _bad_address(pilot: Pilot[Any]) -> None:
    """The shipping form refusing two fields: the message and both reasons are on screen."""
    screen = pilot.app.screen
    screen.query_one("#ship-postal_code", Input).value = "ABCDE"
    screen.query_one("#ship-city", Input).value = ""
    await pilot.press("ctrl+y")


async def _listing_scope(pilot: Pilot[Any]) -> None:
    """The artwork picker on a whole listing: the count is named and asked."""
    pilot.app.screen.query_one(Input).value = "mug"
    await settle(pilot)
    await pilot.press("ctrl+o", "ctrl+o", "enter")


def _before(
    item: str, steps: Iterable[Step], dshop: DetailShop, inside: bool
) -> Callable[..., Any]:
    async def before(pilot: Pilot[Any]) -> None:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items[item])
        await settle(pilot)
        for step in steps:
            if isinstance(step, str):
                await pilot.press(step)
            else:
                await step(pilot)
            await settle(pilot)
        await steady_cursors(pilot)
        if inside:
            assert_inside(pilot)

    return before


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_detail_screen_snapshot(
    snap_compare: Callable[..., bool], db: Database, dshop: DetailShop, size: tuple[int, int]
) -> None:
    before = _before("ready", [], dshop, size == (80, 24))
    assert snap_compare(app_for(db), terminal_size=size, run_before=before)


async def test_the_details_at_80x24_show_the_item_and_every_key(
    db: Database, dshop: DetailShop
) -> None:
    app = app_for(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["ready"])
        await settle(pilot)
        text = screen_text(app)
        for shown in ("status Ready", "vendor Printify", "personalization", "title: Our night"):
            assert shown in text, shown
        footer = app.screen.query_one(KeyFooter)
        assert app.screen.region.contains_region(footer.region)
        drawn = " ".join(str(footer.render()).split())
        assert drawn.endswith("^p palette") and "q Quit" in drawn and "w Reason" in drawn


CASES: dict[str, tuple[str, list[Step]]] = {
    "split": ("waiting", ["t"]),
    "shipping": ("ready", ["s"]),
    "shipping_errors": ("ready", ["s", _bad_address]),
    "failure": ("failed", ["w"]),
    "design": ("waiting", ["d"]),
    "artwork": ("missing", ["l"]),
    "link_listing": ("missing", ["l", _listing_scope]),
    "fulfilled": ("manual", ["F"]),
    "hold": ("ready", ["h"]),  # confirm with a reason
    "send": ("ready", ["S"]),  # confirm a send
    "note": ("ready", ["n"]),
    "notes": ("ready", ["N"]),  # the notes, to edit or delete
    "help": ("ready", ["question_mark"]),
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("case", list(CASES))
def test_dialog_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    dshop: DetailShop,
    case: str,
    size: tuple[int, int],
) -> None:
    if case == "link_listing":
        _more_of_the_listing(db, dshop.items["missing"])
    item, steps = CASES[case]
    before = _before(item, steps, dshop, size == (80, 24))
    assert snap_compare(app_for(db), terminal_size=size, run_before=before)


def _more_of_the_listing(db: Database, item_id: int) -> None:
    """Two more open items of the item's listing, in other variants."""
    with db.write() as s:
        base = s.get(OrderItem, item_id)
        assert base is not None
        skip = ("id", "version", "created_at", "updated_at")
        for n in range(2):
            other = OrderItem(**{k: v for k, v in base.model_dump().items() if k not in skip})
            other.variant_id = f"V-other-{n}"
            other.store_line_id = f"{base.store_line_id}-{n}"
            s.add(other)
