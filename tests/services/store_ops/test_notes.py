"""Notes posted to the store through its API, exactly once, and the store's notes on the
timeline."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Note, Store
from podtui.sandbox.http import Fault
from podtui.sandbox.shopify import GraphQLFault, SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.store_ops.notes import post_note, pull_store_notes
from podtui.services.store_ops.writes import StoreRefusedError
from tests.adapters.stores.shopify_support import rest_order
from tests.adapters.stores.woo_support import woo_order
from tests.services.store_ops.conftest import events_of, synced, writes_of


def notes_of(db: Database, order_id: int) -> list[Note]:
    with db.read() as session:
        return list(session.exec(select(Note).where(Note.order_id == order_id)).all())


def store_notes(woo: SandboxWooStore, order_id: int = 1) -> list[dict[str, object]]:
    return [n for n in woo.notes[order_id] if "(podtui-" in str(n["note"])]


async def test_a_private_note_and_a_note_to_the_customer_reach_woocommerce(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    first = post_note(db, order.id, "  Reprint ordered  ", to_customer=False)
    post_note(db, order.id, "Your order ships Monday.", to_customer=True)
    private, public = store_notes(woo)
    assert private["note"] == f"Reprint ordered\n({first.key[:15]})"
    assert (private["customer_note"], public["customer_note"]) == (False, True)
    assert [n.body for n in notes_of(db, order.id)] == [
        "Reprint ordered",
        "Your order ships Monday.",
    ]
    posted = events_of(db, order.id, "store_note_posted")
    assert [e.params["notify"] for e in posted] == [False, True]
    assert posted[0].params["store_ref"] == str(private["id"]) and posted[0].user == "tester"


async def test_two_identical_notes_asked_one_after_the_other_both_go(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    post_note(db, order.id, "Called the customer", to_customer=False)
    post_note(db, order.id, "Called the customer", to_customer=False)
    assert len(store_notes(woo)) == 2
    assert len(notes_of(db, order.id)) == 2


async def test_a_note_whose_answer_was_lost_is_found_not_posted_twice(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    woo.inject(Fault(kind="drop_after", method="POST", path="/orders/1/notes"))
    outcome = post_note(db, order.id, "Reprint ordered", to_customer=False)
    assert outcome.found_after_lost_answer
    assert len(store_notes(woo)) == 1
    assert len(notes_of(db, order.id)) == 1


async def test_the_stores_refusal_keeps_nothing_here(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    woo.read_only = True
    with pytest.raises(StoreRefusedError, match="not allowed to create resources"):
        post_note(db, order.id, "Reprint ordered", to_customer=False)
    assert notes_of(db, order.id) == [] and store_notes(woo) == []
    assert [w.state for w in writes_of(db, order.id)] == ["refused"]


async def test_bad_notes_are_refused_before_anything_is_sent(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    asked = len(shopify.requests)
    with pytest.raises(ValidationError, match="Write the note first"):
        post_note(db, order.id, "   ", to_customer=False)
    with pytest.raises(ValidationError, match="keep it under"):
        post_note(db, order.id, "x" * 5000, to_customer=False)
    with pytest.raises(DomainError, match="for staff only"):
        post_note(db, order.id, "Hello", to_customer=True)
    assert len(shopify.requests) == asked and writes_of(db, order.id) == []


async def test_shopify_adds_the_note_to_the_orders_note_once_after_a_lost_answer(
    db: Database, shopify: SandboxShopify, shopify_store: Store
) -> None:
    shopify.add_order(rest_order(1, note="Gift wrap please"))
    order = await synced(db, shopify_store, "1001")
    assert order.id is not None
    shopify.inject(GraphQLFault(kind="drop_after", operation="mutation OrderUpdate"))
    outcome = post_note(db, order.id, "Reprint ordered", to_customer=False)
    assert outcome.found_after_lost_answer
    note = shopify.orders[1001]["note"]
    assert note == f"Gift wrap please\n\nReprint ordered ({outcome.key[:15]})"
    assert len(events_of(db, order.id, "store_note_posted")) == 1


async def test_the_stores_own_notes_come_onto_the_timeline_once(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    woo.add_order(woo_order(1))
    order = await synced(db, woo_store, "1")
    assert order.id is not None
    woo.add_note(1, "Stripe charge complete (Charge ID: ch_1)")
    woo.add_note(1, "Your parcel is on its way", customer_note=True, author="Mia")
    post_note(db, order.id, "ours", to_customer=False)
    assert pull_store_notes(db, order.id) == 2
    assert pull_store_notes(db, order.id) == 0
    got = events_of(db, order.id, "store_note")
    assert [(e.user, e.params["body"], e.params["to_customer"]) for e in got] == [
        ("system", "Stripe charge complete (Charge ID: ch_1)", False),
        ("Mia", "Your parcel is on its way", True),
    ]
