"""Returns from the order page: some or all fulfilled units of the order's lines, with a reason.

Shopify keeps the return (`returnCreate`: an open return, podtui's key in each line's reason
note); WooCommerce has no returns API, so the return is kept here with a private order note at
the store saying what came back. Either way the order's return status here says Returned or
Partially returned once the store accepted, and the refund is offered next ($).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from podtui.adapters.stores.base import StoreAdapter, WriteReceipt
from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Order, OrderItem, Store, StoreWrite
from podtui.services.connections.reach import REAL, Reach
from podtui.services.store_ops.refunds import RefundLine, check_reason, read_units, refund_lines
from podtui.services.store_ops.writes import (
    Operation,
    WriteOutcome,
    read_target,
    register,
    store_write,
)

FULFILLED = frozenset({"fulfilled", "partial"})


def returned_units(session: Session, order_id: int) -> dict[str, int]:
    """Units returned so far per store line, by the returns the stores accepted."""
    out: dict[str, int] = {}
    for params in session.exec(
        select(StoreWrite.params).where(
            col(StoreWrite.order_id) == order_id,
            col(StoreWrite.operation) == "return",
            col(StoreWrite.state) == "accepted",
        )
    ).all():
        for line, units in (params or {}).get("lines") or []:
            out[str(line)] = out.get(str(line), 0) + int(units)
    return out


def check_return(
    lines: list[RefundLine], returned: dict[str, int], units: dict[str, str], reason: str
) -> tuple[tuple[str, int], ...]:
    """The units to return by line; ValidationError naming each bad field."""
    left = {ln.store_line_id: ln.units - returned.get(ln.store_line_id, 0) for ln in lines}
    taken = read_units(lines, units, left, "returned", "not returned yet")
    check_reason(reason)
    if not taken:
        raise ValidationError("Nothing to return: give units of a line.", fields={"qty-0": "units"})
    return tuple(taken)


async def _perform(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt:
    lines = tuple((str(i), int(n)) for i, n in params["lines"])
    return await adapter.create_return(store_order_id, lines, params["reason"], key)


async def _find(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt | None:
    return await adapter.find_return(store_order_id, key)


def _apply(
    session: Session, order: Order, receipt: WriteReceipt, params: dict[str, Any]
) -> dict[str, Any]:
    assert order.id is not None
    items = list(session.exec(select(OrderItem).where(OrderItem.order_id == order.id)).all())
    total = sum(line.units for line in refund_lines(items))
    back = sum(returned_units(session, order.id).values())
    before = order.return_status
    order.return_status = "returned" if back >= total else "partially_returned"
    session.add(order)
    return {"from_status": before or None, "to_status": order.return_status}


RETURN = register(
    Operation(
        name="return",
        label="take the return",
        event="store_return_created",
        perform=_perform,
        find=_find,
        apply=_apply,
    )
)


def check_fulfilled(order: Order, store: Store) -> None:
    """Only fulfilled units go back: an order the store has not fulfilled has none."""
    if order.store_fulfillment_status not in FULFILLED:
        now = order.store_fulfillment_status or "unfulfilled"
        raise DomainError(
            f"{order.name} is not fulfilled at {store.name} ({now}): only fulfilled units can "
            "be returned."
        )


def return_lines(db: Database, order_id: int) -> tuple[list[RefundLine], dict[str, int]]:
    """The order's lines and the units of each returned so far (for the dialog)."""
    with db.read() as session:
        items = list(session.exec(select(OrderItem).where(OrderItem.order_id == order_id)).all())
        return refund_lines(items), returned_units(session, order_id)


def create_return(
    db: Database, order_id: int, units: dict[str, str], reason: str, *, reach: Reach = REAL
) -> WriteOutcome:
    """Return these units at the order's store (see the module)."""
    read_target(db, order_id, check_fulfilled)
    lines, returned = return_lines(db, order_id)
    taken = check_return(lines, returned, units, reason)
    return store_write(
        db,
        order_id,
        RETURN,
        {"lines": [[i, n] for i, n in taken], "reason": reason.strip()},
        notify=False,  # Shopify ignores it on returnCreate; WooCommerce's note is private
        reach=reach,
    )
