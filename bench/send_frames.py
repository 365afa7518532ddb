"""The app's frames while it sends N Ready items in bulk to a loopback sandbox Printify.

Builds a fresh SQLite database of N Ready items (bench/submit.py's shop: one order and one vendor
order each), serves a sandbox Printify on 127.0.0.1, opens the real app headless on it and
presses what an operator presses: `*` (mark all), `S` (send), `y` (confirm). Every frame the app
hands to the terminal driver is timed where bench/startup.py times its first frame (`_display`),
from the confirm to the end of the bulk run. Reported: the longest gap between frames, the p99
gap, and how many gaps passed 100 ms; beside them the event loop's own lag (a 10 ms timer's worst
lateness), which says whether a gap was the app being busy or only having nothing to paint.

    uv run python bench/send_frames.py [--items 1000] [--limit 6000] [--why] [--vendor-in-process]

The sandbox vendor answers from its own process, as a real vendor does from its own machine: in
the app's process its Python server threads would take the app's interpreter lock and show up
as the app's lag. `--why` samples the app's main thread whenever the loop is late (a watchdog
thread reading its stack) and prints where it was, most often first.

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlmodel import col, func, select

from podtui.app import PodTUI
from podtui.config import Config
from podtui.db import Database, open_database
from podtui.domain.models import OrderItem
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printify import SandboxPrintify
from podtui.screens.bulk_dialogs import BulkSummaryModal
from podtui.screens.orders import OrdersScreen
from submit import SHOP_ID, TOKEN, build


class TimedApp(PodTUI):
    """The app, noting when each frame goes to the driver."""

    frames: list[float]
    shown_summary: list[float]

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, renderable)
        self.frames.append(time.perf_counter())
        # The summary's first frame with its text (a modal can paint once before its
        # widgets are mounted; ending there would quit the app under their mounting).
        summary = isinstance(screen, BulkSummaryModal) and screen.query("TextArea")
        if summary and not self.shown_summary:
            self.shown_summary.append(self.frames[-1])


def sent(db: Database) -> int:
    with db.read() as s:
        return int(
            s.exec(
                select(func.count()).where(col(OrderItem.status) == ItemStatus.SENT)  # type: ignore[call-overload]
            ).one()
        )


class StallSampler:
    """A watchdog thread: when the loop's heartbeat is older than `late` seconds, it notes where
    the main thread is (its innermost podtui frames), so a lag names the code that caused it."""

    def __init__(self, late: float = 0.05) -> None:
        self.late = late
        self.beat = time.perf_counter()
        self.where: collections.Counter[str] = collections.Counter()
        self._main = threading.main_thread().ident
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.01):
            if time.perf_counter() - self.beat < self.late:
                continue
            frame = sys._current_frames().get(self._main or 0)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            ours = [f for f in stack if "/podtui/" in f.filename or "/textual/" in f.filename]
            self.where[
                " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in ours[-1:-5:-1])
            ] += 1

    def report(self) -> None:
        for where, n in self.where.most_common(12):
            print(f"{n * 10:6d} ms  {where}", file=sys.stderr)


async def drive(db: Database, n: int, why: bool = False) -> dict[str, Any]:
    config = Config()
    config.render_workers = 0  # the items are rendered already; nothing else competes
    app = TimedApp(db=db, config=config, freeze_heap=True)  # as `podtui run` and `demo` do
    app.frames = []
    app.shown_summary = []
    lag: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        while not (isinstance(screen, OrdersScreen) and screen.table.loaded_rows):
            await pilot.pause(0.05)
            screen = app.screen
        await pilot.press("asterisk", "S")
        while isinstance(app.screen, OrdersScreen):  # the confirm dialog opens
            await pilot.pause(0.02)
        beat = [time.perf_counter()]
        sampler = StallSampler() if why else None

        def tick() -> None:
            now = time.perf_counter()
            lag.append(now - beat[0] - 0.01)
            beat[0] = now
            if sampler is not None:
                sampler.beat = now

        timer = app.set_interval(0.01, tick)
        if sampler is not None:
            sampler.start()
        started = time.perf_counter()
        await pilot.press("y")
        while sent(db) < n and time.perf_counter() - started < 600:
            await pilot.pause(0.1)
        while screen.bulk_running:
            await pilot.pause(0.05)
        # The summary is part of the run: the run ends with the first frame that shows it.
        while not (isinstance(app.screen, BulkSummaryModal) and app.shown_summary):
            await pilot.pause(0.02)
        ended = app.shown_summary[0]
        timer.stop()
        if sampler is not None:
            sampler.stop()
            print("where the main thread was while the loop was late:", file=sys.stderr)
            sampler.report()
    during = [t for t in app.frames if started <= t <= ended]
    gaps = [b - a for a, b in zip([started, *during], [*during, ended], strict=True)]
    worst = sorted(zip(gaps, [started, *during], strict=True), key=lambda g: g[0], reverse=True)[:5]
    print(
        "longest gaps (ms, at s after the confirm): "
        + ", ".join(f"{g * 1000:.0f} at {at - started:.2f}" for g, at in worst),
        file=sys.stderr,
    )
    gaps.sort()
    return {
        "items": n,
        "sent": sent(db),
        "seconds": round(ended - started, 1),
        "frames": len(during),
        "max_gap_ms": round(gaps[-1] * 1000, 1),
        "p99_gap_ms": round(gaps[int(len(gaps) * 0.99) - 1] * 1000, 1) if gaps else None,
        "median_gap_ms": round(statistics.median(gaps) * 1000, 1),
        "gaps_over_100ms": sum(1 for g in gaps if g > 0.1),
        "max_loop_lag_ms": round(max(lag) * 1000, 1) if lag else None,
        "load_average": round(os.getloadavg()[0], 2),
    }


def _serve_vendor(limit: int, answer: Any, done: Any) -> None:
    sandbox = SandboxPrintify(token=TOKEN, shop_id=SHOP_ID, rate_limit_per_min=limit)
    with serve_loopback(sandbox.handler) as url:
        answer.send(url)
        done.wait()


@contextmanager
def vendor(limit: int, in_process: bool) -> Iterator[str]:
    """The sandbox Printify's URL, served from a child process (or this one when asked)."""
    if in_process:
        sandbox = SandboxPrintify(token=TOKEN, shop_id=SHOP_ID, rate_limit_per_min=limit)
        with serve_loopback(sandbox.handler) as url:
            yield url
        return
    context = multiprocessing.get_context("spawn")
    ours, theirs = context.Pipe()
    done = context.Event()
    child = context.Process(target=_serve_vendor, args=(limit, theirs, done), daemon=True)
    child.start()
    try:
        yield str(ours.recv())
    finally:
        done.set()
        child.join(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=6000, help="vendor requests a minute")
    parser.add_argument("--why", action="store_true", help="say where the loop was late")
    parser.add_argument("--vendor-in-process", action="store_true")
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as tmp,
        vendor(args.limit, args.vendor_in_process) as url,
    ):
        os.environ["PODTUI_PRINTIFY_BENCH_PRINTIFY_TOKEN"] = TOKEN
        conf = Path(tmp) / "config"
        conf.mkdir()
        (conf / "config.toml").write_text(
            '[render]\nprint_file_base_url = "https://files.bench.invalid/pf"\n', encoding="utf-8"
        )
        os.environ["PODTUI_CONFIG_DIR"] = str(conf)
        db = open_database(f"sqlite:///{tmp}/bench.db")
        build(db, url, args.items, args.limit, 8, Path(tmp) / "files")
        result = asyncio.run(drive(db, args.items, args.why))
        db.dispose()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
