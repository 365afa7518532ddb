"""Orders podtui cannot honour: what is wrong with a store order before any of it is produced.

A line of quantity 0, an order without line items, a shipping country that is no ISO 3166-1
alpha-2 code (an unambiguous name is read through domain/countries.py), an address that is only
a country: each becomes a sync problem with the store's payload, the order is imported so the
operator sees it, and its items are held (`Sync problem: ...`) so none goes to a vendor until the
store sends a version without the problem (then the items held for it are released) or the
operator fixes and releases them.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from podtui.adapters.stores.base import StoreOrder
from podtui.domain.countries import read_country
from podtui.domain.models import OrderItem
from podtui.domain.status import Action, ItemStatus, is_allowed
from podtui.services.items.transitions import apply_action

HOLD_PREFIX = "Sync problem"


def order_problems(so: StoreOrder) -> list[str]:
    """Why podtui cannot honour this order as the store sent it; empty when it can."""
    reasons: list[str] = []
    if not so.lines:
        reasons.append("the order has no line items")
    for line in so.lines:
        if line.quantity == 0:
            reasons.append(f"line {line.store_line_id} ({line.title}) has quantity 0")
    address = so.shipping
    country = read_country(address.country)
    has_street = bool(address.address1.strip() or address.city.strip())
    if not has_street and not address.country.strip():
        reasons.append("the order has no shipping address")
    elif not has_street:
        reasons.append("the shipping address has only a country")
    elif country.problem:
        reasons.append(country.problem)
    return reasons


def hold_for_problems(session: Session, order_id: int, reasons: list[str]) -> list[int]:
    """Hold the order's produced items that can be held; the ids held."""
    reason = f"{HOLD_PREFIX}: {'; '.join(reasons)}"
    items = session.exec(
        select(OrderItem).where(OrderItem.order_id == order_id).order_by(col(OrderItem.id))
    ).all()
    held = []
    for item in items:
        assert item.id is not None
        if not item.managed:
            continue
        if item.status is ItemStatus.ON_HOLD and (item.hold_reason or "") != reason:
            if (item.hold_reason or "").startswith(HOLD_PREFIX):
                item.hold_reason = reason  # the store sent other problems: say which
                session.add(item)
            continue
        if not is_allowed(item.status, Action.HOLD):
            continue
        apply_action(
            session,
            item.id,
            Action.HOLD,
            values={"hold_reason": reason},
            params={"reason": reason, "by": "sync"},
            expected=item.status,
        )
        held.append(item.id)
    return held


def release_resolved(session: Session, order_id: int) -> list[int]:
    """Release the order's items held for sync problems the store has since fixed."""
    items = session.exec(
        select(OrderItem).where(
            OrderItem.order_id == order_id,
            OrderItem.status == ItemStatus.ON_HOLD,
            col(OrderItem.hold_reason).startswith(HOLD_PREFIX),
        )
    ).all()
    released = []
    for item in items:
        assert item.id is not None
        apply_action(
            session,
            item.id,
            Action.RELEASE,
            params={"reason": "the store fixed the order", "by": "sync"},
            expected=ItemStatus.ON_HOLD,
        )
        released.append(item.id)
    return released
