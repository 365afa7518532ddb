"""Stores on loopback for the store-side operations: a WooCommerce and a Shopify sandbox, each
with a store row whose secret is in the test keyring, and the orders synced in the real way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import col, select

from podtui.adapters.credentials import set_secret
from podtui.db import Database
from podtui.domain.models import Event, Order, Store, StoreWrite
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.shopify import SandboxShopify
from podtui.services.sync.pull import SyncOptions, sync_store_async
from tests.adapters.stores.shopify_support import TOKEN, shop
from tests.adapters.stores.woo_support import loopback_store


@pytest.fixture
def woo_store(db: Database, woo_url: str) -> Store:
    return loopback_store(db, woo_url)


@pytest.fixture
def shopify() -> SandboxShopify:
    return shop()


@pytest.fixture
def shopify_url(shopify: SandboxShopify) -> Iterator[str]:
    with serve_loopback(shopify.handler) as url:
        yield url


@pytest.fixture
def shopify_store(db: Database, shopify_url: str) -> Store:
    set_secret("shopify", "Loopback Shopify", TOKEN)
    with db.write() as session:
        row = Store(name="Loopback Shopify", kind="shopify", base_url=shopify_url)
        session.add(row)
    return row


async def synced(db: Database, store: Store, store_order_id: str) -> Order:
    """Sync the store and return the order row."""
    report = await sync_store_async(db, store, SyncOptions(mode="all"))
    assert report.ok, report.error
    with db.read() as session:
        return session.exec(
            select(Order).where(Order.store_id == store.id, Order.store_order_id == store_order_id)
        ).one()


def order_of(db: Database, order_id: int) -> Order:
    with db.read() as session:
        order = session.get(Order, order_id)
        assert order is not None
        return order


def events_of(db: Database, order_id: int, *types: str) -> list[Event]:
    with db.read() as session:
        rows = session.exec(
            select(Event).where(Event.order_id == order_id).order_by(col(Event.id))
        ).all()
    return [e for e in rows if not types or e.type in types]


def writes_of(db: Database, order_id: int) -> list[StoreWrite]:
    with db.read() as session:
        return list(
            session.exec(
                select(StoreWrite)
                .where(StoreWrite.order_id == order_id)
                .order_by(col(StoreWrite.id))
            ).all()
        )


def snapshot(order: Order) -> dict[str, Any]:
    """What a refused change must leave as it was."""
    return order.model_dump(exclude={"synced_at"})
