"""The render queue (`J`) by keyboard: retry a failed job, open its order, no busy bar when idle."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import DataTable, ProgressBar

from podtui.db import Database
from podtui.domain.models import OrderItem, RenderJob
from podtui.domain.status import ItemStatus
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.render_queue import RenderQueueScreen
from podtui.services.render.jobs import claim_next, record_failure
from podtui.widgets.key_footer import KeyFooter
from podtui.widgets.render_queue import RenderQueuePanel
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import NOW
from tests.screens.test_catalogue import assert_inside
from tests.services.render.conftest import Shop


def fail(db: Database, item_id: int, reason: str) -> int:
    job = claim_next(db, "w1")
    assert job is not None and job.id is not None and job.item_id == item_id
    assert record_failure(db, "w1", job.id, item_id, reason, bad_input=True)
    return job.id


def finish(db: Database, item_id: int) -> int:
    """The job ends done (its output is not the point here: only the queue's rows are)."""
    job = claim_next(db, "w1")
    assert job is not None and job.id is not None and job.item_id == item_id
    with db.write() as s:
        row = s.get(RenderJob, job.id)
        assert row is not None
        row.state = "done"
    return job.id


@pytest.fixture
def queue(db: Database) -> dict[str, int]:
    """An idle queue: one job done, two failed (the newest shown first), fixed times."""
    shop = Shop(db)
    done = shop.item("mug-wrap", {"name": "Anna"}, title="Mug")
    finish(db, done)
    first = shop.item("mug-wrap", {"name": " "}, title="Mug")
    fail(db, first, "the name field is empty")
    second = shop.item("shirt-front", {"name": "Bo"}, title="Custom Tee")
    fail(db, second, "the artwork file is missing")
    with db.write() as s:
        for n, job in enumerate(s.exec(select(RenderJob).order_by(col(RenderJob.id))).all()):
            job.claimed_at = NOW - timedelta(minutes=30 - n)
            job.finished_at = NOW - timedelta(minutes=20 - n)
    return {"done": done, "first": first, "second": second}


async def open_queue(pilot: Pilot[Any]) -> RenderQueueScreen:
    await settle(pilot)
    await pilot.press("J")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RenderQueueScreen)
    # settle() can return before the panel has mounted and started its first read (a loaded
    # machine): wait for the first snapshot itself, then for its message to be drawn.
    panel = screen.query_one(RenderQueuePanel)
    for _ in range(2000):
        if panel.snapshot is not None:
            break
        await pilot.pause(0.005)
    assert panel.snapshot is not None, "the render queue was never read"
    await settle(pilot)
    return screen


def rows(screen: RenderQueueScreen) -> list[list[str]]:
    table: DataTable[str] = screen.query_one("#render-jobs", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def status(db: Database, item_id: int) -> ItemStatus:
    with db.read() as s:
        item = s.get(OrderItem, item_id)
        assert item is not None
        return item.status


def jobs_of(db: Database, item_id: int) -> list[str]:
    with db.read() as s:
        found = s.exec(
            select(RenderJob.state).where(RenderJob.item_id == item_id).order_by(col(RenderJob.id))
        ).all()
    return list(found)


async def test_a_failed_job_is_retried_from_the_queue(db: Database, queue: dict[str, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_queue(pilot)
        footer = str(screen.query_one(KeyFooter).render())
        assert "Retry" in footer and "Open" in footer
        assert [r[1] for r in rows(screen)] == ["failed", "failed", "done"]
        assert status(db, queue["second"]) is ItemStatus.ON_HOLD
        await pilot.press("R")  # the cursor is on the newest failure: the tee
        await settle(pilot)
        assert status(db, queue["second"]) is ItemStatus.RENDERING
        assert jobs_of(db, queue["second"]) == ["failed", "queued"]
        assert status(db, queue["first"]) is ItemStatus.ON_HOLD  # only the row under the cursor
        assert "queued" in [r[1] for r in rows(screen)]  # the queue was read again


async def test_retry_is_offered_only_on_a_failed_job(db: Database, queue: dict[str, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_queue(pilot)
        await pilot.press("down", "down")  # the done job
        await pilot.pause()
        assert rows(screen)[2][1] == "done"
        await pilot.press("R")
        await settle(pilot)
        assert jobs_of(db, queue["done"]) == ["done"]
        assert status(db, queue["done"]) is ItemStatus.RENDERING  # untouched by the test data


async def test_retry_is_in_the_palette(db: Database, queue: dict[str, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await pilot.press("down")  # the older failure: the mug
        await pilot.press("ctrl+p", *"retry the failed render")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert status(db, queue["first"]) is ItemStatus.RENDERING


async def test_enter_opens_the_jobs_order(db: Database, queue: dict[str, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_queue(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, OrderDetailScreen)
        with db.read() as s:
            item = s.get(OrderItem, queue["first"])
            assert item is not None
        assert screen.order_id == item.order_id


async def test_no_busy_bar_when_the_queue_is_idle(db: Database, queue: dict[str, int]) -> None:
    app = make_app(db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_queue(pilot)
        bar = screen.query_one(RenderQueuePanel).query_one(ProgressBar)
        assert not bar.display
        assert "idle" in str(screen.query_one("#render-counts").render())


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_idle_render_queue_snapshot(
    snap_compare: Callable[..., bool], db: Database, queue: dict[str, int], size: tuple[int, int]
) -> None:
    async def before(pilot: Pilot[Any]) -> None:
        await open_queue(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=before)
