"""Notes to the store, and the store's own notes on the timeline.

Notes stay local by default (services/items/orders.add_note); one the operator posts to the store
goes through `store_write`: a WooCommerce order note, private or to the customer (WooCommerce
e-mails it), or a line added to a Shopify order's note (staff only). The note carries a short
reference to podtui's key, so a lost answer is settled by finding it. Once the store accepted, the
note is kept locally too, with its timeline event.

The store's notes (WooCommerce's order notes: status changes, payment gateways, staff; Shopify's
order events) come onto the timeline as `store_note` events, once each, in every ordinary sync
of an order that changed (services/sync/store_notes.py) and when the order is re-synced from its
page (`pull_store_notes`).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from podtui.adapters.stores.base import StoreAdapter, WriteReceipt
from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Note, Order, Store
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.store_settings import notify_customer
from podtui.services.items.timeline import current_user
from podtui.services.store_ops.writes import (
    Operation,
    WriteOutcome,
    read_target,
    register,
    store_write,
)
from podtui.services.sync.store_notes import record_store_notes

MAX_NOTE = 4000  # characters: a note, not a document
# Stores whose notes can go to the customer (the store e-mails them).
CUSTOMER_NOTES = frozenset({"woocommerce"})


async def _perform(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt:
    return await adapter.post_note(
        store_order_id, params["body"], key, to_customer=bool(params["to_customer"])
    )


async def _find(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt | None:
    return await adapter.find_note(store_order_id, key)


def _apply(
    session: Session, order: Order, receipt: WriteReceipt, params: dict[str, Any]
) -> dict[str, Any]:
    assert order.id is not None
    note = Note(order_id=order.id, author=current_user(), body=params["body"])
    session.add(note)
    session.flush()
    return {"note_id": note.id}


NOTE = register(
    Operation(
        name="note",
        label="add the note",
        event="store_note_posted",
        perform=_perform,
        find=_find,
        apply=_apply,
    )
)


def can_notify_customer(store: Store | None) -> bool:
    return store is not None and store.kind in CUSTOMER_NOTES


def notify_default(store: Store | None) -> bool:
    """Whether a note or change is announced to the customer unless the operator says otherwise
    (the store's `notify_customer` setting, services/connections/store_settings; off unset)."""
    return notify_customer(store)


def check_note(body: str, to_customer: bool, store: Store) -> str:
    """The note's text, or ValidationError / DomainError before anything is sent."""
    text = check_text(body)
    if to_customer and not can_notify_customer(store):
        raise DomainError(
            f"{store.name} keeps no notes to the customer (Shopify's order note is for staff "
            "only); post it as a private note."
        )
    return text


def check_text(body: str) -> str:
    """The note's text, stripped; ValidationError when it is empty or too long."""
    text = body.strip()
    if not text:
        raise ValidationError("Write the note first.", fields={"body": "the note is empty"})
    if len(text) > MAX_NOTE:
        raise ValidationError(
            f"The note is {len(text):,} characters long; keep it under {MAX_NOTE:,}.",
            fields={"body": "too long"},
        )
    return text


def check_post(db: Database, order_id: int, body: str, *, to_customer: bool) -> str:
    """`check_note` for the order's store: what a caller asks before it asks for a yes."""
    return check_note(body, to_customer, read_target(db, order_id).store)


def post_note(
    db: Database, order_id: int, body: str, *, to_customer: bool, reach: Reach = REAL
) -> WriteOutcome:
    """Post a note to the order at its store (see the module); it is kept here as well."""
    text = check_post(db, order_id, body, to_customer=to_customer)
    return store_write(
        db,
        order_id,
        NOTE,
        {"body": text, "to_customer": to_customer},
        notify=to_customer,
        reach=reach,
    )


def pull_store_notes(db: Database, order_id: int, *, reach: Reach = REAL) -> int:
    """Put the store's notes on the order's timeline, each once; how many were new."""
    target = read_target(db, order_id)
    notes = target.ask(
        lambda adapter, store_order_id: adapter.list_notes(store_order_id),
        failed=f"give the notes of {target.order_name}",
        reach=reach,
    )
    with db.write() as session:
        return record_store_notes(session, order_id, notes)
