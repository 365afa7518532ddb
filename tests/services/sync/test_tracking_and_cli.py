"""Tracking back to the store, and `podtui sync` end to end on a loopback store."""

from __future__ import annotations

import os
import pty
import select as io_select

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from podtui.cli import main
from podtui.db import Database
from podtui.domain.models import Event, Order, OrderItem, Shipment, Store, SyncProblem
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import Fault
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.items import shipping as item_shipping
from podtui.services.sync.pull import SyncOptions, sync_store_async
from podtui.services.sync.tracking_push import push_shipments
from tests.adapters.stores.woo_support import woo_order
from tests.conftest import MemoryKeyring

pytestmark = pytest.mark.usefixtures("store")


def fulfil(db: Database, store_order_id: str, tracking: str = "1Z999AA10123456784") -> int:
    """Fulfil the order's managed item with tracking (sent by hand to the in-house printer)."""
    with db.write() as session:
        order = session.exec(select(Order).where(Order.store_order_id == store_order_id)).one()
        item = session.exec(
            select(OrderItem).where(OrderItem.order_id == order.id, col(OrderItem.managed))
        ).one()
        assert item.id is not None
        session.execute(
            update(OrderItem).where(col(OrderItem.id) == item.id).values(status=ItemStatus.SENT)
        )
        item_shipping.mark_fulfilled(session, item.id, "UPS", tracking, "https://ups.test/t")
        return item.id


async def test_tracking_reaches_the_store_once(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1))
    await sync_store_async(db, store)
    fulfil(db, "1")
    for _ in range(2):
        report = await sync_store_async(db, store, SyncOptions(), push=True)
        assert report.ok, report.error
    notes = [n for n in woo.notes[1] if "1Z999AA10123456784" in n["note"]]
    assert len(notes) == 1
    assert woo.orders[1]["status"] == "completed"  # every produced item of it has shipped
    with db.read() as session:
        shipment = session.exec(select(Shipment)).one()
        assert shipment.pushed_to_store_at is not None
        pushed = session.exec(select(Event).where(Event.type == "tracking_pushed")).all()
    assert len(pushed) == 1


async def test_a_failed_push_is_kept_and_retried(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1))
    await sync_store_async(db, store)
    fulfil(db, "1")
    woo.inject(Fault("status", 403, path="/notes", body={"code": "woocommerce_rest_cannot_create",
                     "message": "Sorry, you are not allowed to create resources.",
                     "data": {"status": 403}}))  # fmt: skip
    report = await sync_store_async(db, store, push=True)
    assert report.ok and report.tracking_failed == 1
    with db.read() as session:
        (problem,) = session.exec(select(SyncProblem)).all()
        assert "tracking push failed" in problem.reason and "not allowed" in problem.reason
        assert session.exec(select(Shipment)).one().pushed_to_store_at is None
    report = await sync_store_async(db, store, push=True)
    assert report.tracking_pushed == 1
    with db.read() as session:
        assert session.exec(select(SyncProblem)).one().resolved


def test_cli_syncs_and_summarises(
    database_url: str, woo: SandboxWooStore, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(1, 151):
        woo.add_order(woo_order(i))
    woo.orders[9]["total"] = "??"
    assert main(["--db", database_url, "sync", "--all"]) == 0
    out, err = capsys.readouterr()
    assert "Loopback Woo: 149 orders read, 149 new" in out.strip().splitlines()[-1]
    assert "problem: Loopback Woo: order 9: unreadable WooCommerce order" in err
    assert main(["--db", database_url, "sync", "--store", "loopback woo", "--no-push"]) == 0
    assert "0 new, 0 changed" in capsys.readouterr().out


def test_podtui_sync_carries_tracking_to_the_store_and_no_push_does_not(
    db: Database, database_url: str, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1))
    woo.add_order(woo_order(2))
    assert main(["--db", database_url, "sync"]) == 0
    fulfil(db, "1")
    assert main(["--db", database_url, "sync", "--no-push"]) == 0
    assert not [n for n in woo.notes.get(1, []) if "1Z999AA10123456784" in n["note"]]
    assert main(["--db", database_url, "sync"]) == 0  # pushes tracking by default
    assert len([n for n in woo.notes[1] if "1Z999AA10123456784" in n["note"]]) == 1


def test_cli_exit_codes(
    database_url: str, woo: SandboxWooStore, capsys: pytest.CaptureFixture[str]
) -> None:
    woo.add_order(woo_order(1))
    woo.inject(Fault("status", 500, path="/orders", times=99))
    assert main(["--db", database_url, "sync", "--ids", "1"]) == 1
    assert "FAILED" in capsys.readouterr().out
    assert main(["--db", database_url, "sync", "--store", "Nope"]) == 2
    assert "No store named Nope" in capsys.readouterr().err
    for bad in (["--ids", "1,x"], ["--since", "last tuesday"], ["--until", "2026-01-01"],
                ["--all", "--ids", "1"]):  # fmt: skip
        with pytest.raises(SystemExit) as info:
            main(["--db", database_url, "sync", *bad])
        assert info.value.code == 2


def test_cli_shows_progress_on_a_terminal(
    database_url: str,
    woo: SandboxWooStore,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for i in range(1, 251):
        woo.add_order(woo_order(i))
    master, slave = pty.openpty()
    terminal = os.fdopen(slave, "w", buffering=1)
    monkeypatch.setattr("sys.stderr", terminal)
    try:
        assert main(["--db", database_url, "sync", "--all"]) == 0
    finally:
        terminal.flush()
    shown = b""
    while True:
        ready, _, _ = io_select.select([master], [], [], 0.2)
        if not ready:
            break
        chunk = os.read(master, 65536)
        if not chunk:
            break
        shown += chunk
    terminal.close()
    os.close(master)
    assert b"syncing Loopback Woo" in shown
    assert "250 orders read, 250 new" in capsys.readouterr().out


async def test_new_shipments_are_pushed_at_once_and_only_once(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    """A vendor poll or webhook that fulfils an item pushes its tracking without waiting a sync."""
    woo.add_order(woo_order(1))
    await sync_store_async(db, store)
    fulfil(db, "1")
    with db.read() as session:
        shipment_id = session.exec(select(Shipment)).one().id
    assert shipment_id is not None
    first = await push_shipments(db, [shipment_id])
    again = await push_shipments(db, [shipment_id])
    assert (first.pushed, first.failed, again.pushed) == (1, 0, 0)
    assert len([n for n in woo.notes[1] if "1Z999AA10123456784" in n["note"]]) == 1
    assert woo.orders[1]["status"] == "completed"


async def test_a_store_without_credentials_waits_for_the_next_sync(
    db: Database, store: Store, woo: SandboxWooStore, keyring_backend: MemoryKeyring
) -> None:
    woo.add_order(woo_order(1))
    await sync_store_async(db, store)
    fulfil(db, "1")
    keyring_backend.secrets.clear()
    with db.read() as session:
        shipment_id = session.exec(select(Shipment)).one().id
    assert shipment_id is not None
    report = await push_shipments(db, [shipment_id])
    assert report.pushed == 0 and "podtui connect woocommerce" in report.messages[0]
    assert woo.notes.get(1, []) == []
    with db.read() as session:
        assert session.exec(select(Shipment)).one().pushed_to_store_at is None
