"""Fixtures for the order-list tests: a seeded shop, the app on it, and a way to wait for it."""

from __future__ import annotations

import time
import types
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.worker import WorkerState

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import OrderItem
from tests.screens.orders.data import NOW, Shop, seed_shop


@pytest.fixture
def shop(db: Database) -> Shop:
    return seed_shop(db)


def make_app(db: Database, config: Config | None = None, watch: float = 3600.0) -> PodTUI:
    return PodTUI(db, config or Config(), clock=ManualClock(NOW), watch_interval=watch)


def _tables_measuring(app: Any) -> bool:
    """Whether a DataTable on screen still has rows or cells to measure: it does that on its next
    Idle event, which a loaded machine can deliver after a snapshot was taken (a header drawn
    with the widths of an empty table)."""
    from textual.widgets import DataTable

    return any(
        t._require_update_dimensions or t._updated_cells for t in app.screen.query(DataTable)
    )


async def settle(pilot: Pilot[None], timeout: float = 10.0) -> None:
    """Wait until every worker but the database watcher is done and the list has its rows."""
    from podtui.screens.orders import OrdersScreen

    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while True:
        # pause(delay) waits for the screen's queued messages, without pause()'s idle-CPU wait.
        await pilot.pause(0.005)
        busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        tables = [s.table for s in app.screen_stack if isinstance(s, OrdersScreen)]
        if busy or any(t.fetching for t in tables) or _tables_measuring(app):
            quiet = 0
        else:
            quiet += 1
            if quiet >= 2:  # twice in a row: messages posted by the last worker are handled too
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"still busy after {timeout}s: {busy}")


@pytest.fixture
def orders_service() -> types.ModuleType:
    """podtui.services.items.actions, the module the bulk actions take their use-cases from."""
    from podtui.services.items import actions

    return actions


def statuses(db: Database, ids: list[int]) -> dict[int, str]:
    with db.read() as s:
        rows = s.exec(
            select(OrderItem.id, OrderItem.status).where(col(OrderItem.id).in_(ids))
        ).all()
    return {int(i): str(st.value if hasattr(st, "value") else st) for i, st in rows}


def header(app: PodTUI) -> str:
    """The list's header line, as shown."""
    from podtui.screens.orders import OrdersScreen

    screen = next(s for s in app.screen_stack if isinstance(s, OrdersScreen))
    return str(screen.query_one("#list-header").text)  # type: ignore[attr-defined]


def table_lines(app: PodTUI) -> list[str]:
    """The order table as the terminal shows it, one string per line (header first)."""
    from podtui.screens.orders import OrdersScreen

    screen = next(s for s in app.screen_stack if isinstance(s, OrdersScreen))
    table = screen.table
    return [
        "".join(segment.text for segment in table.render_line(y)).rstrip()
        for y in range(table.size.height)
    ]
