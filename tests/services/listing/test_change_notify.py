"""PostgreSQL: the list hears other machines' changes through LISTEN/NOTIFY, one notification per
committed transaction (however many rows it changed), none for a rolled-back one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from sqlalchemy import update
from sqlmodel import col

from podtui.db import Database, open_database
from podtui.domain.models import Event, Order, OrderItem, Store
from podtui.services.listing.reader import CHANGES_CHANNEL, ChangeWatcher, ListReader
from tests import postgres_support

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def pg(worker_id: str) -> Iterator[Database]:
    server = postgres_support.server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers (set PODTUI_TEST_DATABASE_URL)")
    name = f"podtui_notify_{worker_id}_{os.getpid()}"
    with postgres_support.scratch_database(server, name) as url:
        db = open_database(url)
        with db.write() as s:
            store = Store(name="Shop", kind="shopify")
            s.add(store)
            s.flush()
            order = Order(store_id=store.id, store_order_id="1", name="#1", created_at=NOW)
            s.add(order)
            s.flush()
            for n in range(50):
                s.add(
                    OrderItem(
                        order_id=order.id,
                        store_id=store.id,
                        title=f"Mug {n}",
                        quantity=1,
                        order_created_at=NOW,
                    )
                )
        yield db
        db.dispose()


def _bulk_change(db: Database) -> None:
    """What a bulk action on another machine does: 50 items and 50 events, one transaction."""
    with db.write() as s:
        s.execute(update(OrderItem).where(col(OrderItem.id) > 0).values(hold_reason="checking"))
        for item_id in range(1, 51):
            s.add(Event(item_id=item_id, type="note", user="other-machine"))


def test_one_notification_per_committed_transaction_none_for_a_rollback(pg: Database) -> None:
    proxy = pg.engine.raw_connection()
    listener = proxy.driver_connection
    assert isinstance(listener, psycopg.Connection)
    proxy.detach()
    listener.autocommit = True
    try:
        listener.execute(f"LISTEN {CHANGES_CHANNEL}")
        _bulk_change(pg)  # 100 rows changed: one notification
        with pytest.raises(RuntimeError), pg.write() as s:  # rolled back: none
            s.add(Event(item_id=1, type="note", user="other-machine"))
            s.flush()
            raise RuntimeError("the operator's action failed half way")
        with pg.write() as s:  # a fence: its notification comes after every earlier one
            s.add(Event(item_id=2, type="note", user="other-machine"))
        heard = list(listener.notifies(timeout=30, stop_after=2))
        listener.execute("SELECT 1")  # anything sent before the fence is in the backlog now
        heard += list(listener.notifies(timeout=0))
        assert len(heard) == 2
    finally:
        listener.close()


def test_the_list_watcher_sees_another_machines_change_once(pg: Database) -> None:
    reader = ListReader(pg.url)
    watcher = ChangeWatcher(reader)
    try:
        assert watcher.changed() is False  # the first look starts listening
        assert watcher.changed() is False
        other = Database(pg.url)  # another podtui, as on another machine
        try:
            _bulk_change(other)
        finally:
            other.dispose()
        assert watcher.changed() is True
        assert watcher.changed() is False  # heard once
    finally:
        watcher.close()
        reader.close()
