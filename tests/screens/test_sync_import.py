"""Import from the Sync screen (y, then i): all, a date range or order ids, checked before
anything runs, with a progress bar fed by the sync's pages, esc to stop (asked), a summary."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import ProgressBar, Static

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import Store
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.screens.import_dialog import ImportDialog
from podtui.screens.sync_status import SyncStatusScreen
from tests.adapters.stores.woo_support import loopback_store
from tests.screens.conftest import assert_inside, notices, steady_cursors, until
from tests.services.sync.import_support import NOW, fill, order_count


def _app(db: Database, keymap: dict[str, str] | None = None) -> PodTUI:
    config = Config(sync_interval_minutes=15, keymap=keymap or {})
    return PodTUI(db, config, clock=ManualClock(NOW), watch_interval=3600)


def _text(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).content)


async def _open_import(pilot: Pilot[Any]) -> ImportDialog:
    await pilot.press("y")
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, SyncStatusScreen) and pilot.app.screen.states,
        "the sync screen loading",
    )
    await pilot.press("i")
    await until(pilot, lambda: isinstance(pilot.app.screen, ImportDialog), "the import dialog")
    dialog = pilot.app.screen
    assert isinstance(dialog, ImportDialog)
    return dialog


@pytest.fixture
def store(db: Database, woo_url: str) -> Store:
    return loopback_store(db, woo_url)


@pytest.mark.usefixtures("store")
async def test_import_order_ids_from_the_sync_screen(db: Database, woo: SandboxWooStore) -> None:
    fill(woo, 5)
    async with _app(db).run_test(size=(120, 40)) as pilot:
        dialog = await _open_import(pilot)
        await pilot.press("down", "down", "enter")  # These order ids
        await pilot.press(*"3, 4", "enter")
        await until(pilot, lambda: dialog.finished, "the import finishing")
        assert "Imported 2 orders, 0 updated, 0 problems" in _text(pilot, "#import-status")
        assert order_count(db) == 2
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, SyncStatusScreen)


@pytest.mark.usefixtures("store")
async def test_a_backwards_range_and_an_unknown_id_are_said_before_anything_runs(
    db: Database, woo: SandboxWooStore
) -> None:
    fill(woo, 5)
    async with _app(db).run_test(size=(120, 40)) as pilot:
        dialog = await _open_import(pilot)
        await pilot.press("down", "enter")  # Created in a date range
        await pilot.press(*"2026-11-30", "tab", *"2026-11-01", "enter")
        await until(pilot, lambda: _text(pilot, "#import-error"), "the error")
        assert "before it starts" in _text(pilot, "#import-error")
        assert not woo.requests and not dialog.running
        # Back to the ids: an id the store lacks is named; nothing is imported.
        await pilot.press("shift+tab", "shift+tab", "down", "enter")
        await pilot.press(*"3, 99", "enter")
        await until(pilot, lambda: "99" in _text(pilot, "#import-error"), "the unknown id")
        assert "Loopback Woo" in _text(pilot, "#import-error")
        assert order_count(db) == 0 and not dialog.finished
        assert isinstance(pilot.app.screen, ImportDialog)


async def _import_all(pilot: Pilot[Any]) -> ImportDialog:
    """Every order of every store imported from the Sync screen: the dialog, its first page in."""
    dialog = await _open_import(pilot)
    await pilot.press("enter", "enter")  # All orders, then Import
    bar = dialog.query_one("#import-progress", ProgressBar)
    await until(pilot, lambda: bar.progress >= 1, "the first page")
    return dialog


async def test_the_stop_question_follows_a_rebound_yes(
    db: Database, woo: SandboxWooStore, gated: threading.Event
) -> None:
    fill(woo, 250)
    async with _app(db, {"confirm.yes": "Y"}).run_test(size=(120, 40)) as pilot:
        dialog = await _import_all(pilot)
        await pilot.press("escape")
        assert _text(pilot, "#import-error").endswith("Y stops · n goes on")
        await pilot.press("y")  # no longer yes: the question stands
        assert dialog.asking and dialog.running
        await pilot.press("Y")
        await until(pilot, lambda: dialog.finished, "the import stopping")
        assert "stopped" in _text(pilot, "#import-status")


async def test_esc_asks_then_stops_the_import_keeping_what_came(
    db: Database, woo: SandboxWooStore, gated: threading.Event
) -> None:
    fill(woo, 250)
    async with _app(db).run_test(size=(120, 40)) as pilot:
        dialog = await _import_all(pilot)
        assert dialog.query_one("#import-progress", ProgressBar).total == 3
        assert "page 1 of 3" in _text(pilot, "#import-status")
        await pilot.press("escape")
        assert "Stop the import?" in _text(pilot, "#import-error")
        await pilot.press("n")  # goes on
        assert dialog.running and not _text(pilot, "#import-error")
        await pilot.press("escape", "y")
        await until(pilot, lambda: dialog.finished, "the import stopping")
        status = _text(pilot, "#import-status")
        assert "stopped" in status and "Imported 100 orders" in status
        assert order_count(db) == 100
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, SyncStatusScreen)


async def test_no_store_no_import(db: Database) -> None:
    async with _app(db).run_test(size=(120, 40)) as pilot:
        await pilot.press("y")
        await until(pilot, lambda: isinstance(pilot.app.screen, SyncStatusScreen), "sync screen")
        await pilot.press("i")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ImportDialog)
        assert any("No stores yet" in m for m in notices(pilot.app))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.usefixtures("store")
def test_import_dialog_snapshot(
    snap_compare: Callable[..., bool], db: Database, size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await _open_import(pilot)
        await pilot.press("down", "enter")  # the date range's fields
        assert_inside(pilot)
        await steady_cursors(pilot)

    assert snap_compare(_app(db), terminal_size=size, run_before=before)
