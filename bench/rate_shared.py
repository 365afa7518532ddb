"""Three processes send to one sandbox Printify over one database: does the vendor see one rate?

Builds a fresh SQLite database of Ready items (each its own address: a create plus a send to
production per item, print files by URL), serves one sandbox Printify on 127.0.0.1 that answers
429 past the configured rate, and starts three OS processes that each send their third of the
items with the real submission service (`send_items`) until the run's time is up. From the
sandbox's own request log it reports the most requests in any sliding window (60 s by default)
against the configured rate, the 429s the vendor gave, and the items sent.

    uv run python bench/rate_shared.py [--rate 600] [--seconds 65] [--per-process]
                                       [--vendor-limit N]

`--per-process` sends the way podtui did before the limit was shared (each process its own
limiter), for comparison; with `--vendor-limit 0` the sandbox refuses nothing, so the figure is
what the three offered rather than what the vendor let through. The last line is one JSON
object: `max_in_window`, `rate`, `max_vs_rate`, `throttled_429`, `requests`, `items_sent`.
Seen on 2 loaded cores, 600 a minute: shared, 596 in the busiest minute and no 429; per
process with a vendor that refuses nothing, 1,758 (2.9 times the rate).
"""

from __future__ import annotations

import argparse
import bisect
import json
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from podtui.db import Database, open_database
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printify import SandboxPrintify
from submit import SHOP_ID, TOKEN, build

PROCESSES = 3
CONCURRENCY = 4  # workers per process, as the vendor's max_concurrency


def sender(url: str, ids: list[int], ready: Any, go: Any, deadline: Any, alone: bool) -> None:
    """One sending process: says it is ready, waits for the go signal, sends until the deadline."""
    from podtui.services.connections.vendors import connect
    from podtui.services.sending.fulfil import SendOptions, send_items

    db = Database(url)
    options = SendOptions(
        print_file_base_url="https://files.bench.invalid/pf", render_missing=False
    )
    # A plain function is not shared over the database: the old, per-process limiter.
    own = (lambda vendor: connect(vendor)) if alone else None
    ready.put(os.getpid())
    go.wait()
    send_items(
        db, ids, options=options, connect=own, should_stop=lambda: time.time() >= deadline.value
    )
    db.dispose()


def most_in_window(stamps: list[float], window: float) -> int:
    ordered = sorted(stamps)
    return max(
        (bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered)), default=0
    )


def run(
    rate: int, seconds: float, window: float, per_process: bool, vendor_limit: int
) -> dict[str, Any]:
    sandbox = SandboxPrintify(token=TOKEN, shop_id=SHOP_ID, rate_limit_per_min=vendor_limit)
    stamps: list[float] = []
    throttled: list[float] = []
    inner = sandbox.handler

    def handler(request: Any) -> Any:
        stamps.append(time.monotonic())
        response = inner(request)
        if response.status_code == 429:
            throttled.append(stamps[-1])
        return response

    # Two requests an item; enough items that no process runs out before the time is up.
    items = int(rate / 60 * seconds / 2 * (PROCESSES if per_process else 1) * 1.3) + PROCESSES
    with tempfile.TemporaryDirectory() as tmp, serve_loopback(handler) as api:
        os.environ["PODTUI_PRINTIFY_BENCH_PRINTIFY_TOKEN"] = TOKEN
        db_url = f"sqlite:///{tmp}/bench.db"
        db = open_database(db_url)
        ids = build(db, api, items, rate, CONCURRENCY, Path(tmp) / "files")
        db.dispose()
        spawn = multiprocessing.get_context("spawn")
        ready, go, deadline = spawn.Queue(), spawn.Event(), spawn.Value("d", 0.0)
        children = [
            spawn.Process(
                target=sender,
                args=(db_url, ids[k::PROCESSES], ready, go, deadline, per_process),
            )
            for k in range(PROCESSES)
        ]
        for child in children:
            child.start()
        for _ in children:
            ready.get(timeout=120)  # every process has started and imported podtui
        deadline.value = time.time() + seconds
        go.set()
        for child in children:
            child.join()
        db = Database(db_url)
        with db.read() as s:
            from sqlmodel import col, func, select

            from podtui.domain.models import OrderItem
            from podtui.domain.status import ItemStatus

            sent = s.exec(
                select(func.count()).where(col(OrderItem.status) == ItemStatus.SENT)
            ).one()
        db.dispose()
    span = stamps[-1] - stamps[0] if len(stamps) > 1 else 0.0
    most = most_in_window(stamps, window)
    allowed = rate * window / 60.0
    return {
        "mode": "per-process" if per_process else "shared",
        "processes": PROCESSES,
        "rate": rate,
        "vendor_limit": vendor_limit,
        "window_s": window,
        "max_in_window": most,
        "max_vs_rate": round(most / allowed, 3),
        "throttled_429": len(throttled),
        "requests": len(stamps),
        "span_s": round(span, 1),
        "req_per_min": round((len(stamps) - 1) / span * 60, 1) if span > 0 else 0.0,
        "items_sent": int(sent),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rate", type=int, default=600, help="the vendor's requests a minute")
    parser.add_argument("--seconds", type=float, default=65.0, help="how long the three send")
    parser.add_argument("--window", type=float, default=60.0, help="the sliding window, s")
    parser.add_argument(
        "--per-process", action="store_true", help="each process its own limiter (as before)"
    )
    parser.add_argument(
        "--vendor-limit", type=int, default=None, help="the sandbox's 429 limit (default: --rate)"
    )
    args = parser.parse_args(argv)
    limit = args.rate if args.vendor_limit is None else args.vendor_limit
    result = run(args.rate, args.seconds, args.window, args.per_process, limit)
    print(json.dumps(result), file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
