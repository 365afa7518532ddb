"""The demo: Ready items go to the sandbox Printify, and start-up recovery settles its history."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import col, select

from podtui.db import Database, open_database
from podtui.demo import sandboxes as demo_sandbox
from podtui.demo.seed import seed_demo
from podtui.domain.models import OrderItem, PrintFile, Submission, Vendor
from podtui.domain.status import ItemStatus as S
from podtui.services.connections.vendors import connector
from podtui.services.sending.fulfil import send_items
from podtui.services.sending.recovery import recover

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def demo_db(tmp_path: Path) -> Database:
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    seed_demo(db, orders=300, seed=5, now=NOW, hotfolder_path=str(tmp_path / "hot"))
    return db


def printify_items(db: Database, status: S) -> list[int]:
    with db.read() as s:
        return [
            int(i or 0)
            for i in s.exec(
                select(OrderItem.id)
                .join(Vendor, col(Vendor.id) == col(OrderItem.vendor_id))
                .where(col(Vendor.kind) == "printify", col(OrderItem.status) == status)
            ).all()
        ]


def test_demo_ready_items_are_rendered_and_sent_to_the_sandbox(tmp_path: Path) -> None:
    db = demo_db(tmp_path)
    try:
        ready = printify_items(db, S.READY)
        assert ready
        outcome = send_items(db, ready, connect=connector(demo_sandbox.demo_reach(db)))
        # Each went, or says why its file cannot be made (a name no demo font can draw).
        assert outcome.done and not outcome.failed
        assert sorted([*outcome.done, *outcome.skipped]) == sorted(ready)
        assert all(why.startswith("cannot render") for why in outcome.skipped.values())
        with db.read() as s:
            files = s.exec(select(PrintFile).where(col(PrintFile.item_id).in_(ready))).all()
        # Rendered on the spot (the demo's rows name files its history rendered elsewhere).
        assert {f.item_id for f in files if Path(f.path).is_file()} == set(outcome.done)
        sandbox = demo_sandbox.sandbox_for(db)
        assert sandbox is not None
        with db.read() as s:
            keys = {
                sub.idempotency_key
                for sub in s.exec(
                    select(Submission).where(col(Submission.state).in_(("sent", "sending")))
                ).all()
            }
        counts = sandbox.printify.orders_by_external_id()
        assert all(n == 1 for n in counts.values()) and set(counts) <= keys
    finally:
        db.dispose()


def test_demo_submissions_left_in_sending_are_found_at_the_sandbox(tmp_path: Path) -> None:
    db = demo_db(tmp_path)
    try:
        sending = printify_items(db, S.SENDING)
        assert sending, "the demo history has a Printify submission left in Sending"
        report = recover(db, older_than=0, connect=connector(demo_sandbox.demo_reach(db)))
        # Printify's was at the sandbox (found and finished); the others are found or, never
        # having arrived, rendered and sent now: none fails, none is left.
        assert report.found and not report.failed and not report.left, report.lines()
        with db.read() as s:
            now = s.exec(select(OrderItem.status).where(col(OrderItem.id).in_(sending))).all()
        assert set(now) == {S.SENT}
        sandbox = demo_sandbox.sandbox_for(db)
        assert sandbox is not None
        statuses = [o["status"] for o in sandbox.printify.orders.values()]
        assert "sending-to-production" in statuses
        # The demo's earlier sends are at the sandbox too, under their recorded ids (for polls).
        with db.read() as s:
            sent = s.exec(
                select(Submission)
                .join(Vendor, col(Vendor.id) == col(Submission.vendor_id))
                .where(Vendor.kind == "printify", Submission.state == "sent")
            ).all()
        assert sent and all(
            sub.vendor_order_id in sandbox.printify.orders for sub in sent
        )  # recovery finished the half-done order
    finally:
        db.dispose()
