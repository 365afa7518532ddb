"""The half-block preview and the render-queue panel, driven through Textual's Pilot."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PIL import Image
from textual.app import App, ComposeResult

from podtui.db import Database
from podtui.domain.models import OrderItem
from podtui.domain.status import ItemStatus
from podtui.widgets.preview import UPPER_HALF, ImagePreview, halfblock_lines
from podtui.widgets.render_queue import RenderQueuePanel

from .conftest import Shop


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
    def __init__(self, db: Database, run_renders: bool) -> None:
        super().__init__()
        self.db = db
        self.run_renders = run_renders

    def compose(self) -> ComposeResult:
        yield RenderQueuePanel(self.db, run_renders=self.run_renders, processes=1, interval=0.5)


async def test_queue_panel_shows_counts_and_jobs(db: Database, shop: Shop) -> None:
    shop.item("mug-wrap", {"name": "a"}, title="Mug")
    shop.item("mug-wrap", {"name": "b"}, title="Mug")
    app = QueueApp(db, run_renders=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        panel = app.query_one(RenderQueuePanel)
        assert panel.snapshot is not None and panel.snapshot.counts == {"queued": 2}
        counts = str(app.query_one("#render-counts").render())
        assert "2 queued" in counts
        assert app.query_one("#render-jobs").row_count == 2  # type: ignore[attr-defined]


async def test_queue_panel_can_run_the_worker_in_the_background(db: Database, shop: Shop) -> None:
    item_id = shop.item("mug-wrap", {"name": "a"}, title="Mug")
    app = QueueApp(db, run_renders=True)
    async with app.run_test(size=(120, 30)) as pilot:
        for _ in range(600):
            with db.read() as session:
                item = session.get(OrderItem, item_id)
                assert item is not None
            if item.status is ItemStatus.READY:
                break
            await asyncio.sleep(0.1)
        assert item.status is ItemStatus.READY
        await pilot.pause(0.6)
        counts = str(app.query_one("#render-counts").render())
        assert "1 done" in counts
        app.workers.cancel_all()
