"""The bulk progress strip: alive while a bulk action runs (a spinner and the time it has taken,
so a long first vendor call never looks like a frozen screen), still when nothing runs."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import App, ComposeResult

from podtui.clock import ManualClock
from podtui.widgets.bulk_progress import BulkProgress


class StripApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(datetime(2026, 3, 10, 12, 0, tzinfo=UTC))

    def compose(self) -> ComposeResult:
        yield BulkProgress()


def _status(app: StripApp) -> str:
    return str(app.query_one("#bulk-status").render())


async def test_the_strip_ticks_while_running_and_stops_when_done() -> None:
    app = StripApp()
    async with app.run_test() as pilot:
        strip = app.query_one(BulkProgress)
        assert not strip.display and app.clock.named("bulk-spinner") == []
        strip.start("Send 1,000 items", 1000)
        await pilot.pause()
        assert strip.display
        first = _status(app)
        assert "0/1,000" in first and "0 s" in first
        await app.clock.advance(0.25)
        await pilot.pause()
        later = _status(app)
        assert later != first  # the spinner moved: the screen is visibly alive
        strip.advance(250, 1000)
        await app.clock.advance(5)
        await pilot.pause()
        status = _status(app)
        assert "250/1,000" in status and "5 s" in status
        strip.finish()
        await pilot.pause()
        assert not strip.display and app.clock.named("bulk-spinner") == []


async def test_a_tick_repaints_the_strip_without_laying_out_the_screen() -> None:
    # A layout of the whole screen at every tick (12 a second) cost each frame of a bulk send
    # tens of ms: the spinner and the counts keep one width from start to finish.
    app = StripApp()
    async with app.run_test() as pilot:
        strip = app.query_one(BulkProgress)
        strip.start("Send 1,000 items", 1000)
        await pilot.pause()
        layouts = []
        real = app.screen._refresh_layout

        def counted(*args: object, **kwargs: object) -> None:
            layouts.append(args)
            real(*args, **kwargs)  # type: ignore[arg-type]

        app.screen._refresh_layout = counted  # type: ignore[method-assign]
        before = _status(app)
        for done in (1, 9, 10, 99, 100, 999, 1000):
            strip.advance(done, 1000)
            await app.clock.advance(1 / 12)
            await pilot.pause()
        await app.clock.advance(20)
        await pilot.pause()
        assert _status(app) != before and "1,000/1,000" in _status(app)
        assert layouts == []


async def test_a_long_label_gives_way_to_the_counts_and_the_stop_key_at_80_columns() -> None:
    app = StripApp()
    async with app.run_test(size=(80, 24)) as pilot:
        strip = app.query_one(BulkProgress)
        strip.start("Send 14 items: 9 to Printify (sandbox), 5 to Printful (sandbox)", 14)
        await pilot.pause()
        for part in ("#bulk-status", "#bulk-hint"):
            region = app.query_one(part).region
            assert region.width > 0 and region.right <= 80, (part, region)
        assert "ctrl+x stops" in str(app.query_one("#bulk-hint").render())
        assert app.query_one("#bulk-label").region.width < 40
