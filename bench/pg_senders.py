"""Four sending processes on one PostgreSQL database, SIGKILLed along the way: any item twice?

Builds the items in a fresh PostgreSQL database (Ready, each its own address: a create plus a
send to production per item), serves one sandbox Printify on 127.0.0.1 that answers 429 past
its limit, and starts four OS processes that each send a quarter of the items with the real
submission service. Three times, at a random moment, a random sender is SIGKILLed and a new one
takes its unfinished items (as an operator would start `podtui submit --ready` again). At the
end `recover` (what `podtui recover` runs) reconciles what the killed processes left in Sending.
From the sandbox's own order book and request log it reports:

    duplicate_vendor_orders  external ids the vendor holds more than once (must be 0)
    lost_items               items neither sent exactly once nor back to sendable (must be 0)
    max_in_window            most requests in any sliding 60 s window (must be <= the rate)

    uv run python bench/pg_senders.py --database-url postgresql://postgres@127.0.0.1/test
        [--items 2000] [--rate 600] [--kills 3]

The server URL names the server: the bench makes (and drops) its own database there.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from podtui.db import Database, normalise_url, open_database
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printify import SandboxPrintify
from rate_shared import most_in_window
from submit import SHOP_ID, TOKEN, build

SENDERS = 4
CONCURRENCY = 4


def sender(url: str, ids: list[int], ready: Any) -> None:
    """One `podtui submit` process: sends its items, then exits."""
    from podtui.services.sending.fulfil import SendOptions, send_items

    db = Database(url)
    options = SendOptions(
        print_file_base_url="https://files.bench.invalid/pf", render_missing=False
    )
    ready.put(os.getpid())
    send_items(db, ids, options=options)
    db.dispose()


def unsent(url: str, ids: list[int]) -> list[int]:
    """Which of `ids` are still Ready (a killed sender's share, for its replacement)."""
    from sqlmodel import col, select

    from podtui.domain.models import OrderItem
    from podtui.domain.status import ItemStatus

    db = Database(url)
    with db.read() as s:
        rows = s.exec(
            select(OrderItem.id).where(
                col(OrderItem.id).in_(ids), col(OrderItem.status) == ItemStatus.READY
            )
        ).all()
    db.dispose()
    return [int(r) for r in rows]


def run(server: str, items: int, rate: int, kills: int, seed: int) -> dict[str, Any]:
    rnd = random.Random(seed)
    sandbox = SandboxPrintify(token=TOKEN, shop_id=SHOP_ID, rate_limit_per_min=rate)
    stamps: list[float] = []
    inner = sandbox.handler

    def handler(request: Any) -> Any:
        stamps.append(time.monotonic())
        return inner(request)

    name = f"podtui_bench_senders_{os.getpid()}"
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(server)).set(database=name).render_as_string(False)
    try:
        with tempfile.TemporaryDirectory() as tmp, serve_loopback(handler) as api:
            os.environ["PODTUI_PRINTIFY_BENCH_PRINTIFY_TOKEN"] = TOKEN
            db = open_database(url)
            ids = build(db, api, items, rate, CONCURRENCY, Path(tmp) / "files")
            db.dispose()
            spawn = multiprocessing.get_context("spawn")
            ready = spawn.Queue()
            shares = {k: ids[k::SENDERS] for k in range(SENDERS)}
            procs = {k: spawn.Process(target=sender, args=(url, shares[k], ready)) for k in shares}
            for proc in procs.values():
                proc.start()
            for _ in procs:
                ready.get(timeout=120)
            started = time.monotonic()
            # Kill moments spread over the expected run (two requests an item at `rate`).
            expected = items * 2 / rate * 60
            moments = sorted(rnd.uniform(0.1, 0.7) * expected for _ in range(kills))
            killed = 0
            for moment in moments:
                while time.monotonic() - started < moment:
                    time.sleep(0.2)
                alive = [k for k, p in procs.items() if p.is_alive()]
                if not alive:
                    break
                victim = rnd.choice(alive)
                os.kill(procs[victim].pid or 0, signal.SIGKILL)
                procs[victim].join()
                killed += 1
                left = unsent(url, shares[victim])
                shares[victim] = left
                procs[victim] = spawn.Process(target=sender, args=(url, left, ready))
                procs[victim].start()
                ready.get(timeout=120)
            for proc in procs.values():
                proc.join()
            sent_at = time.monotonic()
            from podtui.services.sending.fulfil import SendOptions
            from podtui.services.sending.recovery import recover

            db = Database(url)
            report = recover(
                db,
                older_than=0,
                options=SendOptions(
                    print_file_base_url="https://files.bench.invalid/pf", render_missing=False
                ),
            )
            with db.read() as s:
                from sqlmodel import col, func, select

                from podtui.domain.models import OrderItem
                from podtui.domain.status import ItemStatus

                by_status = dict(
                    s.exec(
                        select(OrderItem.status, func.count()).group_by(col(OrderItem.status))
                    ).all()
                )
            db.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    at_vendor = sandbox.orders_by_external_id()
    duplicates = sum(1 for n in at_vendor.values() if n > 1)
    sent = int(by_status.get(ItemStatus.SENT, 0))
    sendable = int(by_status.get(ItemStatus.READY, 0)) + int(by_status.get(ItemStatus.FAILED, 0))
    # Every item is either Sent (and then at the vendor once) or can be sent again.
    lost = items - sent - sendable + abs(sent - len(at_vendor))
    return {
        "database": "postgresql",
        "senders": SENDERS,
        "items": items,
        "rate": rate,
        "sigkills": killed,
        "duplicate_vendor_orders": duplicates,
        "vendor_orders": len(at_vendor),
        "items_sent": sent,
        "items_sendable_again": sendable,
        "lost_items": lost,
        "recovered": report.lines(),
        "max_in_window": most_in_window(stamps, 60.0),
        "requests": len(stamps),
        "send_s": round(sent_at - started, 1),
        "statuses": {str(k): int(v) for k, v in by_status.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server URL")
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--rate", type=int, default=600)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    result = run(args.database_url, args.items, args.rate, args.kills, args.seed)
    for key, value in result.items():
        print(f"{key:24} {value}", file=sys.stderr)
    print(json.dumps(result, default=str))
    ok = result["duplicate_vendor_orders"] == 0 and result["lost_items"] == 0
    return 0 if ok and result["max_in_window"] <= args.rate else 1


if __name__ == "__main__":
    sys.exit(main())
