"""The list shows each order's age, flags items past their store's promised turnaround, and
counts them in the header."""

from __future__ import annotations

from datetime import timedelta

from podtui.config import Config
from podtui.db import Database
from podtui.domain.status import ItemStatus
from tests.screens.orders.conftest import header, make_app, settle, table_lines
from tests.screens.orders.data import NOW, Shop
from tests.services.listing.test_query import all_items, visible

DONE = {ItemStatus.FULFILLED, ItemStatus.CANCELED, ItemStatus.IGNORED}


async def test_age_column_late_flag_and_count(db: Database, shop: Shop) -> None:
    late = [
        i
        for i in visible(all_items(db))
        if i.store_id == 1 and NOW - i.created > timedelta(days=3) and i.status not in DONE
    ]
    assert late
    app = make_app(db, Config(turnaround_days={"Main Shopify": 3.0}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert f"{len(late)} late" in header(app)
        lines = table_lines(app)
        assert "Age" in lines[0]
        assert any(" 7h " in line for line in lines)  # the newest order, 7 hours old
        await pilot.press("slash")
        app.screen.query_one("#filter-input").value = "age:>3d"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        lines = table_lines(app)
        assert any("late" in line or "!" in line for line in lines[1:])
        assert "age:>3d" in header(app)


async def test_the_late_count_follows_the_filter_and_the_tab(db: Database, shop: Shop) -> None:
    def late(keep: object) -> int:
        return sum(
            1
            for i in visible(all_items(db))
            if i.store_id == 1
            and NOW - i.created > timedelta(days=3)
            and i.status not in DONE
            and keep(i)  # type: ignore[operator]
        )

    printify = late(lambda i: i.vendor == "Printify")
    printify_ready = late(lambda i: i.vendor == "Printify" and i.status is ItemStatus.READY)
    assert 0 < printify < late(lambda i: True)
    app = make_app(db, Config(turnaround_days={"Main Shopify": 3.0}))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.screen.query_one("#filter-input").value = "vendor:printify"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await settle(pilot)
        assert f" {printify} late" in header(app), header(app)
        while app.screen.list_query.tab != "ready":  # type: ignore[attr-defined]
            await pilot.press("right_square_bracket")
            await settle(pilot)
        text = header(app)
        if printify_ready:
            assert f" {printify_ready} late" in text, text
        else:
            assert "late" not in text, text


async def test_no_late_count_without_a_turnaround(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "late" not in header(app)
