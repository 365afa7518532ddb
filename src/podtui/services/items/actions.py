"""What an operator does to orders and items: approve, hold, split, edit, archive, notes ...

Each function works inside the caller's `db.write()` transaction: it moves an item only through
`apply_action` (rule check, compare-and-set, one event) and raises a DomainError subclass whose
message an operator can act on. Input is checked before anything is written, so a refusal saves
nothing. The optional `expected` argument is the status the caller showed the operator: when
another operator moved the item meanwhile, the call fails with ConcurrentChangeError instead of
acting on an item the operator did not see.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import update
from sqlmodel import Session, col, select

from podtui.domain.address import (
    ADDRESS_FIELDS,
    ORDER_COLUMNS,
    ShippingAddress,
    clean_address,
    validate_address,
)
from podtui.domain.errors import ConcurrentChangeError, DomainError, NotFoundError, ValidationError
from podtui.domain.models import (
    Artwork,
    Note,
    Order,
    OrderItem,
    PrintFile,
    ProductMapping,
    RenderJob,
    Shipment,
    utcnow,
)
from podtui.domain.status import Action, ItemStatus, is_allowed
from podtui.services.items.timeline import current_user, record_event
from podtui.services.items.transitions import apply_action, check_allowed, describe_item, load_item

Scope = Literal["item", "variant", "listing"]

# Timeline event types that are not item transitions.
EVENT_SPLIT_FROM = "split_from"
EVENT_ARCHIVE = "archive"
EVENT_UNARCHIVE = "unarchive"
EVENT_NOTE_ADDED = "note_added"
EVENT_NOTE_EDITED = "note_edited"
EVENT_NOTE_DELETED = "note_deleted"

# Items whose vendor already holds (or is being handed) the address: an edit here does not reach it.
AT_VENDOR_STATUSES: tuple[ItemStatus, ...] = (
    ItemStatus.SENDING,
    ItemStatus.SENT,
    ItemStatus.IN_PRODUCTION,
)

# Items that a variant- or listing-wide artwork link moves along with the one the operator chose.
_LINKABLE_STATUSES: tuple[ItemStatus, ...] = (
    ItemStatus.MISSING_ARTWORK,
    ItemStatus.WAITING_APPROVAL,
)

# Columns a split copy does not take from the original.
_SPLIT_FRESH = {"id", "parent_id", "quantity", "version", "created_at", "updated_at"}


@dataclass
class ShippingEditResult:
    """The order after a shipping edit, and its items whose vendor still has the old address."""

    order: Order
    at_vendor_item_ids: list[int]
    changed: bool = True


# --- render ------------------------------------------------------------------------------


def _queue_render(session: Session, item_id: int) -> RenderJob:
    """A queued render job for the item (the one already waiting, if there is one)."""
    waiting = session.exec(
        select(RenderJob).where(RenderJob.item_id == item_id, RenderJob.state == "queued")
    ).first()
    if waiting is not None:
        return waiting
    job = RenderJob(item_id=item_id, state="queued")
    session.add(job)
    session.flush()
    return job


def approve(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Approve the design: the item goes to rendering and a render job is queued."""
    item = apply_action(session, item_id, Action.APPROVE, expected=expected)
    _queue_render(session, item_id)
    return item


def regenerate(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Render the print file again (in place for sent/fulfilled items: never re-sent)."""
    item = apply_action(session, item_id, Action.REGENERATE, expected=expected)
    _queue_render(session, item_id)
    return item


# --- parking: hold, ignore, cancel -------------------------------------------------------


def hold(
    session: Session, item_id: int, reason: str, *, expected: ItemStatus | None = None
) -> OrderItem:
    """Put the item on hold with the operator's reason (it stops any auto-submit countdown)."""
    why = reason.strip()
    if not why:
        raise ValidationError(
            f"Item {item_id} was not put on hold: say why, so the next person knows.",
            fields={"reason": "a hold needs a reason"},
        )
    return apply_action(
        session,
        item_id,
        Action.HOLD,
        values={"hold_reason": why},
        params={"reason": why},
        expected=expected,
    )


def release(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Release a held item back to the status it had before the hold."""
    item = load_item(session, item_id)
    return apply_action(
        session,
        item_id,
        Action.RELEASE,
        params={"hold_reason": item.hold_reason},
        expected=expected,
        expected_version=item.version,
    )


def ignore(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Set the item aside; restore brings it back to where it was."""
    return apply_action(session, item_id, Action.IGNORE, expected=expected)


def restore(session: Session, item_id: int, *, expected: ItemStatus | None = None) -> OrderItem:
    """Bring an ignored or canceled item back to the status it had."""
    return apply_action(session, item_id, Action.RESTORE, expected=expected)


def cancel(
    session: Session, item_id: int, reason: str = "", *, expected: ItemStatus | None = None
) -> OrderItem:
    """Mark a sent item canceled (the vendor-side cancel belongs to the vendor adapters)."""
    why = reason.strip()
    return apply_action(
        session, item_id, Action.CANCEL, params={"reason": why} if why else None, expected=expected
    )


# --- split --------------------------------------------------------------------------------


def _check_quantities(item: OrderItem, quantities: Sequence[int]) -> list[int]:
    parts = list(quantities)
    if len(parts) < 2:
        raise ValidationError(
            f"Item {item.id} was not split: give at least 2 parts.",
            fields={"quantities": f"a split needs at least 2 parts, got {len(parts)}"},
        )
    bad = [q for q in parts if isinstance(q, bool) or not isinstance(q, int) or q < 1]
    if bad:
        shown = ", ".join(repr(q) for q in bad)
        raise ValidationError(
            f"Item {item.id} was not split: every part must be a whole number of at least 1.",
            fields={"quantities": f"not a positive whole number: {shown}"},
        )
    total = sum(parts)
    if total != item.quantity:
        raise ValidationError(
            f"Item {item.id} was not split: the parts add up to {total}, "
            f"but the item's quantity is {item.quantity}.",
            fields={"quantities": f"parts add up to {total}, expected {item.quantity}"},
        )
    return parts


def split(
    session: Session,
    item_id: int,
    quantities: Sequence[int],
    *,
    expected: ItemStatus | None = None,
) -> list[OrderItem]:
    """Split the item into parts of these quantities; returns the original first, then the new.

    The original keeps the first quantity; each new item is a copy (same status, personalization,
    artwork, vendor and current print files) that remembers the original as its parent.
    """
    item = load_item(session, item_id)
    check_allowed(session, item, Action.SPLIT)
    parts = _check_quantities(item, quantities)
    assert item.id is not None
    data = item.model_dump(exclude=_SPLIT_FRESH)
    children: list[OrderItem] = []
    for quantity in parts[1:]:
        child = OrderItem(**copy.deepcopy(data), parent_id=item.id, quantity=quantity)
        session.add(child)
        children.append(child)
    session.flush()
    files = session.exec(
        select(PrintFile).where(PrintFile.item_id == item.id, col(PrintFile.current))
    ).all()
    for child in children:
        assert child.id is not None
        for pf in files:
            session.add(PrintFile(**pf.model_dump(exclude={"id", "item_id"}), item_id=child.id))
    into = [{"item_id": c.id, "quantity": c.quantity} for c in children]
    original = apply_action(
        session,
        item_id,
        Action.SPLIT,
        values={"quantity": parts[0]},
        params={"quantities": parts, "kept": parts[0], "into": into},
        expected=expected,
        expected_version=item.version,
    )
    for child in children:
        assert child.id is not None
        record_event(
            session,
            EVENT_SPLIT_FROM,
            order_id=item.order_id,
            item_id=child.id,
            from_status=item.status.value,
            to_status=item.status.value,
            params={"parent_id": item.id, "quantity": child.quantity},
        )
    return [original, *(load_item(session, c.id) for c in children if c.id is not None)]


# --- artwork and design -------------------------------------------------------------------


def _upsert_mapping(session: Session, item: OrderItem, artwork_id: int, scope: Scope) -> int:
    variant = item.variant_id if scope == "variant" else ""
    mapping = session.exec(
        select(ProductMapping).where(
            ProductMapping.store_id == item.store_id,
            ProductMapping.product_id == item.product_id,
            ProductMapping.variant_id == variant,
            ProductMapping.sku == "",
        )
    ).first()
    if mapping is None:
        mapping = ProductMapping(
            store_id=item.store_id,
            product_id=item.product_id,
            variant_id=variant,
            artwork_id=artwork_id,
            vendor_id=item.vendor_id,
        )
    else:
        mapping.artwork_id = artwork_id
        if mapping.vendor_id is None:
            mapping.vendor_id = item.vendor_id
    session.add(mapping)
    session.flush()
    assert mapping.id is not None
    return mapping.id


def _link_one(
    session: Session,
    item: OrderItem,
    artwork_id: int,
    params: dict[str, Any],
    expected: ItemStatus | None,
) -> OrderItem:
    values: dict[str, Any] = {"artwork_id": artwork_id, "managed": True}
    if item.status is ItemStatus.ON_HOLD and item.status_before is ItemStatus.MISSING_ARTWORK:
        # Released later, it must not fall back to "missing artwork" with artwork linked.
        values["status_before"] = ItemStatus.WAITING_APPROVAL
    assert item.id is not None
    return apply_action(
        session,
        item.id,
        Action.ADD_ARTWORK,
        values=values,
        params={**params, "previous_artwork_id": item.artwork_id},
        expected=expected,
        expected_version=item.version,
    )


def link_artwork(
    session: Session,
    item_id: int,
    artwork_id: int,
    scope: Scope = "item",
    *,
    expected: ItemStatus | None = None,
) -> list[OrderItem]:
    """Link artwork to the item, or to every open item of its variant or listing.

    With scope "variant" or "listing" a product mapping is saved too, so later syncs link new
    items of that product by themselves. Items of archived orders are left alone.
    """
    if scope not in ("item", "variant", "listing"):
        raise ValidationError(
            f"Unknown scope {scope!r}: use item, variant or listing.", fields={"scope": scope}
        )
    if session.get(Artwork, artwork_id) is None:
        raise NotFoundError(f"Artwork {artwork_id} does not exist (deleted?). Nothing was linked.")
    item = load_item(session, item_id)
    check_allowed(session, item, Action.ADD_ARTWORK)
    if scope != "item" and not item.product_id:
        raise ValidationError(
            f"{describe_item(session, item).capitalize()} has no store product id, so it has "
            "no variant or listing: link it on its own.",
            fields={"scope": "the item has no product id"},
        )
    params: dict[str, Any] = {"artwork_id": artwork_id, "scope": scope}
    if scope != "item":
        params["mapping_id"] = _upsert_mapping(session, item, artwork_id, scope)
    linked = [_link_one(session, item, artwork_id, params, expected)]
    if scope == "item":
        return linked
    query = select(OrderItem).where(
        OrderItem.store_id == item.store_id,
        OrderItem.product_id == item.product_id,
        OrderItem.id != item_id,
        col(OrderItem.status).in_(_LINKABLE_STATUSES),
        col(OrderItem.archived).is_(False),
        (col(OrderItem.artwork_id).is_(None)) | (col(OrderItem.artwork_id) != artwork_id),
    )
    if scope == "variant":
        query = query.where(OrderItem.variant_id == item.variant_id)
    for other in session.exec(query.order_by(col(OrderItem.id))).all():
        linked.append(_link_one(session, other, artwork_id, params, other.status))
    return linked


def edit_design(
    session: Session,
    item_id: int,
    fields: Mapping[str, str],
    *,
    expected: ItemStatus | None = None,
) -> OrderItem:
    """Change personalization fields (merged into the existing ones).

    A ready item goes back to waiting approval: its print file no longer matches. An edit that
    changes nothing writes nothing.
    """
    item = load_item(session, item_id)
    check_allowed(session, item, Action.EDIT_DESIGN)
    bad = {
        str(k): "field names are text and values are text"
        for k, v in fields.items()
        if not isinstance(k, str) or not k.strip() or not isinstance(v, str)
    }
    if bad:
        raise ValidationError(f"The design of item {item_id} was not changed.", fields=bad)
    old = dict(item.personalization)
    changes = {
        name: {"old": old.get(name), "new": value}
        for name, value in fields.items()
        if old.get(name) != value
    }
    if not changes:
        return item
    return apply_action(
        session,
        item_id,
        Action.EDIT_DESIGN,
        values={"personalization": {**old, **fields}},
        params={"changes": changes},
        expected=expected,
        expected_version=item.version,
    )


def save_design(
    session: Session,
    item_id: int,
    changes: dict[str, str],
    *,
    and_approve: bool = False,
    expected: ItemStatus | None = None,
) -> OrderItem | bool:
    """The design editor's save: the changed fields, then the approval when asked and allowed.

    False: nothing changed and nothing approved (the dialog closes without a "saved" toast).
    """
    item = edit_design(session, item_id, changes, expected=expected) if changes else None
    now = item.status if item is not None else expected
    if and_approve and now is not None and is_allowed(now, Action.APPROVE):
        return approve(session, item_id, expected=now)
    if item is None and not and_approve:
        return False
    return item or True


# --- shipping and fulfilment --------------------------------------------------------------


def _at_vendor_item_ids(session: Session, order_id: int) -> list[int]:
    rows = session.exec(
        select(OrderItem.id)
        .where(OrderItem.order_id == order_id, col(OrderItem.status).in_(AT_VENDOR_STATUSES))
        .order_by(col(OrderItem.id))
    ).all()
    return [i for i in rows if i is not None]


def edit_shipping(
    session: Session,
    item_id: int,
    address: ShippingAddress,
    *,
    expected: ItemStatus | None = None,
) -> ShippingEditResult:
    """Replace the order's shipping address after validating it; a bad field saves nothing.

    The address belongs to the order, so every item of it ships there. The edit is recorded in
    `order.local_edits` so that a later store sync does not overwrite it. Items already at the
    vendor are listed in the result: the vendor's copy of the address is not changed by this.
    """
    item = load_item(session, item_id)
    check_allowed(session, item, Action.EDIT_SHIPPING)
    new = clean_address(address)
    problems = validate_address(new)
    if problems:
        count = "1 field needs" if len(problems) == 1 else f"{len(problems)} fields need"
        raise ValidationError(
            f"The shipping address of {describe_item(session, item)} was not saved: "
            f"{count} fixing.",
            fields=problems,
        )
    order = session.get(Order, item.order_id, populate_existing=True)
    if order is None:
        raise NotFoundError(f"Order {item.order_id} of item {item_id} does not exist.")
    old = ShippingAddress.from_order(order)
    at_vendor = _at_vendor_item_ids(session, item.order_id)
    changes = {
        name: {"old": getattr(old, name), "new": getattr(new, name)}
        for name in ADDRESS_FIELDS
        if getattr(old, name) != getattr(new, name)
    }
    if not changes:
        return ShippingEditResult(order, at_vendor, changed=False)
    apply_action(
        session,
        item_id,
        Action.EDIT_SHIPPING,
        params={"changes": changes, "at_vendor_item_ids": at_vendor},
        expected=expected,
        expected_version=item.version,
    )
    local_edits = list(order.local_edits)
    local_edits += [c for c in ORDER_COLUMNS.values() if c not in local_edits]
    # Compare-and-set on the address itself: two operators editing it through two items of
    # the same order must not overwrite each other unseen.
    result = session.execute(
        update(Order)
        .where(
            col(Order.id) == order.id,
            *(getattr(Order, column) == value for column, value in old.order_columns().items()),
        )
        .values(**new.order_columns(), local_edits=local_edits)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChangeError(
            f"The shipping address of {order.name} changed under you. Nothing was saved; "
            "look again and retry."
        )
    fresh = session.get(Order, item.order_id, populate_existing=True)
    assert fresh is not None
    return ShippingEditResult(fresh, at_vendor)


def mark_fulfilled(
    session: Session,
    item_id: int,
    carrier: str = "",
    tracking_number: str = "",
    tracking_url: str = "",
    *,
    expected: ItemStatus | None = None,
) -> OrderItem:
    """Mark the item shipped by hand; a carrier or tracking number makes a shipment record."""
    carrier, tracking_number, tracking_url = (
        carrier.strip(),
        tracking_number.strip(),
        tracking_url.strip(),
    )
    if tracking_url and not tracking_url.lower().startswith(("http://", "https://")):
        raise ValidationError(
            f"Item {item_id} was not marked fulfilled: the tracking link must be a web address.",
            fields={"tracking_url": f"{tracking_url} does not start with https://"},
        )
    given = {"carrier": carrier, "tracking_number": tracking_number, "tracking_url": tracking_url}
    params = {k: v for k, v in given.items() if v}
    item = apply_action(session, item_id, Action.MARK_FULFILLED, params=params, expected=expected)
    if params:
        session.add(
            Shipment(
                order_id=item.order_id,
                item_id=item_id,
                carrier=carrier,
                tracking_number=tracking_number,
                tracking_url=tracking_url,
                status="shipped",
                shipped_at=utcnow(),
            )
        )
        session.flush()
    return item


# --- orders -------------------------------------------------------------------------------


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


# --- notes --------------------------------------------------------------------------------


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
