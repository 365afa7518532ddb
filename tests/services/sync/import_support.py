"""What the import tests share, from the service and from the Sync screen: a month of orders at
the sandbox store, how many podtui holds, and a store whose later pages wait for a gate (so an
import can be stopped part-way). Registered as a plugin in tests/conftest.py."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import func, select

from podtui.db import Database
from podtui.domain.models import Order
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.woocommerce import SandboxWooStore
from tests.adapters.stores.woo_support import loopback_store, woo_order

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def fill(woo: SandboxWooStore, n: int) -> None:
    """`n` orders at the store, one every three hours from 2026-11-01 09:00 UTC (250: a month)."""
    for i in range(1, n + 1):
        woo.add_order(woo_order(i, minutes=(i - 1) * 180))


def order_count(db: Database) -> int:
    with db.read() as session:
        return int(session.exec(select(func.count()).select_from(Order)).one())


@pytest.fixture
def gated(db: Database, woo: SandboxWooStore) -> Iterator[threading.Event]:
    """The store answers the first page at once and every later one once the gate opens."""
    gate = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page", "1") != "1":
            gate.wait(30)
        return woo.handler(request)

    with serve_loopback(handler) as url:
        loopback_store(db, url)
        yield gate
    gate.set()
