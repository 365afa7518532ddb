"""Builds the demo database: the demo shop through the models, then orders in bulk.

The shop (stores, vendors, artwork, product mappings) is written through SQLModel. Orders, items,
events, submissions, shipments and notes are many, so they go in as bulk inserts of pre-rendered
rows, generated in chunks so memory stays flat: on SQLite straight through the DBAPI cursor's
`executemany` (values rendered exactly as SQLAlchemy would write them, so the models read them
back unchanged), elsewhere through SQLAlchemy Core `insert(table)`.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import SQLModel

from podtui.config import data_dir
from podtui.db import Database
from podtui.demo.catalog import ARTWORKS, STORES, VENDORS, Variant, store_products
from podtui.demo.codec import TextCodec
from podtui.demo.columns import COLUMNS, INSERT_ORDER, NUMBERED
from podtui.demo.generator import default_now, demo_settings
from podtui.demo.produce import Plan, overlapped, produce, produce_in_process
from podtui.demo.rows import ShopIds
from podtui.demo.writer import BulkWriter, make_writer
from podtui.domain.errors import DomainError
from podtui.domain.models import Artwork, Order, ProductMapping, Store, Vendor

ProgressFn = Callable[[int, int], None]  # (items done, items planned)


@dataclass
class SeedReport:
    """What a seed wrote and how fast."""

    orders: int = 0
    items: int = 0
    events: int = 0
    submissions: int = 0
    shipments: int = 0
    notes: int = 0
    seconds: float = 0.0
    bulk_path: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def items_per_s(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else 0.0


def demo_is_seeded(db: Database) -> bool:
    """Whether the database already holds orders (the demo seeds only an empty one)."""
    with db.read() as session:
        return bool(session.exec(select(func.count()).select_from(Order)).one()[0])  # type: ignore[call-overload]


def demo_hotfolder() -> Path:
    """The demo's in-house hot folder: under the data dir, made if missing, never a system path."""
    folder = data_dir() / "demo-hotfolder"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def reset_demo(db: Database) -> None:
    """Delete every row of every table, children first (only ever called on a demo database)."""
    with db.write() as session:
        for table in reversed(SQLModel.metadata.sorted_tables):
            session.execute(table.delete())


def _seed_shop(
    db: Database, hotfolder_path: str, now: datetime, demo: dict[str, object]
) -> ShopIds:
    """Stores, vendors, artwork and mappings, through the models."""
    with db.write() as session:
        taken = {s.name for s in session.exec(select(Store)).scalars()}  # type: ignore[call-overload]
        clash = taken & {s.name for s in STORES}
        if clash:
            raise DomainError(
                f"This database already has the demo stores ({', '.join(sorted(clash))}); "
                "reset it first (podtui demo --reset)."
            )
        stores = {
            s.key: Store(
                name=s.name,
                kind=s.kind,
                base_url=s.base_url,
                auto_submit_hours=s.auto_submit_hours,
                settings={**s.settings, **(demo if s.settings.get("sandbox") else {})},
                last_sync_at=now,
                last_sync_ok_at=now,
                created_at=now,
            )
            for s in STORES
        }
        vendors = {}
        for v in VENDORS:
            settings = dict(v.settings)
            if v.kind == "hotfolder":
                settings["path"] = hotfolder_path
            vendors[v.key] = Vendor(
                name=v.name,
                kind=v.kind,
                base_url=v.base_url,
                rate_limit_per_min=v.rate_limit_per_min,
                settings=settings,
                created_at=now,
            )
        artworks = {
            a.key: Artwork(
                name=a.name, template=a.template, fields=[f for f, _ in a.fields], created_at=now
            )
            for a in ARTWORKS
        }
        session.add_all([*stores.values(), *vendors.values(), *artworks.values()])
        session.flush()
        for spec in STORES:
            for product in store_products(spec):
                p = product.spec
                if not p.managed:
                    continue  # no mapping: what makes its items unmanaged
                session.add(
                    ProductMapping(
                        store_id=stores[spec.key].id,  # type: ignore[arg-type]
                        product_id=product.product_id,
                        artwork_id=artworks[p.artwork].id if p.artwork else None,
                        vendor_id=vendors[p.vendor].id if p.vendor else None,
                        vendor_product={
                            **p.vendor_product,
                            "variants": {v.variant_id: v.sku for v in product.variants},
                            **_vendor_variant_ids(p.vendor, product.variants),
                        },
                        created_at=now,
                    )
                )
        return ShopIds(
            stores={k: s.id for k, s in stores.items()},  # type: ignore[misc]
            vendors={k: v.id for k, v in vendors.items()},  # type: ignore[misc]
            artworks={k: a.id for k, a in artworks.items()},  # type: ignore[misc]
        )


def _vendor_variant_ids(
    vendor: str | None, variants: tuple[Variant, ...]
) -> dict[str, dict[str, int]]:
    """Printify's own variant id for each store variant (what an order line must name)."""
    if vendor != "printify":
        return {}
    return {"variant_ids": {v.variant_id: 17_000 + n for n, v in enumerate(variants)}}


def _remove_shop(db: Database, ids: ShopIds) -> None:
    tables = SQLModel.metadata.tables
    with db.write() as session:
        mapping = tables["product_mapping"]
        session.execute(mapping.delete().where(mapping.c.store_id.in_(ids.stores.values())))
        for name, keys in (
            ("artwork", ids.artworks),
            ("vendor", ids.vendors),
            ("store", ids.stores),
        ):
            table = tables[name]
            session.execute(table.delete().where(table.c.id.in_(keys.values())))


def seed_demo(
    db: Database,
    orders: int = 500,
    *,
    items: int | None = None,
    seed: int = 7,
    now: datetime | None = None,
    hotfolder_path: str | None = None,
    full_payloads: bool | None = None,
    chunk_items: int = 10_000,
    on_progress: ProgressFn | None = None,
    portable: bool = False,
    subprocess: bool = False,
    uploads_path: str | None = None,
) -> SeedReport:
    """Seed the demo shop and `orders` orders (or `items` items) into an empty database.

    `full_payloads` keeps each order's whole store JSON in `order.raw` (default: for demos up to
    20,000 orders; bigger seeds keep a short stub, or a million items would carry gigabytes).
    `portable=True` forces the SQLAlchemy Core path that non-SQLite databases take.
    `subprocess=True` runs the generator in a second Python process: faster when a second core
    is free, slower on a box whose cores are busy (pickling the rows costs CPU), hence opt-in.
    `uploads_path` is the folder of the customers' photos (`demo/uploads.py`, drawn by the caller):
    the personalized lines carry them; without it no line carries a photo.
    """
    started = time.perf_counter()
    if demo_is_seeded(db):
        raise DomainError("This database already has orders; reset it first (podtui demo --reset).")
    now = now or default_now()
    if hotfolder_path is None:
        hotfolder_path = str(demo_hotfolder())
    planned = items if items is not None else int(orders * 1.65)
    if full_payloads is None:
        full_payloads = (orders if items is None else items / 1.6) <= 20_000
    ids = _seed_shop(db, hotfolder_path, now, demo_settings(seed, orders, items, now, uploads_path))
    writer: BulkWriter = make_writer(db, portable=portable)
    plan = Plan(
        ids=ids,
        start=writer.next_ids(NUMBERED),
        now=now,
        seed=seed,
        orders=orders,
        items=items,
        hotfolder_path=hotfolder_path,
        full_payloads=full_payloads,
        chunk_items=chunk_items,
        text=isinstance(writer.codec, TextCodec),
        uploads=uploads_path,
    )
    report = SeedReport(bulk_path=writer.name + (" + generator process" if subprocess else ""))
    counts: Counter[str] = Counter()
    chunks = produce_in_process(plan) if subprocess else overlapped(produce(plan))
    try:
        writer.begin(INSERT_ORDER)
        for rows, n in chunks:
            writer.write(rows, COLUMNS)
            for table, batch in rows.items():
                counts[table] += len(batch)
            report.items += n
            if on_progress is not None:
                on_progress(report.items, max(planned, report.items))
        writer.finish()
    except BaseException:
        chunks.close()  # stops the generator thread or process first
        writer.abort()
        _remove_shop(db, ids)  # the rows rolled back; take the shop with them
        raise
    report.counts = dict(counts)
    report.orders = counts["order"]
    report.events = counts["event"]
    report.submissions = counts["submission"]
    report.shipments = counts["shipment"]
    report.notes = counts["note"]
    report.seconds = time.perf_counter() - started
    return report
