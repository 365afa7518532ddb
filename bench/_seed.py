"""Build (or reuse) a bench database of N order items, fast: migrated schema, then executemany.

Stands in for `podtui.demo.seed.seed_demo` until that lands; the data is shaped like a
busy shop's (most items long fulfilled, a working set in the early statuses, a few stores and
vendors, repeating product titles, some unmanaged items and archived orders).
"""

from __future__ import annotations

import json
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from podtui.clock import SystemClock
from podtui.db import open_database

BENCH_DIR = Path(__file__).resolve().parent / ".data"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

STATUS_WEIGHTS = {
    "fulfilled": 62,
    "in_production": 5,
    "sent": 6,
    "ready": 6,
    "waiting_approval": 5,
    "missing_artwork": 3,
    "rendering": 1,
    "on_hold": 2,
    "sending": 0.2,
    "failed": 1.5,
    "canceled": 2,
    "ignored": 1.3,
}
PRODUCTS = [
    "Custom Pet Portrait Mug",
    "Personalized Name Necklace",
    "Family Tree Canvas Print",
    "Custom Star Map Poster",
    "Monogram Tote Bag",
    "Funny Cat Dad T-Shirt",
    "Wedding Date Pillow",
    "Kids Name Puzzle",
    "Retro Sunset Hoodie",
    "Graduation Photo Blanket",
    "Dog Mom Tumbler",
    "Vintage Map Phone Case",
    "Birth Flower Sweatshirt",
    "Custom Street Sign",
    "Couple Initials Keychain",
    "Hand Lettered Quote Print",
]
VARIANTS = ["S / White", "M / Black", "L / Navy", "XL / Heather", "11oz", "15oz", "A4", "One size"]
CITIES = [
    ("Austin", "TX", "US"),
    ("Portland", "OR", "US"),
    ("Leeds", "", "GB"),
    ("Lyon", "", "FR"),
    ("Toronto", "ON", "CA"),
    ("Brisbane", "QLD", "AU"),
    ("Denver", "CO", "US"),
    ("Berlin", "", "DE"),
]
FIRST = ["Ann", "Bob", "Chloe", "Dev", "Eva", "Finn", "Gita", "Hugo", "Iris", "Jon", "Kim", "Lea"]
LAST = ["Smith", "Ng", "Garcia", "Okafor", "Kowalski", "Brown", "Rossi", "Sato", "Diaz", "Berg"]


def _ts(dt: datetime) -> str:
    # The text form SQLAlchemy stores aware UTC datetimes in on SQLite.
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


SEED_VERSION = 3  # bump when the data changes: cached files of older versions are rebuilt


def bench_db_path(items: int) -> Path:
    return BENCH_DIR / f"items-{items}-v{SEED_VERSION}.db"


def ensure_bench_db(items: int, *, quiet: bool = False) -> Path:
    """The path of a migrated database holding `items` order items, built once and reused."""
    path = bench_db_path(items)
    done = path.with_suffix(".ok")
    if path.exists() and done.exists():
        open_database(f"sqlite:///{path}").dispose()  # migrate a reused file to head
        return path
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    for stale in (path, done, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    started = time.monotonic()
    open_database(f"sqlite:///{path}").dispose()
    seed(path, items)
    done.write_text("ok")
    if not quiet:
        print(f"seeded {items} items in {time.monotonic() - started:.0f}s", file=sys.stderr)
    return path


def seed(path: Path, items: int, *, seed_value: int = 42) -> None:
    """Fill an empty migrated database with `items` items, about 1.7 per order."""
    rnd = random.Random(seed_value)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")  # a scratch file: no rollback needed while loading
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-200000")
    # Loading into bare tables then building each index once is several times faster than
    # maintaining twenty indexes and the title index row by row.
    schema = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        " AND sql IS NOT NULL AND tbl_name IN ('order', 'order_item', 'shipment')"
    ).fetchall()
    for kind, name, _sql in schema:
        conn.execute(f'DROP {kind} "{name}"')
    rebuild = [sql for _kind, _name, sql in schema]
    conn.execute("BEGIN")
    created = _ts(NOW - timedelta(days=800))
    stores = [
        ("Main Shopify", "shopify"),
        ("Woo Outlet", "woocommerce"),
        ("Etsy Bridge", "sandbox"),
    ]
    conn.executemany(
        "INSERT INTO store (id, name, kind, base_url, auto_submit_hours, sync_failures, settings,"
        " created_at) VALUES (?, ?, ?, '', ?, 0, '{}', ?)",
        [
            (i + 1, name, kind, 2.0 if i == 0 else 0.0, created)
            for i, (name, kind) in enumerate(stores)
        ],
    )
    vendors = [
        ("Printify", "printify"),
        ("Printful", "printful"),
        ("In-house", "hotfolder"),
        ("Local Embroidery", "manual"),
    ]
    conn.executemany(
        "INSERT INTO vendor (id, name, kind, base_url, rate_limit_per_min, settings, created_at)"
        " VALUES (?, ?, ?, '', 0, '{}', ?)",
        [(i + 1, name, kind, created) for i, (name, kind) in enumerate(vendors)],
    )
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    span = timedelta(days=730).total_seconds()
    order_rows: list[tuple[object, ...]] = []
    item_rows: list[tuple[object, ...]] = []
    order_id = 0
    item_id = 0
    sql_order = (
        'INSERT INTO "order" (id, store_id, store_order_id, name, number, created_at,'
        " customer_name,"
        " customer_email, ship_name, ship_company, ship_address1, ship_address2, ship_city,"
        " ship_state, ship_postal_code, ship_country, ship_phone, ship_email, shipping_method,"
        " subtotal, total, currency, payment_method, store_status, payment_status,"
        " store_fulfillment_status, source, customer_note, archived, local_edits, store_pending,"
        " raw, synced_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, '', ?, ?, ?, ?, '', ?,"
        " 'Standard', ?, ?, 'USD', ?, ?, ?, ?, ?, '', ?, '[]', '{}', '{}', ?)"
    )
    sql_item = (
        "INSERT INTO order_item (id, order_id, parent_id, store_line_id, product_id, variant_id,"
        " sku, title, variant_title, quantity, unit_price, personalization_raw, personalization,"
        " status, status_before, hold_reason, managed, vendor_id, artwork_id, submitted_at,"
        " auto_submit_at, store_id, order_created_at, archived, version, created_at, updated_at)"
        " VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, NULL, ?, ?, ?, NULL, ?, ?, ?,"
        " ?, ?, 0, ?, ?)"
    )
    sql_shipment = (
        "INSERT INTO shipment (id, order_id, carrier, tracking_number, tracking_url, status,"
        " shipped_at, pushed_to_store_at, created_at) VALUES (?, ?, ?, ?, '', 'shipped', ?, ?, ?)"
    )
    shipment_rows: list[tuple[object, ...]] = []
    # Oldest first, so ids grow with time as they do in a real shop.
    while item_id < items:
        order_id += 1
        n = order_id
        store_id = 1 + (n % 7 == 0) + (n % 11 == 0)
        at = NOW - timedelta(seconds=span * (1 - item_id / items) + rnd.random() * 60)
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        city, state, country = rnd.choice(CITIES)
        age_days = (NOW - at).days
        archived = 1 if age_days > 120 and rnd.random() < 0.6 else 0
        total = f"{rnd.randint(15, 180)}.{rnd.randint(0, 99):02d}"
        email = f"{first.lower()}.{last.lower()}{order_id}@example.com"
        order_rows.append(
            (
                order_id,
                store_id,
                str(100000 + order_id),
                f"#{1000 + order_id}",
                str(1000 + order_id),
                _ts(at),
                f"{first} {last}",
                email,
                f"{first} {last}",
                f"{order_id} Main St",
                city,
                state,
                "00000",
                country,
                email,
                total,
                total,
                rnd.choice(["card", "paypal", "shop_pay"]),
                "processing",
                rnd.choice(["paid", "paid", "paid", "pending", "refunded"]),
                rnd.choice(["unfulfilled", "fulfilled", "partial"]),
                rnd.choice(["store", "store", "store", "etsy", "amazon"]),
                archived,
                _ts(at),
            )
        )
        for line in range(rnd.choice((1, 1, 1, 2, 2, 3))):
            if item_id >= items:
                break
            item_id += 1
            status = "fulfilled" if age_days > 60 else rnd.choices(statuses, weights)[0]
            if age_days <= 60 and status == "fulfilled" and rnd.random() < 0.5:
                status = "sent"
            managed = 0 if rnd.random() < 0.04 else 1
            product = rnd.randrange(len(PRODUCTS))
            vendor_id = None if status == "missing_artwork" else 1 + (product % 4)
            submitted = status in ("sending", "sent", "in_production", "fulfilled", "failed")
            # A running countdown ends in the next two hours: a shop whose app runs has sent
            # every item whose countdown ended (an overdue backlog is what `podtui submit
            # --due` clears, not what an operator looks at).
            auto = (
                _ts(NOW + timedelta(minutes=rnd.randint(1, 120)))
                if status == "ready" and store_id == 1
                else None
            )
            item_rows.append(
                (
                    item_id,
                    order_id,
                    f"L{item_id}",
                    f"P{product}",
                    f"V{line}",
                    f"SKU-{product}-{line}",
                    PRODUCTS[product],
                    rnd.choice(VARIANTS),
                    rnd.choice((1, 1, 1, 2)),
                    f"{rnd.randint(10, 60)}.00",
                    json.dumps({"name": first}),
                    status,
                    "Address check" if status == "on_hold" else None,
                    managed,
                    vendor_id,
                    _ts(at + timedelta(hours=3)) if submitted else None,
                    auto,
                    store_id,
                    _ts(at),
                    archived,
                    _ts(at),
                    _ts(at),
                )
            )
        if any(row[1] == order_id and row[11] == "fulfilled" for row in item_rows[-3:]):
            # One parcel per fulfilled order: UPS from the main store, USPS from the others.
            tracking = (
                f"1Z{rnd.randrange(16**6):06X}{order_id:010d}"
                if store_id == 1
                else f"9400{rnd.randrange(10**8):08d}{order_id:010d}"
            )
            shipped = _ts(at + timedelta(days=2))
            carrier = "UPS" if store_id == 1 else "USPS"
            shipment_rows.append(
                (len(shipment_rows) + 1, order_id, carrier, tracking, shipped, shipped, shipped)
            )
        if len(item_rows) >= 50_000:
            conn.executemany(sql_order, order_rows)
            conn.executemany(sql_item, item_rows)
            order_rows.clear()
            item_rows.clear()
    conn.executemany(sql_order, order_rows)
    conn.executemany(sql_item, item_rows)
    conn.executemany(sql_shipment, shipment_rows)
    for sql in rebuild:
        conn.execute(sql)
    # Every search index (FTS5 external content) reads its table again.
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
    ).fetchall():
        conn.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


if __name__ == "__main__":
    print(ensure_bench_db(int(sys.argv[1])))


def ensure_bench_url(items: int, database_url: str | None, *, quiet: bool = False) -> str:
    """The URL of a bench database of `items` items: the SQLite file, or with `database_url`
    (PostgreSQL) that database, filled once by `podtui db copy` from the SQLite file."""
    path = ensure_bench_db(items, quiet=quiet)
    source = f"sqlite:///{path}"
    if database_url is None:
        return source
    from sqlalchemy import func, select

    from podtui.db import Database
    from podtui.domain.models import OrderItem
    from podtui.services.database.copy import copy_database

    target = open_database(database_url)
    with target.read() as s:
        have = s.exec(select(func.count()).select_from(OrderItem)).one()[0]
    target.dispose()
    if have == items:
        return database_url
    if have:
        raise SystemExit(f"{database_url} holds {have} items, not {items}: use an empty database")
    started = time.monotonic()
    db = Database(source)
    report = copy_database(db, database_url)
    db.dispose()
    if not quiet:
        took = time.monotonic() - started
        print(f"copied {report.rows} rows to PostgreSQL in {took:.0f}s (verified)", file=sys.stderr)
    return database_url


class FixedNow(SystemClock):
    """The app's real timers, with the time standing at the bench data's `now`."""

    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now
