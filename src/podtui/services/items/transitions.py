"""The one way an item's status changes: a compare-and-set plus its timeline event.

Every service that moves an item goes through `apply_action`, inside the caller's write
transaction, so the rule check, the `UPDATE ... WHERE id = :id AND status = :expected` and the
event commit together or not at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from podtui.adapters.redact import scrub
from podtui.domain.errors import ConcurrentChangeError, DomainError, NotFoundError
from podtui.domain.models import Order, OrderItem, PrintFile, Vendor, utcnow
from podtui.domain.status import (
    Action,
    ItemStatus,
    Requires,
    allowed_actions,
    rule_for,
    target_status,
)
from podtui.services.items.timeline import record_event


def describe_item(session: Session, item: OrderItem) -> str:
    """How an operator recognises the item in a message: order name, product, id."""
    order = session.get(Order, item.order_id)
    name = order.name if order else f"order {item.order_id}"
    return f"item {item.id} ({name} · {item.title or item.sku or 'untitled'})"


def load_item(session: Session, item_id: int) -> OrderItem:
    """The item, freshly read inside the caller's transaction."""
    item = session.get(OrderItem, item_id, populate_existing=True)
    if item is None:
        raise NotFoundError(f"Item {item_id} does not exist (deleted, or another database?)")
    return item


def vendor_integrated(session: Session, item: OrderItem) -> bool | None:
    """Whether podtui sends this item's vendor orders itself; None when it has no vendor yet."""
    if item.vendor_id is None:
        return None
    vendor = session.get(Vendor, item.vendor_id)
    return None if vendor is None else vendor.integrated


def check_allowed(session: Session, item: OrderItem, action: Action) -> None:
    """Raise a DomainError naming the item, its status and what is allowed, if `action` is not."""
    rule = rule_for(item.status, action)
    integrated = vendor_integrated(session, item)
    if rule is not None:
        if rule.requires is Requires.ANY:
            return
        if rule.requires is Requires.INTEGRATED and integrated:
            return
        if rule.requires is Requires.MANUAL and integrated is False:
            return
        if integrated is None:
            raise DomainError(
                f"Cannot {action.label.lower()} {describe_item(session, item)}: it has no vendor."
            )
    allowed = ", ".join(
        a.label.lower() for a in allowed_actions(item.status, vendor_integrated=integrated)
    )
    raise DomainError(
        f"Cannot {action.label.lower()} {describe_item(session, item)}: it is "
        f"{item.status.label}, where only these are allowed: {allowed or 'nothing'}."
    )


def apply_action(
    session: Session,
    item_id: int,
    action: Action,
    *,
    params: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    event_type: str | None = None,
    expected: ItemStatus | None = None,
    expected_version: int | None = None,
) -> OrderItem:
    """Move the item by `action` (compare-and-set) and record the event; returns the fresh item.

    `values` are further columns to set in the same UPDATE (hold reason, vendor, ...).
    `expected` pins the status the caller saw; without it the status read now is used.
    `expected_version` also pins the row's version, for changes computed from the row's other
    columns (a merged design, a split quantity), which a status check alone would not protect.
    """
    item = load_item(session, item_id)
    if expected is not None and item.status is not expected:
        raise ConcurrentChangeError(
            f"{describe_item(session, item).capitalize()} is now {item.status.label}, "
            f"not {expected.label}: someone else changed it. Nothing was done."
        )
    check_allowed(session, item, action)
    rule = rule_for(item.status, action)
    assert rule is not None
    current = item.status
    to = target_status(current, action, item.status_before)
    changes: dict[str, Any] = dict(values or {})
    if isinstance(changes.get("hold_reason"), str):  # a vendor's words, shown and kept
        changes["hold_reason"] = scrub(changes["hold_reason"])
    if rule.saves_previous:
        changes["status_before"] = current
    elif (
        to is not current
        and to is not ItemStatus.IGNORED  # ignore-from-hold keeps the status saved before the hold
        and current in (ItemStatus.ON_HOLD, ItemStatus.IGNORED, ItemStatus.CANCELED)
    ):
        # Leaving a parked status: the saved status has been used up.
        changes["status_before"] = None
    if current is ItemStatus.ON_HOLD and to is not ItemStatus.ON_HOLD:
        changes.setdefault("hold_reason", None)
    where = [col(OrderItem.id) == item_id, col(OrderItem.status) == current]
    if expected_version is not None:
        where.append(col(OrderItem.version) == expected_version)
    result = session.execute(
        update(OrderItem)
        .where(*where)
        .values(status=to, version=OrderItem.version + 1, updated_at=utcnow(), **changes)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        # What it is now: on PostgreSQL the loser of a race read the row before the winner
        # committed, so only a fresh read can tell the operator where the item went.
        now = session.exec(select(OrderItem.status).where(col(OrderItem.id) == item_id)).first()
        where_now = f", it is now {ItemStatus(now).label}" if now is not None else ""
        raise ConcurrentChangeError(
            f"{describe_item(session, item).capitalize()} changed under you "
            f"(it was {current.label}{where_now}). Nothing was done; look again and retry."
        )
    if rule.retires_print_file:
        session.execute(
            update(PrintFile)
            .where(col(PrintFile.item_id) == item_id, col(PrintFile.current).is_(True))
            .values(current=False)
        )
    record_event(
        session,
        event_type or action.value,
        order_id=item.order_id,
        item_id=item_id,
        from_status=current.value,
        to_status=to.value,
        params=params,
    )
    return load_item(session, item_id)
