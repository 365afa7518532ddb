"""What belongs to a whole order: archive and unarchive, and the operators' notes.

Works inside the caller's write transaction, like every item use-case (items/actions.py).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from podtui.domain.errors import DomainError, NotFoundError, ValidationError
from podtui.domain.models import (
    Note,
    Order,
    OrderItem,
    utcnow,
)
from podtui.services.items.timeline import current_user, record_event

EVENT_ARCHIVE = "archive"


EVENT_UNARCHIVE = "unarchive"


EVENT_NOTE_ADDED = "note_added"


EVENT_NOTE_EDITED = "note_edited"


EVENT_NOTE_DELETED = "note_deleted"


def _set_archived(session: Session, order_id: int, archived: bool) -> Order:
    result = session.execute(
        update(Order)
        .where(col(Order.id) == order_id, col(Order.archived).is_(not archived))
        .values(archived=archived)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        order = session.get(Order, order_id, populate_existing=True)
        if order is None:
            raise NotFoundError(f"Order {order_id} does not exist (deleted, or another database?)")
        state = "already archived" if archived else "not archived"
        raise DomainError(f"Order {order.name} is {state}. Nothing was done.")
    items = session.execute(
        update(OrderItem)
        .where(col(OrderItem.order_id) == order_id)
        .values(archived=archived, version=OrderItem.version + 1, updated_at=utcnow())
    )
    record_event(
        session,
        EVENT_ARCHIVE if archived else EVENT_UNARCHIVE,
        order_id=order_id,
        params={"items": items.rowcount},  # type: ignore[attr-defined]
    )
    order = session.get(Order, order_id, populate_existing=True)
    assert order is not None
    return order


def archive_order(session: Session, order_id: int) -> Order:
    """Take the order and its items out of the default views; nothing else changes."""
    return _set_archived(session, order_id, True)


def unarchive_order(session: Session, order_id: int) -> Order:
    """Bring an archived order back exactly as it was."""
    return _set_archived(session, order_id, False)


def _note_body(body: str, what: str) -> str:
    text = body.strip()
    if not text:
        raise ValidationError(
            f"The note was not {what}: it is empty.", fields={"body": "a note needs some text"}
        )
    return text


def _load_note(session: Session, note_id: int) -> Note:
    note = session.get(Note, note_id, populate_existing=True)
    if note is None:
        raise NotFoundError(f"Note {note_id} does not exist (deleted by someone else?)")
    return note


def add_note(session: Session, order_id: int, body: str) -> Note:
    """Add the current user's note to the order."""
    text = _note_body(body, "added")
    if session.get(Order, order_id) is None:
        raise NotFoundError(f"Order {order_id} does not exist; the note was not added.")
    note = Note(order_id=order_id, author=current_user(), body=text)
    session.add(note)
    session.flush()
    record_event(session, EVENT_NOTE_ADDED, order_id=order_id, params={"note_id": note.id})
    return note


def edit_note(session: Session, note_id: int, body: str) -> Note:
    """Change a note's text; the old text stays on the timeline."""
    text = _note_body(body, "saved")
    note = _load_note(session, note_id)
    if note.body == text:
        return note
    old = note.body
    note.body = text
    note.updated_at = utcnow()
    session.add(note)
    record_event(
        session,
        EVENT_NOTE_EDITED,
        order_id=note.order_id,
        params={"note_id": note_id, "old": old, "new": text},
    )
    session.flush()
    return note


def delete_note(session: Session, note_id: int) -> None:
    """Delete a note; its author and text stay on the timeline."""
    note = _load_note(session, note_id)
    record_event(
        session,
        EVENT_NOTE_DELETED,
        order_id=note.order_id,
        params={"note_id": note_id, "author": note.author, "body": note.body},
    )
    session.delete(note)
    session.flush()
