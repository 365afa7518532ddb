"""Notes to the store, and the store's own notes on the timeline.

Notes stay local by default (services/items/orders.add_note); one the operator posts to the store
goes through `store_write`: a WooCommerce order note, private or to the customer (WooCommerce
e-mails it), or a line added to a Shopify order's note (staff only). The note carries a short
reference to podtui's key, so a lost answer is settled by finding it. Once the store accepted, the
note is kept locally too, with its timeline event.

The store's notes (WooCommerce's order notes: status changes, payment gateways, staff) come onto
the timeline as `store_note` events, once each, when the order is re-synced from its page.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from podtui.adapters.stores.base import StoreAdapter, WriteReceipt
from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Event, Note, Order, Store
from podtui.services.connections.reach import REAL, Reach
from podtui.services.items.timeline import current_user, record_event
from podtui.services.store_ops.writes import (
    Operation,
    WriteOutcome,
    read_target,
    register,
    store_write,
)

EVENT_STORE_NOTE = "store_note"
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
    (the store's `notify_customer` setting; off when unset)."""
    return bool(store is not None and (store.settings or {}).get("notify_customer", False))


def check_note(body: str, to_customer: bool, store: Store) -> str:
    """The note's text, or ValidationError / DomainError before anything is sent."""
    text = body.strip()
    if not text:
        raise ValidationError("Write the note first.", fields={"body": "the note is empty"})
    if len(text) > MAX_NOTE:
        raise ValidationError(
            f"The note is {len(text):,} characters long; keep it under {MAX_NOTE:,}.",
            fields={"body": "too long"},
        )
    if to_customer and not can_notify_customer(store):
        raise DomainError(
            f"{store.name} keeps no notes to the customer (Shopify's order note is for staff "
            "only); post it as a private note."
        )
    return text


def post_note(
    db: Database, order_id: int, body: str, *, to_customer: bool, reach: Reach = REAL
) -> WriteOutcome:
    """Post a note to the order at its store (see the module); it is kept here as well."""
    store = read_target(db, order_id).store
    text = check_note(body, to_customer, store)
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
        seen = {
            str((params or {}).get("store_ref"))
            for params in session.exec(
                select(Event.params).where(
                    col(Event.order_id) == order_id, col(Event.type) == EVENT_STORE_NOTE
                )
            ).all()
        }
        new = 0
        for note in notes:
            if note.store_note_id in seen or "(podtui-" in note.body:
                continue  # on the timeline already, or podtui's own (store_note_posted)
            event = record_event(
                session,
                EVENT_STORE_NOTE,
                order_id=order_id,
                params={
                    "body": note.body,
                    "store_ref": note.store_note_id,
                    "to_customer": note.to_customer,
                },
                user=note.author,
            )
            event.at = note.at
            new += 1
    return new
