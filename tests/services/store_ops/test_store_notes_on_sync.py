"""The store's own notes (WooCommerce order notes) and Shopify's order events come onto the
timeline during an ordinary (incremental) sync of the orders that changed, each once; podtui's
own are left out, and a full import asks for none."""

from __future__ import annotations

from datetime import timedelta

from podtui.db import Database
from podtui.domain.models import Store
from podtui.sandbox.shopify import SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.store_ops.payment import mark_paid
from podtui.services.sync.pull import SyncOptions, sync_store_async
from tests.adapters.stores.shopify_support import rest_order
from tests.adapters.stores.woo_support import Clock, woo_order
from tests.services.store_ops.conftest import events_of, synced


async def _incremental(db: Database, store: Store) -> int:
    report = await sync_store_async(db, store, SyncOptions(mode="incremental"))
    assert report.ok, report.error
    return report.store_notes


async def test_woocommerce_notes_of_changed_orders_come_in_once(
    db: Database, woo: SandboxWooStore, woo_store: Store, clock: Clock
) -> None:
    woo.add_order(woo_order(1, status="processing"))
    woo.add_note(1, "Payment via Stripe (ch_1).")
    order = await synced(db, woo_store, "1")  # a full import reads no notes
    assert order.id is not None
    assert not [r for r in woo.requests if r.url.path.endswith("/notes")]
    clock.now += timedelta(minutes=5)
    woo.add_note(1, "Call before delivery.", author="Grace")
    woo.update_order(1, status="completed")  # WooCommerce notes the change itself
    assert await _incremental(db, woo_store) == 3
    notes = events_of(db, order.id, "store_note")
    assert [n.params["body"] for n in notes] == [
        "Payment via Stripe (ch_1).",
        "Call before delivery.",
        "Order status changed from Processing to Completed.",
    ]
    assert notes[1].user == "Grace"
    clock.now += timedelta(minutes=5)
    woo.update_order(1, customer_note="Leave at the door")
    assert await _incremental(db, woo_store) == 0  # each note once
    assert len(events_of(db, order.id, "store_note")) == 3


async def test_shopify_events_come_in_and_podtuis_own_are_left_out(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, financial_status="pending"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    mark_paid(db, order.id)  # Shopify records it as an event of podtui's app
    shopify.add_event(1001, "Grace Hopper edited the shipping address.", action="update")
    shopify.update_order(1001, note="Gift wrap")
    assert await _incremental(db, shopify_store) == 1
    (event,) = events_of(db, order.id, "store_note")
    assert event.params["body"] == "Grace Hopper edited the shipping address."
    assert event.user == "Shopify"
    assert await _incremental(db, shopify_store) == 0
