"""The store's order status from the order page: WooCommerce processing, on hold, completed,
cancelled; Shopify close, reopen and cancel (with its reason, refund, restock and notify).

Which move is allowed from where is data (domain/store_status.py), checked before anything is
sent. Once the store accepted, the order shows the store's status; a cancellation cancels the
items the vendor does not have yet, as a sync would; a WooCommerce order on hold pauses the
automatic submission of its items (services/sending/countdown.py reads the order's status).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session

from podtui.adapters.stores.base import StoreAdapter, WriteReceipt
from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Order, Store
from podtui.domain.store_status import CANCEL_REASONS, moves, store_label
from podtui.services.connections.reach import REAL, Reach
from podtui.services.store_ops.writes import (
    Operation,
    Target,
    WriteOutcome,
    read_target,
    register,
    store_write,
)
from podtui.services.sync.upsert import cancel_order_items

MAX_STAFF_NOTE = 500


@dataclass(frozen=True)
class CancelOptions:
    """Shopify's orderCancel options."""

    reason: str = "OTHER"  # an OrderCancelReason
    refund: bool = False  # money back to the original payment methods
    restock: bool = False
    notify: bool = False
    staff_note: str = ""


async def _perform(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt:
    return await adapter.change_status(store_order_id, params["to"], key, params["options"])


async def _find(
    adapter: StoreAdapter, store_order_id: str, key: str, params: dict[str, Any]
) -> WriteReceipt | None:
    return await adapter.find_status(store_order_id, params["to"], key)


def _apply(
    session: Session, order: Order, receipt: WriteReceipt, params: dict[str, Any]
) -> dict[str, Any]:
    before = order.store_status
    order.store_status = receipt.store_status or params["to"]
    if receipt.payment_status:
        order.payment_status = receipt.payment_status
    session.add(order)
    session.flush()
    if order.store_status == "cancelled" and before != "cancelled":
        cancel_order_items(session, order, "cancelled at the store from podtui")
    return {"from_status": before, "to_status": order.store_status}


STATUS = register(
    Operation(
        name="status",
        label="change the order's status",
        event="store_status_set",
        perform=_perform,
        find=_find,
        apply=_apply,
    )
)


def check_move(order: Order, store: Store, to: str, options: CancelOptions | None) -> None:
    """DomainError / ValidationError before anything is sent when the move is not allowed."""
    allowed = moves(store.kind, order.store_status)
    if to not in allowed:
        where = ", ".join(store_label(s) for s in allowed) or "nowhere from here"
        raise DomainError(
            f"{order.name} is {store_label(order.store_status)} at {store.name}: it can go to "
            f"{where}, not {store_label(to)}."
        )
    if options is None:
        return
    if options.reason not in {code for code, _ in CANCEL_REASONS}:
        raise ValidationError(
            f"{options.reason!r} is not a reason Shopify takes.", fields={"reason": "pick one"}
        )
    if len(options.staff_note) > MAX_STAFF_NOTE:
        raise ValidationError(
            f"The staff note is {len(options.staff_note)} characters; keep it under "
            f"{MAX_STAFF_NOTE}.",
            fields={"staff_note": "too long"},
        )


def status_notify(store: Store, to: str, options: CancelOptions | None) -> bool | None:
    """Whether the customer is told: Shopify says so per cancellation (and never on close or
    reopen); WooCommerce sends the e-mails the store is set up to send for the new status."""
    if store.kind == "shopify":
        return bool(options.notify) if options is not None and to == "cancelled" else False
    return None


def check_status_change(
    db: Database, order_id: int, to: str, *, options: CancelOptions | None = None
) -> Target:
    """The order and its store once `check_move` allowed the move: what a caller asks before
    it asks for a yes."""
    return read_target(db, order_id, lambda o, s: check_move(o, s, to, _options(s, to, options)))


def change_store_status(
    db: Database,
    order_id: int,
    to: str,
    *,
    options: CancelOptions | None = None,
    reach: Reach = REAL,
) -> WriteOutcome:
    """Move the order's status at its store (see the module)."""
    # Checked before the store is asked; again by store_write once lost answers are settled.
    target = check_status_change(db, order_id, to, options=options)
    chosen = _options(target.store, to, options)
    return store_write(
        db,
        order_id,
        STATUS,
        {"to": to, "from": target.store_status, "options": asdict(chosen) if chosen else {}},
        notify=status_notify(target.store, to, chosen),
        check=lambda o, s: check_move(o, s, to, chosen),
        reach=reach,
    )


def _options(store: Store, to: str, options: CancelOptions | None) -> CancelOptions | None:
    """The cancellation options that apply: Shopify's, on a cancel only (defaults when none)."""
    if store.kind != "shopify" or to != "cancelled":
        return None
    options = options or CancelOptions()
    return CancelOptions(**{**asdict(options), "staff_note": options.staff_note.strip()})
