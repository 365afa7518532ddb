"""Mark as paid: a manual payment (bank transfer, cash, invoice) recorded as received at the store.

Shopify `orderMarkAsPaid` captures nothing and tells the customer nothing; WooCommerce `set_paid`
runs the store's payment_complete (processing, stock reduced) and sends the e-mails the store is
set up to send. Once the store accepted, the order's payment status is the store's and the items
held for the payment are released, as a sync would release them.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from podtui.adapters.stores.base import StoreAdapter, WriteReceipt
from podtui.db import Database
from podtui.domain.errors import DomainError
from podtui.domain.models import Order, Store
from podtui.domain.payment import can_mark_paid, payment_label
from podtui.services.connections.reach import REAL, Reach
from podtui.services.store_ops.writes import (
    Operation,
    WriteOutcome,
    read_target,
    register,
    store_write,
)
from podtui.services.sync.payment import release_paid

# Whether the store tells the customer of a payment marked by hand (None: its own settings say).
NOTIFY_BY_KIND: dict[str, bool | None] = {"shopify": False, "woocommerce": None}


async def _perform(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt:
    return await adapter.mark_paid(store_order_id, key)


async def _find(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt | None:
    return await adapter.find_mark_paid(store_order_id, key)


def _apply(
    session: Session, order: Order, receipt: WriteReceipt, params: dict[str, Any]
) -> dict[str, Any]:
    before = order.payment_status
    order.payment_status = receipt.payment_status or "paid"
    if receipt.store_status:
        order.store_status = receipt.store_status
    session.add(order)
    session.flush()
    assert order.id is not None
    released = release_paid(session, order.id)
    return {"from_status": before, "to_status": order.payment_status, "released": released}


MARK_PAID = register(
    Operation(
        name="mark_paid",
        label="mark the order as paid",
        event="store_marked_paid",
        perform=_perform,
        find=_find,
        apply=_apply,
    )
)


def check_mark_paid(order: Order, store: Store) -> None:
    """DomainError, before anything is sent, when the order cannot be marked as paid."""
    if not can_mark_paid(order.payment_status):
        raise DomainError(
            f"{order.name} is {payment_label(order.payment_status)} at {store.name}: only an "
            "unpaid, pending or partially paid order can be marked as paid."
        )


def check_can_mark_paid(db: Database, order_id: int) -> None:
    """`check_mark_paid` for the order as stored: what a caller asks before it asks for a yes."""
    read_target(db, order_id, check_mark_paid)


def mark_paid_notify(store: Store) -> bool | None:
    return NOTIFY_BY_KIND.get(store.kind)


def mark_paid(db: Database, order_id: int, *, reach: Reach = REAL) -> WriteOutcome:
    """Record the order's payment as received at its store (see the module)."""
    return store_write(
        db,
        order_id,
        MARK_PAID,
        {},
        notify=mark_paid_notify(read_target(db, order_id).store),
        check=check_mark_paid,
        reach=reach,
    )
