"""The list follows the database when another process changes it, keeping cursor and marks."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from podtui.clock import ManualClock
from podtui.db import Database
from podtui.domain.status import ItemStatus
from podtui.screens.orders import OrdersScreen
from tests.screens.conftest import notices
from tests.screens.orders.conftest import header, make_app, settle
from tests.screens.orders.data import Shop
from tests.screens.orders.test_order_list import type_filter

# Another operator, in another process, holds one item through the real transition code.
OTHER_OPERATOR = """
import sys
from podtui.db import open_database
from podtui.domain.status import Action
from podtui.services.items.transitions import apply_action
db = open_database(sys.argv[1])
with db.write() as s:
    apply_action(s, int(sys.argv[2]), Action.HOLD, values={"hold_reason": "other desk"})
"""


async def test_another_process_changes_an_item_and_the_list_follows(
    db: Database, database_url: str, shop: Shop
) -> None:
    app = make_app(db, watch=0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        table = screen.table
        ready_row = next(
            i for i, row in enumerate(table.loaded_rows) if row.status is ItemStatus.READY
        )
        target = table.loaded_rows[ready_row].item_ids[0]
        await pilot.press("space", "space")  # two marks (rows 0 and 1)
        table.cursor = ready_row
        await settle(pilot)
        marked_before = header(app)
        assert "2 marked" in marked_before
        before = len(table.loaded_rows)

        subprocess.run(
            [sys.executable, "-c", OTHER_OPERATOR, database_url, str(target)], check=True
        )

        assert await app.clock.fire("watch") == 1  # the list's next look at the database
        await settle(pilot)
        assert table.loaded_rows[ready_row].status is ItemStatus.ON_HOLD
        assert table.cursor == ready_row
        assert table.current_row is not None and table.current_row.item_ids == (target,)
        assert len(table.loaded_rows) == before
        assert "2 marked" in header(app)
        assert screen.counts is not None and screen.counts.items["on_hold"] >= 1
        # The reason panel shows the new hold's reason for the row under the cursor.
        assert "other desk" in screen.query_one("#reason-panel").text  # type: ignore[attr-defined]


async def test_a_new_database_file_is_created_and_migrated_in_the_background(
    tmp_path: Path,
) -> None:
    from podtui.app import PodTUI
    from podtui.config import Config
    from tests.screens.orders.data import NOW

    path = tmp_path / "fresh" / "podtui.db"
    app = PodTUI(
        config=Config(), url=f"sqlite:///{path}", clock=ManualClock(NOW), watch_interval=3600
    )
    async with app.run_test(size=(120, 30)) as pilot:
        deadline = time.monotonic() + 30
        while not app.database_ready:
            assert time.monotonic() < deadline
            await pilot.pause(0.05)
        await settle(pilot)
        assert header(app) == "All · 0 items"
        assert notices(app) == []  # nothing alarming on a first start
    assert path.exists()


async def test_tab_counts_are_remembered_until_the_database_changes(
    db: Database, database_url: str, shop: Shop
) -> None:
    app = make_app(db, watch=0.1)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        counted: list[object] = []
        real = screen.reader.tab_counts

        def tab_counts(base: object, now: object = None) -> object:
            counted.append(base)
            return real(base, now)  # type: ignore[arg-type]

        screen.reader.tab_counts = tab_counts  # type: ignore[method-assign]
        await type_filter(pilot, "v:printify")
        assert screen.counts is not None
        printify = screen.counts.items
        await type_filter(pilot, "v:printful")
        assert len(counted) == 2
        await type_filter(pilot, "v:printify")  # back to a view counted before
        assert len(counted) == 2 and screen.counts.items == printify
        assert f"{printify['all']:,} items" in header(app)

        target = next(
            row.item_ids[0] for row in screen.table.loaded_rows if row.status is ItemStatus.READY
        )
        subprocess.run(
            [sys.executable, "-c", OTHER_OPERATOR, database_url, str(target)], check=True
        )
        await app.clock.fire("watch")  # the change is noticed and the shown view recounted
        await settle(pilot)
        assert len(counted) == 3
        assert screen.counts is not None
        assert screen.counts.items["on_hold"] == printify["on_hold"] + 1
        await type_filter(pilot, "v:printful")  # remembered before the change: counted again
        assert len(counted) == 4


async def test_a_view_known_to_be_empty_shows_at_once(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrdersScreen)
        await type_filter(pilot, "title:nothing-sells-like-this")
        assert screen.counts is not None and screen.counts.items["all"] == 0
        await type_filter(pilot, "v:printify")
        await pilot.press("slash")
        screen.query_one("#filter-input").value = "title:nothing-sells-like-this"  # type: ignore[attr-defined]
        await pilot.press("enter")
        # Its count is remembered (0): no rows are coming, so the old ones go at once rather
        # than when the wait for slow rows runs out.
        assert screen.table.total == 0 and not screen.table.loaded_rows
        assert not screen.table._holding
        await settle(pilot)
        assert header(app).startswith("All · 0 items")
