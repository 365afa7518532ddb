"""Unpaid orders wait: their produced items are held until the store says the money is in.

An order imported while the store still waits for payment (WooCommerce pending, on-hold for a bank
transfer, failed; Shopify pending) would otherwise be approved and printed for nothing. Its
managed items go on hold with a reason that says so; when a later sync sees the order paid, the
items held for that reason (and only those) are released.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from podtui.domain.models import OrderItem
from podtui.domain.status import Action, ItemStatus, is_allowed
from podtui.services.items.transitions import apply_action

UNPAID = frozenset({"unpaid", "pending", "failed", "authorized", "partially_paid"})
HOLD_PREFIX = "Awaiting payment at the store"


def is_unpaid(payment_status: str) -> bool:
    return payment_status in UNPAID


def hold_reason(store_status: str, payment_status: str) -> str:
    return f"{HOLD_PREFIX} (order {store_status or payment_status})"


def hold_unpaid(session: Session, item_ids: list[int], reason: str) -> None:
    """Hold these new items (those whose status allows it) until the store is paid."""
    for item_id in item_ids:
        item = session.get(OrderItem, item_id)
        if item is None or not item.managed or not is_allowed(item.status, Action.HOLD):
            continue
        apply_action(
            session,
            item_id,
            Action.HOLD,
            values={"hold_reason": reason},
            params={"reason": reason, "by": "sync"},
            expected=item.status,
        )


def release_paid(session: Session, order_id: int) -> list[int]:
    """Release the order's items held for payment; the ids released."""
    held = session.exec(
        select(OrderItem).where(
            OrderItem.order_id == order_id,
            OrderItem.status == ItemStatus.ON_HOLD,
            col(OrderItem.hold_reason).startswith(HOLD_PREFIX),
        )
    ).all()
    released = []
    for item in held:
        assert item.id is not None
        apply_action(
            session,
            item.id,
            Action.RELEASE,
            params={"reason": "the store received the payment", "by": "sync"},
            expected=ItemStatus.ON_HOLD,
        )
        released.append(item.id)
    return released
