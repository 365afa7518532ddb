"""Key-to-paint latency of the order list over N items: tabs, filters, page-down, mark-all, RSS.

Runs the real app headless on a bench database (built once by bench/_seed.py) and times each
keypress or filter change to the first frame that shows the new rows complete. The frame time
is taken where the app hands a composited frame to the terminal driver, so it includes the
query, the row building and the whole screen update. Each change starts from a settled screen
(the previous change's counts painted, then 50 ms). Prints its figures; the last line is one
JSON object:

    filter_ms_*       every tab change and every filter change (the issue's figure)
    word_ms_*         the bare words alone (the search box), also in filter_ms_by_filter
    sort_ms_*         the sorts by total, customer, status, vendor, due time
    tab_ms_*, filter_only_ms_*, filter_ms_by_filter   the same, split
    filter_line_ms_*  `/`, text, enter: includes closing the filter line (a layout pass)
    count_ms_*        to the header's item count (counts follow the rows, off the UI thread)
    pagedown_ms_*     pagedown to the next screen of rows painted
    mark_all_s        `*` over all 1,000,000 items to "1,000,000 marked" (the exact count)
    rss_mb            peak resident memory of this process (the app plus the bench)

With --promised, two stores promise a turnaround throughout, so that every count also counts
the late items (the header's "N late", per tab under the filter); without it only `sort:due`
has a promise.

    uv run python bench/list_latency.py --items 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _seed import NOW, FixedNow, ensure_bench_url
from podtui.app import PodTUI
from podtui.config import Config
from podtui.screens.orders import OrdersScreen
from podtui.services.listing.filters import parse_filter

FILTERS = [
    "status:ready",
    "vendor:printify",
    "store:woo",
    "source:etsy",
    "created:7d",
    "created:90d",
    "title:mug",
    "title:necklace",
    "email:ann.",
    "order:#5000",
    "unmanaged:show",
    "archived:only",
    "status:ready,failed vendor:print",
    "vendor:printful created:30d title:tee",
    "store:main source:store status:sent,fulfilled sort:-order",
    "sort:-payment",
    "sort:fulfillment",
]
# Bare words: the search box (order, customer, e-mail, city, SKU, title, tracking number).
WORDS = [
    "chloe",  # a customer's name, in 1 order of 12: found by walking the newest rows
    "lyon",  # a city
    "sku-3-",  # a SKU
    "kowalski4242",  # part of 14 e-mails: found from the search indexes
    "1zed025400",  # the start of one tracking number
    "0000400000",  # ten digits: a tracking number, not an order name
    "emily",  # nobody: the walk finds nothing, the indexes say so
    "status:ready chloe",
]
# The sorts no single column gives: an order's total and customer (walked through their
# indexes), status in workflow order, vendor and due time (read in segments).
SORTS = ["sort:-total", "sort:customer", "sort:status", "sort:vendor", "sort:due"]
FILTERS += WORDS + SORTS


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


class Frames:
    """Records when the app hands a frame to the driver, and what the list had painted then."""

    def __init__(self, app: PodTUI) -> None:
        self.app = app
        self.log: list[tuple[float, Any]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            orders = self.orders
            if orders is not None:
                self.log.append((time.perf_counter(), orders.table.last_paint))

        app._display = display  # type: ignore[method-assign]

    @property
    def orders(self) -> OrdersScreen | None:
        for screen in self.app.screen_stack:
            if isinstance(screen, OrdersScreen):
                return screen
        return None

    async def wait(self, since: float, done: Callable[[Any], bool], timeout: float = 30) -> float:
        """Seconds from `since` to the first frame after it whose paint record meets `done`."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for at, paint in self.log:
                if at >= since and paint is not None and done(paint):
                    return at - since
            await asyncio.sleep(0.0005)
        raise TimeoutError("no frame showed the change")


PROMISED = {"Main Shopify": 3.0, "Woo Outlet": 5.0}


async def measure(
    items: int,
    rounds: int,
    size: tuple[int, int],
    database_url: str | None = None,
    promised: bool = False,
) -> dict[str, Any]:
    url = ensure_bench_url(items, database_url)
    config = Config(turnaround_days=dict(PROMISED) if promised else {})
    app = PodTUI(config=config, url=url, clock=FixedNow(NOW), watch_interval=3600, freeze_heap=True)
    results: dict[str, Any] = {"items": items, "promised": promised}
    async with app.run_test(size=size) as pilot:
        frames = Frames(app)
        deadline = time.perf_counter() + 120
        while frames.orders is None or frames.orders.counts is None or not app.database_ready:
            await asyncio.sleep(0.05)
            assert time.perf_counter() < deadline, "the app never settled"
        screen = frames.orders
        table = screen.table

        async def settle_counts() -> None:
            # Each change starts from a settled screen, as a person's next key does: the
            # counts of the last change are in and painted, then a short pause.
            while screen.counts is None or any(
                w.group in ("counts", "marks") and not w.is_finished for w in app.workers
            ):
                await asyncio.sleep(0.005)
            await asyncio.sleep(0.05)

        async def timed(action: Callable[[], Awaitable[None] | None]) -> float:
            generation = table.generation
            frames.log.clear()
            start = time.perf_counter()
            result = action()
            if result is not None:
                await result
            return await frames.wait(start, lambda p: p.generation > generation and p.complete)

        # Tabs: `]` through all fourteen, a few times round.
        tab_ms: list[float] = []
        by_tab: dict[str, list[float]] = {}
        for _ in range(rounds):
            for _tab in range(14):
                tab_ms.append(1000 * await timed(lambda: pilot.press("right_square_bracket")))
                by_tab.setdefault(screen.list_query.tab, []).append(tab_ms[-1])
                await settle_counts()
        # Filters: each alone and combined, applied as the filter line applies them.
        filter_ms: dict[str, list[float]] = {}
        count_ms: list[float] = []
        for _ in range(rounds):
            for text in FILTERS:
                # The due time merges stores that promise different turnarounds.
                due = promised or text == "sort:due"
                app.reader.turnaround_days = dict(PROMISED) if due else {}
                parsed = parse_filter(text)
                filter_ms.setdefault(text, []).append(
                    1000 * await timed(lambda parsed=parsed: screen.set_filter(parsed))
                )
                if filter_ms[text][-1] > 50:
                    print(f"slow: {filter_ms[text][-1]:.0f} ms  {text}", file=sys.stderr)
                start = time.perf_counter()
                await settle_counts()
                count_ms.append(1000 * (time.perf_counter() - start) + filter_ms[text][-1])
            screen.set_filter(parse_filter(""))
            await settle_counts()
        # Filter line end to end: `/`, the text, then enter (the bar closes in the same frame).
        line_ms: list[float] = []
        for text in FILTERS[:6] * rounds:
            await pilot.press("slash")
            screen.query_one("#filter-input").value = text  # type: ignore[attr-defined]
            line_ms.append(1000 * await timed(lambda: pilot.press("enter")))
            await settle_counts()
        screen.set_filter(parse_filter(""))
        await settle_counts()
        # Page down through the list.
        page_ms: list[float] = []
        for _ in range(40 * rounds):
            top = table.top
            frames.log.clear()
            start = time.perf_counter()
            await pilot.press("pagedown")
            page_ms.append(
                1000 * await frames.wait(start, lambda p, top=top: p.top > top and p.complete)
            )
        await pilot.press("home")
        # Mark everything (all 1,000,000 with archived and unmanaged shown) and show the count.
        screen.set_filter(parse_filter("archived:show unmanaged:show"))
        await settle_counts()
        total = table.total
        assert total is not None
        start = time.perf_counter()
        await pilot.press("asterisk")
        shown_at = None
        while f"{total:,} marked" not in screen.query_one("#list-header").text:  # type: ignore[attr-defined]
            await asyncio.sleep(0.001)
        shown_at = time.perf_counter() - start
        await settle_counts()
        exact_at = time.perf_counter() - start
        results["marked"] = screen.marked_count

    flat = [v for values in filter_ms.values() for v in values]
    words = [v for text in WORDS for v in filter_ms[text]]
    sorts = [v for text in SORTS for v in filter_ms[text]]
    results.update(
        {
            "tab_ms_median": round(statistics.median(tab_ms), 1),
            "tab_ms_p99": round(pct(tab_ms, 99), 1),
            "filter_ms_median": round(statistics.median(flat + tab_ms), 1),
            "filter_ms_p99": round(pct(flat + tab_ms, 99), 1),
            "filter_only_ms_median": round(statistics.median(flat), 1),
            "filter_only_ms_p99": round(pct(flat, 99), 1),
            "filter_ms_by_filter": {
                k: round(statistics.median(v), 1) for k, v in filter_ms.items()
            },
            "tab_ms_by_tab": {k: round(statistics.median(v), 1) for k, v in by_tab.items()},
            "word_ms_median": round(statistics.median(words), 1),
            "word_ms_p99": round(pct(words, 99), 1),
            "sort_ms_median": round(statistics.median(sorts), 1),
            "sort_ms_p99": round(pct(sorts, 99), 1),
            "filter_line_ms_median": round(statistics.median(line_ms), 1),
            "count_ms_median": round(statistics.median(count_ms), 1),
            "count_ms_p99": round(pct(count_ms, 99), 1),
            "pagedown_ms_median": round(statistics.median(page_ms), 1),
            "pagedown_ms_p99": round(pct(page_ms, 99), 1),
            "mark_all_shown_s": round(shown_at, 3),
            "mark_all_s": round(exact_at, 3),
            "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--width", type=int, default=160)
    parser.add_argument("--height", type=int, default=50)
    parser.add_argument(
        "--database-url",
        help="measure on this (empty or bench-filled) PostgreSQL database instead of SQLite",
    )
    parser.add_argument(
        "--promised", action="store_true", help="stores promise a turnaround: late counts too"
    )
    args = parser.parse_args()
    results = asyncio.run(
        measure(
            args.items, args.rounds, (args.width, args.height), args.database_url, args.promised
        )
    )
    results["database"] = "postgresql" if args.database_url else "sqlite"
    for key, value in results.items():
        if key not in ("filter_ms_by_filter", "tab_ms_by_tab"):
            print(f"{key:24} {value}", file=sys.stderr)
    for key, value in [*results["filter_ms_by_filter"].items(), *results["tab_ms_by_tab"].items()]:
        print(f"  {value:8.1f} ms  {key}", file=sys.stderr)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
