"""The app's frames while it sends N Ready items in bulk to a loopback sandbox Printify.

Builds a fresh SQLite database of N Ready items (bench/submit.py's shop: one order and one vendor
order each), serves a sandbox Printify on 127.0.0.1, opens the real app headless on it and
presses what an operator presses: `*` (mark all), `S` (send), `y` (confirm). Every frame the app
hands to the terminal driver is timed where bench/startup.py times its first frame (`_display`),
from the confirm to the end of the bulk run. Reported: the longest gap between frames, the p99
gap, and how many gaps passed 100 ms; beside them the event loop's own lag (a 10 ms timer's worst
lateness), which says whether a gap was the app being busy or only having nothing to paint.

    uv run python bench/send_frames.py [--items 1000] [--limit 6000]

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
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
from podtui.screens.orders import OrdersScreen
from submit import SHOP_ID, TOKEN, build


class TimedApp(PodTUI):
    """The app, noting when each frame goes to the driver."""

    frames: list[float]

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, renderable)
        self.frames.append(time.perf_counter())


def sent(db: Database) -> int:
    with db.read() as s:
        return int(
            s.exec(
                select(func.count()).where(col(OrderItem.status) == ItemStatus.SENT)  # type: ignore[call-overload]
            ).one()
        )


async def drive(db: Database, n: int) -> dict[str, Any]:
    config = Config()
    config.render_workers = 0  # the items are rendered already; nothing else competes
    app = TimedApp(db=db, config=config)
    app.frames = []
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

        def tick() -> None:
            now = time.perf_counter()
            lag.append(now - beat[0] - 0.01)
            beat[0] = now

        timer = app.set_interval(0.01, tick)
        started = time.perf_counter()
        await pilot.press("y")
        while sent(db) < n and time.perf_counter() - started < 600:
            await pilot.pause(0.1)
        while screen.bulk_running:  # the summary is part of the run
            await pilot.pause(0.05)
        ended = time.perf_counter()
        timer.stop()
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--limit", type=int, default=6000, help="vendor requests a minute")
    args = parser.parse_args(argv)
    sandbox = SandboxPrintify(token=TOKEN, shop_id=SHOP_ID, rate_limit_per_min=args.limit)
    with tempfile.TemporaryDirectory() as tmp, serve_loopback(sandbox.handler) as url:
        os.environ["PODTUI_PRINTIFY_BENCH_PRINTIFY_TOKEN"] = TOKEN
        conf = Path(tmp) / "config"
        conf.mkdir()
        (conf / "config.toml").write_text(
            '[render]\nprint_file_base_url = "https://files.bench.invalid/pf"\n', encoding="utf-8"
        )
        os.environ["PODTUI_CONFIG_DIR"] = str(conf)
        db = open_database(f"sqlite:///{tmp}/bench.db")
        build(db, url, args.items, args.limit, 8, Path(tmp) / "files")
        result = asyncio.run(drive(db, args.items))
        db.dispose()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
