"""Split an item of quantity N into items whose quantities add up to N, each remembering its parent.

Works inside the caller's write transaction, like every item use-case (items/actions.py).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

from sqlmodel import Session, col, select

from podtui.domain.errors import ValidationError
from podtui.domain.models import (
    OrderItem,
    PrintFile,
)
from podtui.domain.status import Action, ItemStatus
from podtui.services.items.timeline import record_event
from podtui.services.items.transitions import apply_action, check_allowed, load_item

# Timeline event types that are not item transitions.
EVENT_SPLIT_FROM = "split_from"


# Columns a split copy does not take from the original.
_SPLIT_FRESH = {"id", "parent_id", "quantity", "version", "created_at", "updated_at"}


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
