"""The store's own record of an order on podtui's timeline: WooCommerce's order notes (status
changes, payment gateways, staff) and Shopify's order events, each once, as `store_note` events
with the store's author and time.

An ordinary (incremental) sync reads them for the orders that changed in it, at most
NOTES_PER_SYNC orders a sync so a busy store's sync stays short; the details screen's ctrl+r
reads one order's. A full import reads none (thousands of old orders, one request each).
podtui's own writes are left out: they are on the timeline already as what podtui did (a note
carrying podtui's key; a Shopify event of podtui's own app, which the adapter drops).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from podtui.adapters.http import ApiError
from podtui.adapters.stores.base import StoreAdapter, StoreNote
from podtui.db import Database
from podtui.domain.models import Event
from podtui.services.items.timeline import record_event

EVENT_STORE_NOTE = "store_note"
NOTES_PER_SYNC = 50
PODTUI_MARK = "(podtui-"  # what podtui writes into a note it posts (store_ops/writes)


def record_store_notes(session: Session, order_id: int, notes: Iterable[StoreNote]) -> int:
    """Put the notes not on the order's timeline yet there; how many were new."""
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
        if note.store_note_id in seen or PODTUI_MARK in note.body:
            continue  # on the timeline already, or podtui's own (store_note_posted)
        seen.add(note.store_note_id)
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


async def read_store_notes(
    db: Database, adapter: StoreAdapter, orders: list[tuple[int, str, str]]
) -> tuple[int, list[str]]:
    """Read and record the notes of these (order id, store order id, name); the new ones, and
    why an order's could not be read (the sync itself goes on)."""
    new = 0
    problems: list[str] = []
    for order_id, store_order_id, name in orders[:NOTES_PER_SYNC]:
        try:
            notes = await adapter.list_notes(store_order_id)
        except ApiError as exc:
            problems.append(f"the store's notes of {name} were not read: {exc.message}")
            continue
        if not notes:
            continue
        with db.write() as session:
            new += record_store_notes(session, order_id, notes)
    if len(orders) > NOTES_PER_SYNC:
        problems.append(
            f"the store's notes of {len(orders) - NOTES_PER_SYNC} more changed orders were "
            "not read in this sync (ctrl+r on an order reads its own)"
        )
    return new, problems
