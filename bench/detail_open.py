"""Time to read an order's details and to open the details screen, on a large database.

Uses the bench database of N items (bench/_seed.py), to which it adds once what the details
show: a timeline (one sync event per item, plus 2,000 events on one busy order, past the
screen's bound of 500), notes, a print file and a failed submission. Then:

    read_ms_*   `read_order_detail` in a read session, per order (random orders + the busy one)
    open_ms_*   from pushing the details screen to its first frame showing the order, in the
                real app headless (includes the worker's read and the whole screen's layout)

The last line is one JSON object with those figures.

    uv run python bench/detail_open.py --items 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _seed import NOW, FixedNow, _ts, ensure_bench_db
from podtui.app import PodTUI
from podtui.config import Config
from podtui.db import open_database
from podtui.screens.order_detail import OrderDetailScreen
from podtui.services.items.order_detail import read_order_detail

BUSY_EVENTS = 2000


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def add_detail_rows(path: Path) -> int:
    """Add the timeline, notes and files once; returns the busy order's id."""
    marker = path.with_suffix(".detail-ok")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        if marker.exists():
            return int(marker.read_text())
        busy = conn.execute(
            "SELECT MAX(order_id) FROM order_item WHERE status = 'failed'"
        ).fetchone()[0]
        started = time.monotonic()
        conn.execute("BEGIN")
        at = _ts(NOW)
        conn.execute(
            "INSERT INTO event (at, user, type, order_id, item_id, from_status, to_status, params)"
            " SELECT ?, 'sync', 'synced', order_id, id, NULL, status, '{}' FROM order_item",
            [at],
        )
        items = [r[0] for r in conn.execute("SELECT id FROM order_item WHERE order_id = ?", [busy])]
        conn.executemany(
            "INSERT INTO event (at, user, type, order_id, item_id, from_status, to_status, params)"
            " VALUES (?, 'ops', 'edit_design', ?, ?, 'ready', 'waiting_approval',"
            ' \'{"changes": {"title": {"old": "a", "new": "b"}}}\')',
            [(_ts(NOW), busy, items[n % len(items)]) for n in range(BUSY_EVENTS)],
        )
        for n in range(3):
            conn.execute(
                "INSERT INTO note (order_id, author, body, created_at, updated_at)"
                " VALUES (?, 'ops', ?, ?, ?)",
                [busy, f"bench note {n}", at, at],
            )
        for item in items:
            conn.execute(
                "INSERT INTO print_file (item_id, path, preview_path, mockup_path, sha256, width,"
                " height, dpi, size_bytes, current, created_at)"
                " VALUES (?, ?, NULL, NULL, '', 3600, 5400, 300, 0, 1, ?)",
                [item, f"/srv/prints/{item}.png", at],
            )
        conn.execute(
            "INSERT INTO submission (idempotency_key, vendor_id, state, attempts, error_code,"
            " error_message, http_status, raw_response, created_at, updated_at)"
            " VALUES (?, 1, 'failed', 1, 'bad_request', 'bench', 422, '{}', ?, ?)",
            [f"bench-{busy}", at, at],
        )
        sub = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
        conn.executemany(
            "INSERT INTO submission_item (submission_id, item_id) VALUES (?, ?)",
            [(sub, item) for item in items],
        )
        conn.execute("COMMIT")
        marker.write_text(str(busy))
        print(f"added detail rows in {time.monotonic() - started:.0f}s", file=sys.stderr)
        return int(busy)
    finally:
        conn.close()


def time_reads(url: str, order_ids: list[int]) -> list[float]:
    db = open_database(url)
    times: list[float] = []
    try:
        for order_id in order_ids:
            started = time.perf_counter()
            with db.read() as session:
                read_order_detail(session, order_id)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        db.dispose()
    return times


async def time_opens(url: str, order_ids: list[int]) -> list[float]:
    """Milliseconds from pushing the screen to the first frame handed to the terminal that
    shows the order read (taken where the app passes a composited frame to the driver)."""
    db = open_database(url)
    app = PodTUI(db, Config(), clock=FixedNow(NOW), watch_interval=3600, freeze_heap=True)
    frames: list[tuple[float, object]] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        shown = app.screen
        if isinstance(shown, OrderDetailScreen) and shown.detail is not None:
            frames.append((time.perf_counter(), shown))

    app._display = display  # type: ignore[method-assign]
    times: list[float] = []
    async with app.run_test(size=(160, 50)) as pilot:
        await pilot.pause(1.0)
        for order_id in order_ids:
            screen = OrderDetailScreen(order_id)
            frames.clear()
            started = time.perf_counter()
            await app.push_screen(screen)
            deadline = started + 30
            while not any(shown is screen for _, shown in frames):
                assert time.perf_counter() < deadline, "the order never showed"
                await asyncio.sleep(0.0005)
            at = next(at for at, shown in frames if shown is screen)
            times.append((at - started) * 1000)
            await pilot.press("escape")
            await pilot.pause(0.3)  # back on a settled list, as an operator's next enter is
    db.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--opens", type=int, default=20)
    args = parser.parse_args()
    path = ensure_bench_db(args.items)
    busy = add_detail_rows(path)
    url = f"sqlite:///{path}"
    with sqlite3.connect(path) as conn:
        top = conn.execute('SELECT MAX(id) FROM "order"').fetchone()[0]
    rnd = random.Random(7)
    orders = [rnd.randint(1, top) for _ in range(args.reads - 1)] + [busy]
    time_reads(url, orders[:20])  # warm the page cache: figures are for a running shop
    reads = time_reads(url, orders)
    busy_read = time_reads(url, [busy] * 20)
    opens = asyncio.run(time_opens(url, [*orders[: args.opens - 1], busy]))
    result = {
        "items": args.items,
        "read_ms_median": round(statistics.median(reads), 2),
        "read_ms_p95": round(pct(reads, 95), 2),
        "read_busy_ms_median": round(statistics.median(busy_read), 2),
        "busy_order_events": BUSY_EVENTS,
        "open_ms_median": round(statistics.median(opens), 1),
        "open_ms_p95": round(pct(opens, 95), 1),
        "open_ms_max": round(max(opens), 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
