"""The seeded demo database, read back through the models and raw SQL."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select

from podtui.db import Database, open_database
from podtui.demo.seed import SeedReport, demo_is_seeded, reset_demo, seed_demo
from podtui.domain.errors import DomainError
from podtui.domain.models import (
    Event,
    Note,
    Order,
    OrderItem,
    PrintFile,
    RenderJob,
    Shipment,
    Store,
    Submission,
    SubmissionItem,
    Vendor,
)
from podtui.domain.status import Action, ItemStatus, is_allowed
from podtui.services.items.transitions import apply_action
from podtui.services.render.print_files import item_paths
from tests.demo.conftest import NOW, ORDERS

S = ItemStatus
Seeded = tuple[Database, SeedReport]


def _items(db: Database) -> list[OrderItem]:
    with db.read() as s:
        return list(s.exec(select(OrderItem)).all())


def test_report_counts_match_the_tables(seeded: Seeded) -> None:
    db, report = seeded
    assert report.orders == ORDERS
    with db.read() as s:
        assert len(s.exec(select(Order)).all()) == ORDERS
        assert len(s.exec(select(OrderItem)).all()) == report.items
        assert len(s.exec(select(Event)).all()) == report.events
        assert len(s.exec(select(Submission)).all()) == report.submissions
        assert len(s.exec(select(Shipment)).all()) == report.shipments
        assert len(s.exec(select(Note)).all()) == report.notes
        assert {st.kind for st in s.exec(select(Store)).all()} == {"shopify", "woocommerce"}
        kinds = {v.kind: v for v in s.exec(select(Vendor)).all()}
    assert set(kinds) == {"printify", "printful", "hotfolder", "manual"}
    assert kinds["hotfolder"].settings["path"] == "/srv/rip/dtg"
    assert not kinds["manual"].integrated


def test_every_status_unmanaged_and_multi_quantity_items_are_there(seeded: Seeded) -> None:
    db, _ = seeded
    items = _items(db)
    assert {i.status for i in items if i.managed} == set(ItemStatus)
    unmanaged = [i for i in items if not i.managed]
    assert unmanaged and all(i.vendor_id is None and i.artwork_id is None for i in unmanaged)
    assert any(i.quantity > 1 for i in items if i.managed and i.parent_id is None)
    missing = [i for i in items if i.managed and i.status is S.MISSING_ARTWORK]
    assert missing and all(i.artwork_id is None for i in missing)


def test_item_copies_match_their_order(seeded: Seeded) -> None:
    db, _ = seeded
    with db.read() as s:
        rows = s.exec(
            select(OrderItem, Order).join(Order, col(Order.id) == OrderItem.order_id)
        ).all()
    assert rows
    for item, order in rows:
        assert item.store_id == order.store_id
        assert item.order_created_at == order.created_at
        assert item.archived == order.archived
    assert any(order.archived for _, order in rows)


def test_datetimes_read_back_aware_utc_and_json_as_objects(seeded: Seeded) -> None:
    db, _ = seeded
    with db.read() as s:
        order = s.exec(select(Order)).first()
        item = s.exec(select(OrderItem).where(col(OrderItem.status) == S.FULFILLED)).first()
        event = s.exec(select(Event)).first()
    assert order is not None and item is not None and event is not None
    for moment in (
        order.created_at,
        order.synced_at,
        item.order_created_at,
        item.updated_at,
        event.at,
    ):
        assert moment.tzinfo is not None and moment.utcoffset() == UTC.utcoffset(None)
    assert isinstance(order.raw, dict) and order.raw["id"]
    assert isinstance(item.personalization, dict) and isinstance(item.personalization_raw, list)
    assert item.submitted_at is not None and item.submitted_at <= item.updated_at <= NOW


def test_failed_items_keep_the_vendors_reason(seeded: Seeded) -> None:
    db, _ = seeded
    with db.read() as s:
        rows = s.exec(
            select(OrderItem, Submission, Vendor)
            .join(SubmissionItem, col(SubmissionItem.item_id) == OrderItem.id)
            .join(Submission, col(Submission.id) == SubmissionItem.submission_id)
            .join(Vendor, col(Vendor.id) == Submission.vendor_id)
            .where(col(OrderItem.status) == S.FAILED)
        ).all()
    failed = {i.id for i in _items(db) if i.status is S.FAILED}
    assert failed and {item.id for item, _, _ in rows} == failed
    for _, sub, vendor in rows:
        assert sub.state == "failed" and sub.error_code and sub.error_message
        assert sub.vendor_order_id is None
        if vendor.kind == "printify" and sub.http_status == 400:
            body = json.loads(sub.raw_response or "")
            assert body["status"] == "error" and body["message"]
            assert body["errors"]["code"] == body["code"]
        if vendor.kind == "printful" and sub.http_status is not None and sub.http_status < 429:
            assert json.loads(sub.raw_response or "")["error"]["reason"] == sub.error_code
        if vendor.kind == "hotfolder":
            assert sub.http_status is None and "/srv/rip/dtg" in (sub.error_message or "")
    reasons = {sub.error_code for _, sub, _ in rows}
    assert "8103" in reasons or "BadRequest" in reasons


def test_sent_items_have_one_submission_with_a_vendor_id(seeded: Seeded) -> None:
    db, _ = seeded
    with db.read() as s:
        pairs = s.exec(
            select(SubmissionItem.item_id, Submission).join(
                Submission, col(Submission.id) == SubmissionItem.submission_id
            )
        ).all()
        keys = [sub.idempotency_key for sub in s.exec(select(Submission)).all()]
    assert len(keys) == len(set(keys))
    by_item = Counter(item_id for item_id, _ in pairs)
    assert max(by_item.values()) == 1, "an item is never submitted twice"
    sent = {i.id for i in _items(db) if i.status in (S.SENT, S.IN_PRODUCTION) and i.vendor_id}
    subs = dict(pairs)
    for item_id in sent:
        assert subs[item_id].state == "sent" and subs[item_id].vendor_order_id


def test_fulfilled_items_have_tracking(seeded: Seeded) -> None:
    db, _ = seeded
    with db.read() as s:
        shipments = {sh.item_id: sh for sh in s.exec(select(Shipment)).all()}
    fulfilled = [i for i in _items(db) if i.status is S.FULFILLED]
    assert fulfilled
    for item in fulfilled:
        shipment = shipments[item.id]
        assert shipment.carrier and shipment.tracking_number
        assert (
            shipment.tracking_url.startswith("https://")
            and shipment.tracking_number in shipment.tracking_url
        )
        assert shipment.order_id == item.order_id


def test_every_item_has_its_creation_event_and_a_legal_timeline(seeded: Seeded) -> None:
    db, _ = seeded
    with db.read() as s:
        events = s.exec(select(Event).order_by(col(Event.id))).all()
        vendors = {v.id: v for v in s.exec(select(Vendor)).all()}
    by_item: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if event.item_id is not None:
            by_item[event.item_id].append(event)
    for item in _items(db):
        timeline = by_item[item.id]
        first = timeline[0]
        assert first.type in ("imported", "split") and first.from_status is None, item.id
        if item.parent_id is None:
            assert first.type == "imported"
        status = ItemStatus(first.to_status or "")
        integrated = vendors[item.vendor_id].integrated if item.vendor_id else None
        for event in timeline[1:]:
            if event.from_status == event.to_status:  # split: the item stays where it is
                continue
            assert ItemStatus(event.from_status or "") is status, (item.id, event.type)
            assert is_allowed(status, Action(event.type), vendor_integrated=integrated)
            status = ItemStatus(event.to_status or "")
        assert status is item.status, item.id
        if item.status not in (S.MISSING_ARTWORK, S.WAITING_APPROVAL):
            assert len(timeline) >= 2
        assert [e.at for e in timeline] == sorted(e.at for e in timeline)


def test_parked_items_remember_where_they_were(seeded: Seeded) -> None:
    db, _ = seeded
    for item in _items(db):
        if item.status in (S.ON_HOLD, S.IGNORED, S.CANCELED):
            assert item.status_before is not None, item.id
        if item.status is S.ON_HOLD:
            assert item.hold_reason
        if item.status is S.RENDERING:
            with db.read() as s:
                jobs = s.exec(select(RenderJob).where(RenderJob.item_id == item.id)).all()
            assert [j.state for j in jobs] == ["queued"]


def test_split_items_add_up_and_point_at_their_parent(seeded: Seeded) -> None:
    db, _ = seeded
    items = {i.id: i for i in _items(db)}
    children = [i for i in items.values() if i.parent_id is not None]
    assert children
    for child in children:
        parent = items[child.parent_id or 0]
        assert parent.order_id == child.order_id and parent.parent_id is None
        assert parent.store_line_id == child.store_line_id


def test_notes_and_their_events(seeded: Seeded) -> None:
    db, _ = seeded
    with db.read() as s:
        notes = s.exec(select(Note)).all()
        events = s.exec(select(Event).where(Event.type == "note_added")).all()
    assert notes and len(events) == len(notes)
    assert {e.params["note_id"] for e in events} == {n.id for n in notes}


def test_the_real_transition_code_moves_seeded_items(seeded: Seeded) -> None:
    db, _ = seeded
    waiting = next(i for i in _items(db) if i.status is S.WAITING_APPROVAL and i.managed)
    with db.write() as s:
        moved = apply_action(s, waiting.id or 0, Action.APPROVE)
    assert moved.status is S.RENDERING and moved.version == waiting.version + 1
    with db.write() as s:  # put it back for the other tests of this module
        s.execute(
            text("UPDATE order_item SET status = 'waiting_approval', version = :v WHERE id = :id"),
            {"v": waiting.version, "id": waiting.id},
        )
        s.execute(text("DELETE FROM event WHERE id = (SELECT max(id) FROM event)"))


def test_raw_sqlite_path_writes_exactly_what_sqlalchemy_writes(tmp_path: Path) -> None:
    fast = open_database(f"sqlite:///{tmp_path / 'fast.db'}")
    core = open_database(f"sqlite:///{tmp_path / 'core.db'}")
    a = seed_demo(fast, orders=120, seed=3, now=NOW)
    b = seed_demo(core, orders=120, seed=3, now=NOW, portable=True)
    assert (a.bulk_path, b.bulk_path) == ("sqlite-executemany", "sqlalchemy-core")
    assert a.counts == b.counts
    fast.dispose()
    core.dispose()
    x = sqlite3.connect(tmp_path / "fast.db")
    y = sqlite3.connect(tmp_path / "core.db")
    for table in (
        "order",
        "order_item",
        "event",
        "submission",
        "submission_item",
        "shipment",
        "note",
        "render_job",
        "print_file",
    ):
        query = f'SELECT * FROM "{table}" ORDER BY rowid'
        assert x.execute(query).fetchall() == y.execute(query).fetchall(), table
    # and the indexes dropped for the bulk load are all back
    index_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    assert x.execute(index_sql).fetchall() == y.execute(index_sql).fetchall()
    assert x.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_same_seed_same_database(tmp_path: Path) -> None:
    dumps = []
    for name in ("a", "b"):
        db = open_database(f"sqlite:///{tmp_path / name}.db")
        seed_demo(db, orders=80, seed=9, now=NOW)
        db.dispose()
        con = sqlite3.connect(tmp_path / f"{name}.db")
        dumps.append(
            [
                con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
                for t in ("order", "order_item", "event")
            ]
        )
    assert dumps[0] == dumps[1]


def test_seeding_twice_refuses_and_reset_empties(db: Database) -> None:
    seed_demo(db, orders=30, seed=1, now=NOW)
    assert demo_is_seeded(db)
    with pytest.raises(DomainError, match="reset"):
        seed_demo(db, orders=30, seed=1, now=NOW)
    reset_demo(db)
    assert not demo_is_seeded(db)
    again = seed_demo(db, items=100, seed=2, now=NOW)
    assert again.items == 100


def test_a_failed_seed_leaves_the_database_empty_with_its_indexes(
    sqlite_db: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's bulk writer (PostgreSQL's seed is one transaction: nothing to leave behind)."""
    db = sqlite_db
    from podtui.demo import writer as demo_writer

    calls = {"n": 0}
    original = demo_writer.SqliteWriter.write

    def broken(self: demo_writer.SqliteWriter, rows: dict, columns: dict) -> None:  # type: ignore[type-arg]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        original(self, rows, columns)

    monkeypatch.setattr(demo_writer.SqliteWriter, "write", broken)
    with pytest.raises(OSError, match="disk full"):
        seed_demo(db, items=300, seed=1, now=NOW, chunk_items=100)
    con = sqlite3.connect(db_path)
    assert con.execute('SELECT count(*) FROM "order"').fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM order_item").fetchone()[0] == 0
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"ix_item_status_created", "ix_event_order_at", "ix_order_created"} <= names
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert con.execute("SELECT count(*) FROM store").fetchone()[0] == 0
    monkeypatch.setattr(demo_writer.SqliteWriter, "write", original)
    assert seed_demo(db, items=300, seed=1, now=NOW).items == 300


def test_the_demo_sandbox_serves_the_same_woocommerce_orders(seeded: Seeded) -> None:
    from podtui.demo.sandboxes import WOO, sandbox_for

    db, _ = seeded
    sandbox = sandbox_for(db)
    assert sandbox is not None and sandbox_for(db) is sandbox
    with db.read() as s:
        store = s.exec(select(Store).where(Store.name == WOO.name)).one()
        orders = s.exec(select(Order).where(Order.store_id == store.id)).all()
        lines = set(
            s.exec(select(OrderItem.store_line_id).where(OrderItem.store_id == store.id)).all()
        )
    assert {int(o.store_order_id) for o in orders} == set(sandbox.woo.orders)
    served = {str(li["id"]) for o in sandbox.woo.orders.values() for li in o["line_items"]}
    assert served == lines
    for order in orders:  # what the demo database keeps is what the store serves
        assert order.raw == sandbox.woo.orders[int(order.store_order_id)]


def test_the_generator_process_writes_the_same_database(tmp_path: Path) -> None:
    dumps = []
    for name, subprocess in (("inproc", False), ("child", True)):
        db = open_database(f"sqlite:///{tmp_path / name}.db")
        report = seed_demo(db, items=1500, seed=4, now=NOW, subprocess=subprocess, chunk_items=400)
        assert report.items == 1500
        db.dispose()
        con = sqlite3.connect(tmp_path / f"{name}.db")
        dumps.append(
            [
                con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall()
                for t in ("order", "order_item", "event", "submission", "shipment")
            ]
        )
    assert dumps[0] == dumps[1]


def _failed_with_orders(db: Database) -> list[tuple[OrderItem, Order, Submission]]:
    with db.read() as s:
        return list(
            s.exec(
                select(OrderItem, Order, Submission)
                .join(Order, col(Order.id) == OrderItem.order_id)
                .join(SubmissionItem, col(SubmissionItem.item_id) == OrderItem.id)
                .join(Submission, col(Submission.id) == SubmissionItem.submission_id)
                .where(col(OrderItem.status) == S.FAILED)
            ).all()
        )


def test_address_refusals_fit_the_address_they_refuse(seeded: Seeded) -> None:
    """No "region required when country is US" on an order shipping to Berlin."""
    address_refusals = 0
    for item, order, sub in _failed_with_orders(seeded[0]):
        message = sub.error_message or ""
        lower = message.lower()
        where = (item.id, order.ship_country, order.ship_state, order.ship_postal_code, message)
        for code in re.findall(r"country is ([A-Z]{2})|\(([A-Z]{2})\)", message):
            assert order.ship_country in code, where
        if "zip" in lower or "postal" in lower:
            address_refusals += 1
            if "required" in lower:
                assert not order.ship_postal_code, where
            else:
                assert order.ship_postal_code in message, where
        if "region" in lower or "state" in lower:
            address_refusals += 1
            if "required" in lower:
                assert not order.ship_state, where
            else:
                assert order.ship_state and order.ship_state in message, where
        if "phone" in lower:
            address_refusals += 1
            assert order.ship_phone and order.ship_phone in message, where
    assert address_refusals  # the demo still shows address refusals to fix


def test_every_item_past_its_render_has_a_print_file(seeded: Seeded) -> None:
    """A Sent item (or Ready, Failed, Fulfilled, or held after its render) has its print file."""
    db, _ = seeded
    with db.read() as s:
        rendered = set(s.exec(select(Event.item_id).where(col(Event.type) == "render_done")).all())
        files = s.exec(select(PrintFile).where(col(PrintFile.current).is_(True))).all()
        stores = {st.id: st for st in s.exec(select(Store)).all()}
        orders = {o.id: o for o in s.exec(select(Order)).all()}
    by_item = {pf.item_id: pf for pf in files}
    assert len(by_item) == len(files), "one current print file per item"
    items = _items(db)
    assert {S.SENT, S.READY, S.FULFILLED} <= {i.status for i in items if i.id in rendered}
    for item in items:
        if item.id not in rendered:
            assert item.id not in by_item, item.id
            continue
        pf = by_item[item.id]
        assert pf.width > 0 and pf.height > 0 and pf.dpi > 0, item.id
        order = orders[item.order_id]
        expected = item_paths(stores[order.store_id], order, item, root=Path("/demo-files"))
        assert Path(pf.path).name == expected.print_file.name, item.id
        assert pf.created_at <= item.updated_at, item.id
