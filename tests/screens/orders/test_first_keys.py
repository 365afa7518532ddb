"""Keys pressed while the list's rows are still on their way: each one waits for the rows and
then acts on the row they bring, never "the list is empty" about a list that is loading."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from podtui.db import Database
from podtui.domain.status import ItemStatus
from podtui.screens.bulk_dialogs import BulkConfirmDialog
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.orders import OrdersScreen
from podtui.screens.text_modal import TextModal
from podtui.services.listing.filters import parse_filter
from tests.screens.conftest import notices
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import Shop

pytestmark = pytest.mark.usefixtures("shop")


class Held:
    """The app, its list's window reads held at a gate until the test lets them through."""

    def __init__(self, db: Database) -> None:
        self.app = make_app(db)
        self.gate = threading.Event()
        self.gate.set()
        real = self.app.reader.window

        def window(*args: Any, **kwargs: Any) -> Any:
            self.gate.wait(30)
            return real(*args, **kwargs)

        self.app.reader.window = window  # type: ignore[method-assign]

    @property
    def orders(self) -> OrdersScreen:
        return next(s for s in self.app.screen_stack if isinstance(s, OrdersScreen))

    def told(self) -> list[str]:
        return notices(self.app)


@pytest.fixture
def held(db: Database) -> Iterator[Held]:
    h = Held(db)
    h.gate.clear()  # the first rows are held from the start
    yield h
    h.gate.set()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_space_and_enter_pressed_before_the_rows_act_once_they_come(
    held: Held, size: tuple[int, int]
) -> None:
    async with held.app.run_test(size=size) as pilot:
        await pilot.pause()
        assert held.orders.table.current_row is None  # still loading
        await pilot.press("space")
        held.gate.set()
        await settle(pilot)
        first = held.orders.table.row_at(0)
        assert first is not None and held.orders.table.is_row_marked(first)
        assert held.orders.marked_count == 1 and held.orders.table.cursor == 1
        assert not any("empty" in m for m in held.told())


async def test_enter_before_the_rows_opens_the_first_order(held: Held) -> None:
    async with held.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        held.gate.set()
        await settle(pilot)
        assert isinstance(held.app.screen, OrderDetailScreen)
        first = held.orders.table.row_at(0)
        assert first is not None and held.app.screen.order_id == first.order_id


async def test_an_action_key_before_the_rows_asks_about_the_first_row(held: Held) -> None:
    async with held.app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")  # hold the row under the cursor
        assert not any("empty" in m for m in held.told()), held.told()
        held.gate.set()
        await settle(pilot)
        # It acted on the row the read brought: asked, or said why that row cannot be held.
        first = held.orders.table.row_at(0)
        assert first is not None
        dialog = held.app.screen
        if isinstance(dialog, BulkConfirmDialog):
            assert dialog.plan.acting == 1
        else:
            assert held.told()[-1].startswith(f"Cannot hold: {first.order_name} ")


async def test_the_reason_key_waits_for_a_new_filters_rows_and_their_reason(
    db: Database, shop: Shop
) -> None:
    held = Held(db)
    async with held.app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        held.gate.clear()
        held.orders.set_filter(parse_filter("status:failed"))
        await pilot.pause()
        await pilot.press("w")
        assert not held.told(), held.told()
        held.gate.set()
        await settle(pilot)
        row = held.orders.table.current_row
        assert row is not None and row.status is ItemStatus.FAILED
        assert isinstance(held.app.screen, TextModal)
        assert held.app.screen.text  # the vendor's reason, not an empty panel
