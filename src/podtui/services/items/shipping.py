"""Shipping: edit an order's address (checked before anything is saved), mark an item fulfilled.

Works inside the caller's write transaction, like every item use-case (items/actions.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from podtui.domain.address import (
    ADDRESS_FIELDS,
    ORDER_COLUMNS,
    ShippingAddress,
    clean_address,
    validate_address,
)
from podtui.domain.errors import ConcurrentChangeError, NotFoundError, ValidationError
from podtui.domain.models import (
    Order,
    OrderItem,
    Shipment,
    utcnow,
)
from podtui.domain.status import Action, ItemStatus
from podtui.services.items.rejections import failed_items_of_order, resolve_fixed
from podtui.services.items.transitions import apply_action, check_allowed, describe_item, load_item

# Items whose vendor already holds (or is being handed) the address: an edit here does not reach it.
AT_VENDOR_STATUSES: tuple[ItemStatus, ...] = (
    ItemStatus.SENDING,
    ItemStatus.SENT,
    ItemStatus.IN_PRODUCTION,
)


@dataclass
class ShippingEditResult:
    """The order after a shipping edit, and its items whose vendor still has the old address."""

    order: Order
    at_vendor_item_ids: list[int]
    changed: bool = True


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
    resolve_fixed(session, failed_items_of_order(session, item.order_id), changes, "shipping")
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
