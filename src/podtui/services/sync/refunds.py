"""Refunds and removed lines reach the items: the store owes fewer units, so podtui makes fewer.

A store line says how many units are still owed (Shopify `currentQuantity`; WooCommerce: the
line's quantity less what `GET orders/<id>/refunds` refunded; a line gone from an edited order
owes none). When the line's items hold more units than that, the surplus is taken from the
items, the last one first: an ignored item gives its units back first; an item the vendor does
not have yet is reduced (its quantity drops) or, when the surplus covers it, canceled
(`store_canceled`, restorable); an item already at the vendor is flagged "refunded at the store
after it was sent", for the operator to cancel it at the vendor (one key on the order).
Each change is one compare-and-set with its timeline event, so a re-sync changes nothing more.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from podtui.adapters.stores.base import StoreOrder
from podtui.domain.errors import ConcurrentChangeError
from podtui.domain.models import Order, OrderItem, utcnow
from podtui.domain.status import Action, ItemStatus, is_allowed
from podtui.domain.wording import count
from podtui.services.items.timeline import record_event
from podtui.services.items.transitions import apply_action

EVENT_REDUCED = "store_quantity_reduced"
EVENT_AFTER_SENT = "store_refunded_after_sent"
FLAG_AFTER_SENT = "refunded at the store after it was sent"
AT_VENDOR = frozenset(
    {ItemStatus.SENDING, ItemStatus.SENT, ItemStatus.IN_PRODUCTION, ItemStatus.FULFILLED}
)


def _order_of_taking(item: OrderItem) -> tuple[int, int]:
    """Ignored items first, then those the vendor does not have, then those it has; last first."""
    rank = 0 if item.status is ItemStatus.IGNORED else 2 if item.status in AT_VENDOR else 1
    return rank, -(item.id or 0)


def _reduce(session: Session, item: OrderItem, to: int, reason: str) -> None:
    assert item.id is not None
    was = item.quantity
    result = session.execute(
        update(OrderItem)
        .where(
            col(OrderItem.id) == item.id,
            col(OrderItem.status) == item.status,
            col(OrderItem.version) == item.version,
        )
        .values(quantity=to, version=OrderItem.version + 1, updated_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise ConcurrentChangeError(f"Item {item.id} changed while the sync reduced it.")
    record_event(
        session,
        EVENT_REDUCED,
        order_id=item.order_id,
        item_id=item.id,
        params={"from": was, "to": to, "reason": reason, "by": "sync"},
    )


def _flag(session: Session, item: OrderItem, units: int) -> bool:
    """Flag an item the vendor has; whether the flag is new."""
    assert item.id is not None
    flag = f"{FLAG_AFTER_SENT} ({units} of {count(item.quantity, 'unit')})"
    if item.store_flag == flag:
        return False
    quantity, status = item.quantity, item.status.value
    session.execute(
        update(OrderItem)
        .where(col(OrderItem.id) == item.id)
        .values(store_flag=flag, version=OrderItem.version + 1, updated_at=utcnow())
    )
    record_event(
        session,
        EVENT_AFTER_SENT,
        order_id=item.order_id,
        item_id=item.id,
        params={"units": units, "quantity": quantity, "status": status},
    )
    return True


def reconcile_lines(session: Session, order: Order, so: StoreOrder) -> bool:
    """Bring the order's produced items down to what the store still owes; whether any changed."""
    if not so.lines or order.id is None:
        return False  # no lines at all is a sync problem, not a removal of every line
    owed = {line.store_line_id: line.owed for line in so.lines}
    items = session.exec(
        select(OrderItem)
        .where(OrderItem.order_id == order.id, col(OrderItem.managed).is_(True))
        .order_by(col(OrderItem.id))
    ).all()
    groups: dict[str, list[OrderItem]] = {}
    for item in items:
        if item.status is not ItemStatus.CANCELED:
            groups.setdefault(item.store_line_id, []).append(item)
    changed = False
    for line_id, live in groups.items():
        want = owed.get(line_id, 0)
        surplus = sum(i.quantity for i in live) - want
        if surplus <= 0:
            continue
        reason = (
            "the store removed the line"
            if line_id not in owed
            else f"the store refunded {surplus} of the line's units"
        )
        for item in sorted(live, key=_order_of_taking):
            if surplus <= 0:
                break
            assert item.id is not None
            if item.status in AT_VENDOR:
                changed = _flag(session, item, min(surplus, item.quantity)) or changed
                surplus -= item.quantity
            elif item.quantity <= surplus:
                surplus -= item.quantity
                if is_allowed(item.status, Action.STORE_CANCELED):
                    apply_action(
                        session,
                        item.id,
                        Action.STORE_CANCELED,
                        params={"reason": reason},
                        expected=item.status,
                    )
                    changed = True
            else:
                _reduce(session, item, item.quantity - surplus, reason)
                surplus = 0
                changed = True
    return changed
