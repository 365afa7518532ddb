"""The half-block preview and the render-queue panel, driven through Textual's Pilot."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import text
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import DataTable

from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import OrderItem, RenderJob
from podtui.domain.status import ItemStatus
from podtui.screens.render_queue import RenderQueueScreen
from podtui.widgets.preview import UPPER_HALF, ImagePreview, halfblock_lines
from podtui.widgets.render_queue import RenderQueuePanel
from tests.services.render.conftest import Shop


@pytest.fixture
def shop(db: Database) -> Shop:
    return Shop(db)


def stripes() -> Image.Image:
    image = Image.new("RGB", (4, 4), (255, 0, 0))
    image.paste((0, 0, 255), (0, 2, 4, 4))
    return image


def test_halfblock_lines_put_top_pixel_in_fg_and_bottom_in_bg() -> None:
    first, second = halfblock_lines(stripes(), (4, 2), (0, 0, 0))
    [segment] = list(first)
    assert segment.text == UPPER_HALF * 4
    assert segment.style is not None and segment.style.color and segment.style.bgcolor
    assert segment.style.color.triplet == (255, 0, 0) == segment.style.bgcolor.triplet
    [segment] = list(second)
    assert segment.style is not None and segment.style.bgcolor is not None
    assert segment.style.bgcolor.triplet == (0, 0, 255)


def test_halfblock_lines_centre_and_pad_to_the_cells() -> None:
    wide = halfblock_lines(Image.new("RGB", (8, 2), (1, 2, 3)), (8, 4), (9, 9, 9))
    assert len(wide) == 4 and all(line.cell_length == 8 for line in wide)
    assert [line.text for line in wide] == [" " * 8, UPPER_HALF * 8, " " * 8, " " * 8]
    [tall] = halfblock_lines(Image.new("RGB", (2, 2), (1, 2, 3)), (10, 1), (9, 9, 9))
    assert tall.text == " " * 4 + UPPER_HALF * 2 + " " * 4


class PreviewApp(App[None]):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield ImagePreview(id="preview")

    def on_mount(self) -> None:
        self.query_one(ImagePreview).load(self.path)


async def test_preview_loads_an_image_off_the_ui_thread(tmp_path: Path) -> None:
    path = tmp_path / "print.png"
    Image.new("RGBA", (200, 100), (0, 200, 0, 255)).save(path)
    app = PreviewApp(path)
    async with app.run_test(size=(40, 20)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = app.query_one(ImagePreview)
        assert preview.image is not None
        line = preview.render_line(preview.size.height // 2)
        assert UPPER_HALF in line.text
        colours = {s.style.color.triplet for s in line if s.style and s.style.color}
        assert (0, 200, 0) in colours


class QueueApp(App[None]):
    def __init__(self, db: Database, run_renders: bool, interval: float = 0.5) -> None:
        super().__init__()
        self.db = db
        self.run_renders = run_renders
        self.interval = interval

    def compose(self) -> ComposeResult:
        yield RenderQueuePanel(
            self.db, run_renders=self.run_renders, processes=1, interval=self.interval
        )


async def wait_for(pilot: Pilot[None], check: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let the app run until `check()` holds (the worker threads post their results)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.05)


async def test_queue_panel_shows_counts_and_jobs(db: Database, shop: Shop) -> None:
    shop.item("mug-wrap", {"name": "a"}, title="Mug")
    shop.item("mug-wrap", {"name": "b"}, title="Mug")
    # One poll only (at mount): the panel's timer never fires during the test.
    app = QueueApp(db, run_renders=False, interval=3600)
    async with app.run_test(size=(120, 30)) as pilot:
        panel = app.query_one(RenderQueuePanel)
        await wait_for(pilot, lambda: panel.snapshot is not None or bool(panel.error))
        assert panel.error == ""
        assert panel.snapshot is not None and panel.snapshot.counts == {"queued": 2}
        counts = str(app.query_one("#render-counts").render())
        assert "2 queued" in counts
        assert app.query_one("#render-jobs").row_count == 2  # type: ignore[attr-defined]
        assert "podtui worker" in str(app.query_one("#render-worker").render())


async def test_queue_panel_says_when_the_job_table_cannot_be_read(db: Database, shop: Shop) -> None:
    shop.item("mug-wrap", {"name": "a"}, title="Mug")
    with db.write() as session:
        session.execute(text("DROP TABLE render_job"))
    try:
        app = QueueApp(db, run_renders=False, interval=3600)
        async with app.run_test(size=(120, 30)) as pilot:
            panel = app.query_one(RenderQueuePanel)
            await wait_for(pilot, lambda: bool(panel.error))
            assert "could not read the job table" in str(app.query_one("#render-counts").render())
            assert app.is_running  # a failed read is shown, not raised
    finally:
        # The table back: on PostgreSQL the next test of this worker uses the same database.
        RenderJob.__table__.create(db.engine)  # type: ignore[attr-defined]


async def test_queue_panel_can_run_the_worker_in_the_background(db: Database, shop: Shop) -> None:
    item_id = shop.item("mug-wrap", {"name": "a"}, title="Mug")
    app = QueueApp(db, run_renders=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: status_of(db, item_id) is ItemStatus.READY)
        await wait_for(pilot, lambda: "1 done" in str(app.query_one("#render-counts").render()))
        app.workers.cancel_all()


def status_of(db: Database, item_id: int) -> ItemStatus:
    with db.read() as session:
        item = session.get(OrderItem, item_id)
        assert item is not None
        return item.status


def job_states(app: PodTUI) -> list[str]:
    table: DataTable[str] = app.screen.query_one("#render-jobs", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


async def test_app_renders_in_the_background_and_its_key_shows_the_queue(
    db: Database, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODTUI_RENDER_WORKERS", "1")
    done = shop.item("mug-wrap", {"name": "Anna"}, title="Mug")
    held = shop.item("mug-wrap", {"name": "   "}, title="Mug")
    app = PodTUI(db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC)))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("J")
        assert isinstance(app.screen, RenderQueueScreen)
        await wait_for(pilot, lambda: status_of(db, done) is ItemStatus.READY)
        assert status_of(db, held) is ItemStatus.ON_HOLD
        assert app.renderer is not None and app.renderer.processes == 1
        await pilot.press("r")
        await wait_for(pilot, lambda: sorted(job_states(app)) == ["done", "failed"])
        counts = str(app.screen.query_one("#render-counts").render())
        assert "0 queued" in counts and "1 failed" in counts and "1 done" in counts
        worker_line = str(app.screen.query_one("#render-worker").render())
        assert "Rendering here in 1 process" in worker_line
        await pilot.press("escape")
        assert not isinstance(app.screen, RenderQueueScreen)
    assert app.renderer is not None and not app.renderer.alive  # stopped with the app


async def test_no_renderer_when_workers_is_zero(db: Database, shop: Shop) -> None:
    item_id = shop.item("mug-wrap", {"name": "Anna"}, title="Mug")
    app = PodTUI(
        db, Config(), watch_interval=3600, clock=ManualClock(datetime.now(UTC))
    )  # conftest: PODTUI_RENDER_WORKERS=0
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("J")
        panel = app.screen.query_one(RenderQueuePanel)
        await wait_for(pilot, lambda: panel.snapshot is not None)
        assert app.renderer is None
        assert job_states(app) == ["queued"]
        assert "podtui worker" in str(app.screen.query_one("#render-worker").render())
    assert status_of(db, item_id) is ItemStatus.RENDERING
