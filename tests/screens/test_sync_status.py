"""The sync screen (y): stores' sync state with the failing warning, problems to read, copy and
dismiss; and the background sync that runs while the app is open."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import func, select
from textual.pilot import Pilot
from textual.widgets import DataTable, TextArea

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import Order, Store, SyncProblem
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.screens.sync_status import SyncStatusScreen
from podtui.services.sync.background import BackgroundSync
from podtui.services.sync.context import SyncReport
from tests.adapters.stores.woo_support import loopback_store, woo_order
from tests.screens.conftest import assert_inside, both_sizes, notices, steady_cursors, until


@pytest.fixture
def store(db: Database, woo_url: str) -> Store:
    return loopback_store(db, woo_url)


NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SIZE = (120, 32)


def _shop(db: Database) -> None:
    with db.write() as session:
        ok = Store(name="Atelier Lumen", kind="woocommerce", base_url="https://lumen.example",
                   last_sync_at=NOW - timedelta(minutes=4),
                   last_sync_ok_at=NOW - timedelta(minutes=4))  # fmt: skip
        bad = Store(name="Northwind Prints", kind="shopify", base_url="https://nw.example",
                    last_sync_at=NOW - timedelta(minutes=2), sync_failures=3,
                    last_sync_error="Shopify HTTP 401: Invalid API key or access token",
                    last_sync_ok_at=NOW - timedelta(hours=1))  # fmt: skip
        session.add_all([ok, bad])
        session.flush()
        assert ok.id is not None
        session.add(
            SyncProblem(
                store_id=ok.id,
                store_order_id="4188",
                reason="unreadable WooCommerce order: total is not an amount: 'N/A'",
                raw='{\n "id": 4188,\n "total": "N/A"\n}',
                created_at=NOW - timedelta(minutes=30),
            )
        )


def _app(db: Database) -> PodTUI:
    return PodTUI(db, Config(sync_interval_minutes=15), clock=ManualClock(NOW), watch_interval=3600)


async def _open(pilot: Pilot[Any]) -> SyncStatusScreen:
    await pilot.press("y")
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, SyncStatusScreen) and pilot.app.screen.states,
        "the sync screen loading",
    )
    screen = pilot.app.screen
    assert isinstance(screen, SyncStatusScreen)
    return screen


async def test_the_sync_screen_shows_each_store_and_the_problems(db: Database) -> None:
    _shop(db)
    async with _app(db).run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        stores = screen.query_one("#sync-stores", DataTable)
        rows = [[str(c) for c in stores.get_row_at(i)] for i in range(stores.row_count)]
        assert rows[0][:4] == ["Atelier Lumen", "woocommerce", "4 min ago", "in 11 min"]
        assert rows[0][4] == "ok · 1 problem"
        assert rows[1][4].startswith("⚠ 3 syncs failed in a row: Shopify HTTP 401")
        raw = screen.query_one("#problem-raw", TextArea).text
        assert '"total": "N/A"' in raw and "not an amount" in raw
        await pilot.press("c")
        await pilot.press("d")
        await until(pilot, lambda: not screen.problems, "the problem being resolved")
        with db.read() as session:
            assert session.exec(select(SyncProblem)).one().resolved
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, SyncStatusScreen)


@both_sizes
def test_sync_screen_snapshot(
    snap_compare: Callable[..., bool], db: Database, size: tuple[int, int]
) -> None:
    _shop(db)

    async def before(pilot: Pilot[Any]) -> None:
        screen = await _open(pilot)
        raw = screen.query_one("#problem-raw", TextArea)
        await until(pilot, lambda: raw.text, "the raw payload showing")
        await pilot.wait_for_scheduled_animations()
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(_app(db), terminal_size=size, run_before=before)


@pytest.mark.usefixtures("store")
def test_background_sync_runs_rounds_off_the_ui_thread(db: Database, woo: SandboxWooStore) -> None:
    for i in range(1, 31):
        woo.add_order(woo_order(i))
    rounds: list[list[SyncReport]] = []
    finished = threading.Event()

    def done(reports: list[SyncReport]) -> None:
        rounds.append(reports)
        if len(rounds) == 2:
            finished.set()

    background = BackgroundSync(db, interval_minutes=60, on_done=done, first_delay=0)
    background.start()
    try:
        woo.add_order(woo_order(31))
        background.run_now()  # the second round need not wait an hour
        assert finished.wait(30), "two rounds did not finish"
    finally:
        background.stop()
    assert [r.store for r in rounds[0]] == ["Loopback Woo"] and rounds[0][0].ok
    with db.read() as session:
        assert session.exec(select(func.count()).select_from(Order)).one() == 31
    assert background.next_at is not None


async def test_a_round_that_keeps_failing_warns_once(db: Database) -> None:
    _shop(db)
    failing = SyncReport("Northwind Prints", 2, error="Shopify HTTP 401", failures_in_row=3)
    fine = SyncReport("Atelier Lumen", 1, orders_created=2)
    async with _app(db).run_test(size=SIZE) as pilot:
        app = pilot.app
        assert isinstance(app, PodTUI)
        pushes = SyncReport("Atelier Lumen", 1, problem_reasons=["order 7: tracking push failed"])
        app._synced([fine, failing, pushes])
        app._synced([SyncReport("Northwind Prints", 2, error="again", failures_in_row=4), pushes])
        messages = notices(app)
        assert "Synced: 2 new orders, 0 changed at the stores" in messages
        warnings = [m for m in messages if "syncs failed" in m]
        assert warnings == [
            "Northwind Prints: the last 3 syncs failed (Shopify HTTP 401). Press y for details."
        ]
        assert messages.count("1 new sync problems: press y to see them") == 1


async def test_a_store_row_shows_its_whole_error(db: Database) -> None:
    _shop(db)
    async with _app(db).run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        screen.query_one("#sync-stores", DataTable).focus()
        await pilot.press("down")
        raw = screen.query_one("#problem-raw", TextArea)
        await until(pilot, lambda: raw.text.startswith("Northwind"), "the store's error showing")
        text = raw.text
        assert text.startswith("Northwind Prints: synced 1 h 00 min ago")
        assert "3 failed in a row: Shopify HTTP 401: Invalid API key or access token" in text
