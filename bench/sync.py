"""Bench: sync N orders (100 a page) from a WooCommerce sandbox on loopback into SQLite.

The store runs in a second process (so its JSON encoding does not share podtui's interpreter),
serving the demo's realistic WooCommerce orders over a real socket; every product is mapped, so
each line becomes a managed item with artwork and vendor. podtui imports them all with the real
adapter and sync service, then checks that no order was lost or stored twice.

`podtui_share` is the share of the sync's wall time podtui spent on its own work (parsing,
upserting) rather than waiting for the next page from the server.
The last line is one JSON object: orders_per_s, podtui_share, lost, duplicated (and details).

`--duplicates 0.1` runs twice: the plain run, then one where a tenth of the orders appear twice
in the listing, the current copy on its own page and an older copy (an older shipping city) a
page or more later, as a listing that shifted while podtui paged shows them. It reports both
runs side by side, and for the second `lost_updates` (orders left with the older copy's city)
and `resync_changed` (a second full sync must change nothing).

    uv run python bench/sync.py [--orders 10000] [--faults] [--duplicates 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
KEY, SECRET = "ck_bench", "cs_bench"


def _payloads(count: int) -> list[dict[str, Any]]:
    from podtui.demo.sandboxes import woo_payloads

    # The demo puts about a third of its orders in the WooCommerce store.
    return woo_payloads(now=NOW, seed=7, orders=int(count * 3.2) + 50, limit=count)[:count]


NEW_CITY, OLD_CITY = "Newer City", "Older City"


def _duplicate(store: Any, fraction: float) -> list[str]:
    """List an older copy of every `1/fraction`-th order 1.5 pages later; their ids."""
    import copy

    ids = sorted(store.orders)
    room = ids[: max(1, len(ids) - 150)]  # each copy lands a page and a half later
    wanted = max(1, round(len(ids) * fraction))
    twice = []
    for order_id in room[:: max(1, len(room) // wanted)][:wanted]:
        order = store.orders[order_id]
        stale = copy.deepcopy(order)
        stale["date_modified_gmt"] = stale["date_modified"] = "2026-11-01T00:00:00"
        stale["shipping"] = {**(stale.get("shipping") or {}), "city": OLD_CITY}
        order["date_modified_gmt"] = order["date_modified"] = "2026-11-30T11:00:00"
        order["shipping"] = {**(order.get("shipping") or {}), "city": NEW_CITY}
        at = ids.index(order_id) + 150
        store.list_copy(stale, after=ids[min(at, len(ids) - 1)])  # older, listed later
        twice.append(str(order_id))
    return twice


def _serve(count: int, faults: bool, duplicates: float, conn: Any, stop: Any) -> None:
    from podtui.sandbox.http import Fault, serve_loopback
    from podtui.sandbox.woocommerce import SandboxWooStore

    store = SandboxWooStore(_payloads(count), consumer_key=KEY, consumer_secret=SECRET)
    twice = _duplicate(store, duplicates) if duplicates else []
    if faults:
        store.inject(Fault("status", 429, retry_after=0.2, path="/orders"))
        store.inject(Fault("status", 500, path="/orders", times=2))
        store.inject(Fault("drop", path="/orders"))
        store.inject(Fault("malformed", path="/orders"))
    ids = sorted(store.orders)
    lines = {str(i): len(store.orders[i]["line_items"]) for i in ids}
    products = sorted(
        {str(li["product_id"]) for o in store.orders.values() for li in o["line_items"]}
    )
    with serve_loopback(store.handler) as url:
        conn.send((url, [str(i) for i in ids], lines, products, twice))
        stop.wait(600)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--faults", action="store_true", help="inject 429/500/drop/malformed")
    parser.add_argument(
        "--duplicates",
        type=float,
        default=0.0,
        help="also run with this share of orders listed twice (older copy later), e.g. 0.1",
    )
    args = parser.parse_args()
    if not args.duplicates:
        result = _bench(args.orders, args.faults, 0.0)
        print(json.dumps(result))
        return 0 if result["ok"] and not result["lost"] and not result["duplicated"] else 1
    plain = _bench(args.orders, args.faults, 0.0)
    doubled = _bench(args.orders, args.faults, args.duplicates)
    print(json.dumps({"plain": plain, "duplicates": doubled}))
    good = all(r["ok"] and not r["lost"] and not r["duplicated"] for r in (plain, doubled))
    clean = not doubled["lost_updates"] and not doubled["resync_changed"]
    return 0 if good and clean else 1


def _bench(count: int, faults: bool, duplicates: float) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="podtui-bench-sync-"))
    os.environ["PODTUI_DATA_DIR"] = str(work / "data")
    os.environ["PODTUI_CONFIG_DIR"] = str(work / "config")
    os.environ["PODTUI_WOOCOMMERCE_BENCH_WOO_TOKEN"] = f"{KEY}:{SECRET}"
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the secret comes from the environment variable

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe()
    stop = ctx.Event()
    server = ctx.Process(target=_serve, args=(count, faults, duplicates, child, stop), daemon=True)
    server.start()
    try:
        url, ids, lines, products, twice = parent.recv()
        return _run(work, url, ids, lines, products, twice)
    finally:
        stop.set()
        server.join(5)


def _run(
    work: Path,
    url: str,
    ids: list[str],
    lines: dict[str, int],
    products: list[str],
    twice: list[str],
) -> dict[str, Any]:
    from sqlalchemy import text

    from podtui.db import open_database
    from podtui.domain.models import Artwork, ProductMapping, Store, Vendor
    from podtui.services.sync.pull import SyncOptions, sync_store_async

    db = open_database(f"sqlite:///{work / 'bench.db'}")
    with db.write() as session:
        store = Store(name="Bench Woo", kind="woocommerce", base_url=url)
        vendor = Vendor(name="Printify", kind="printify")
        artwork = Artwork(name="Name tee", template="tee.toml", fields=["name"])
        session.add_all([store, vendor, artwork])
        session.flush()
        session.add_all(
            ProductMapping(
                store_id=store.id, product_id=p, artwork_id=artwork.id, vendor_id=vendor.id
            )
            for p in products
        )

    def progress(report: Any, pages: int | None) -> None:
        if sys.stderr.isatty():
            print(f"\r{report.orders_seen:>7,} orders", end="", file=sys.stderr)

    started = time.perf_counter()
    report = asyncio.run(sync_store_async(db, store, SyncOptions(mode="all"), on_progress=progress))
    seconds = time.perf_counter() - started
    if sys.stderr.isatty():
        print(file=sys.stderr)
    with db.read() as session:
        stored = [r[0] for r in session.execute(text('SELECT store_order_id FROM "order"'))]
        per_order = dict(
            session.execute(
                text(
                    'SELECT o.store_order_id, COUNT(DISTINCT i.store_line_id) FROM "order" o '
                    "JOIN order_item i ON i.order_id = o.id GROUP BY o.id"
                )
            ).all()
        )
        item_rows = session.execute(text("SELECT COUNT(*) FROM order_item")).scalar_one()
        cities = dict(session.execute(text('SELECT store_order_id, ship_city FROM "order"')).all())
    lost = len(set(ids) - set(stored)) + sum(
        1 for i in ids if i in per_order and per_order[i] < lines[i]
    )
    duplicated = (len(stored) - len(set(stored))) + (item_rows - sum(per_order.values()))
    # A second sync of the same orders must change nothing.
    again = asyncio.run(sync_store_async(db, store, SyncOptions(mode="all")))
    result = {
        "orders": len(ids),
        "items": item_rows,
        "seconds": round(seconds, 2),
        "orders_per_s": round(len(ids) / seconds, 1),
        "podtui_share": round(report.podtui_share, 3),
        "lost": lost,
        "duplicated": duplicated,
        "problems": report.problems,
        "ok": report.ok,
        "error": report.error,
        "resync_changed": again.orders_created + again.orders_updated,
        "resync_orders_per_s": round(len(ids) / again.seconds, 1) if again.seconds else None,
    }
    if twice:
        result["listed_twice"] = len(twice)
        result["copies_read"] = report.orders_seen
        result["lost_updates"] = sum(1 for i in twice if cities.get(i) != NEW_CITY)
    db.dispose()
    return result


if __name__ == "__main__":
    raise SystemExit(main())
