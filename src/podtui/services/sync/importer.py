"""A store order podtui has not seen: its order row and one item per line, each on the timeline.

A line whose product has a mapping is managed: it gets the mapping's artwork and vendor and starts
in Waiting approval (or Missing artwork when the mapping has no artwork yet). A line with no
mapping is kept as an unmanaged item, hidden by default. An order the store already finished
(completed, cancelled, refunded) is imported archived: it is history, not work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlmodel import Session

from podtui.adapters.stores.base import StoreLineItem, StoreOrder
from podtui.domain.address import ORDER_COLUMNS
from podtui.domain.countries import read_country
from podtui.domain.models import Event, Order, OrderItem, utcnow
from podtui.domain.status import ItemStatus
from podtui.domain.wording import count
from podtui.services.catalogue import routing
from podtui.services.items.timeline import current_user
from podtui.services.sync.context import SyncContext
from podtui.services.sync.payment import hold_reason, hold_unpaid, is_unpaid

EVENT_IMPORTED = "imported"


def order_name(store_order: StoreOrder) -> tuple[str, str]:
    """(name, number): "#4120" and "4120" whichever way the store spells it."""
    number = store_order.name.lstrip("#").strip() or store_order.store_order_id
    return f"#{number}", number


NOTICE_FROM_BILLING = "The order has no shipping address: the billing address is used"


def notices(store_order: StoreOrder) -> list[str]:
    """What the sync read into the order, to be said on it."""
    out = []
    if store_order.shipping_from_billing:
        out.append(NOTICE_FROM_BILLING)
    country = store_order.shipping.country
    reading = read_country(country)
    if reading.mapped:
        out.append(f"The store's shipping country {country!r} is read as {reading.code}")
    return out


def order_values(store_order: StoreOrder) -> dict[str, Any]:
    """The order columns the store owns, from its payload."""
    subtotal = sum((line.price * line.quantity for line in store_order.lines), Decimal("0"))
    address = store_order.shipping.order_columns()
    reading = read_country(store_order.shipping.country)
    if reading.code:
        address[ORDER_COLUMNS["country"]] = reading.code
    return {
        "customer_name": store_order.customer_name,
        "customer_email": store_order.customer_email,
        **address,
        "customer_note": store_order.customer_note,
        "store_status": store_order.store_status,
        "payment_status": store_order.payment_status,
        "store_fulfillment_status": store_order.fulfillment_status,
        "shipping_method": store_order.shipping_method,
        "total": f"{store_order.total:.2f}",
        "shipping_total": f"{store_order.shipping_total:.2f}",
        "subtotal": f"{subtotal:.2f}",
        "currency": store_order.currency,
        "payment_method": store_order.payment_method,
        "test": store_order.test,
        "notices": notices(store_order),
    }


def imports_archived(store_order: StoreOrder) -> bool:
    """Whether the store already finished this order (fulfilled, canceled, refunded)."""
    return (
        store_order.fulfillment_status == "fulfilled"
        or store_order.canceled
        or store_order.refunded
    )


@dataclass(frozen=True)
class OrderRef:
    """What an item copies from its order (the list filters on these without a join)."""

    id: int
    store_id: int
    created_at: datetime
    archived: bool


def item_values(ctx: SyncContext, order: OrderRef, line: StoreLineItem) -> dict[str, Any]:
    """The item row for one store line, managed or not as the store's mappings say."""
    mapping = ctx.mapping_for(line.product_id, line.variant_id)
    if mapping is None:
        status, managed, artwork_id, vendor_id = ItemStatus.MISSING_ARTWORK, False, None, None
    else:
        managed, artwork_id, vendor_id = True, mapping.artwork_id, mapping.vendor_id
        status = (
            ItemStatus.WAITING_APPROVAL if artwork_id is not None else ItemStatus.MISSING_ARTWORK
        )
    meta = line.raw.get("meta_data") if isinstance(line.raw, dict) else None
    if not isinstance(meta, list):  # Shopify properties come as a name -> value mapping
        meta = [{"name": k, "value": v} for k, v in line.properties.items()]
    now = utcnow()
    return {
        "order_id": order.id,
        "parent_id": None,
        "store_line_id": line.store_line_id,
        "product_id": line.product_id,
        "variant_id": line.variant_id,
        "sku": line.sku,
        "title": line.title,
        "variant_title": line.variant_title,
        "product_type": line.product_type,
        "quantity": line.owed,  # units refunded or removed before import are not made
        "unit_price": f"{line.price:.2f}",
        "personalization_raw": meta,
        "personalization": {},
        "status": status,
        "status_before": None,
        "hold_reason": None,
        "managed": managed,
        "vendor_id": vendor_id,
        "artwork_id": artwork_id,
        "submitted_at": None,
        "auto_submit_at": None,
        "store_id": order.store_id,
        "order_created_at": order.created_at,
        "archived": order.archived,
        "version": 0,
        "created_at": now,
        "updated_at": now,
    }


def _insert(session: Session, table: Any, rows: list[dict[str, Any]], mine: Any) -> list[int]:
    """Insert `rows` in one executemany; their new ids, in the order of `rows`.

    (RETURNING with row order kept makes SQLite insert row by row, five times slower.) The
    write transaction holds the database, and `mine` narrows to these rows, so the ids above
    the highest one before are exactly these rows', ascending in insert order.
    """
    before = session.execute(select(func.max(table.c.id))).scalar() or 0
    session.execute(insert(table), rows)
    ids = list(
        session.execute(
            select(table.c.id).where(table.c.id > before, mine).order_by(table.c.id)
        ).scalars()
    )
    if len(ids) != len(rows):
        raise RuntimeError(
            f"inserted {count(len(rows), 'row')} into {table.name} but found {len(ids)}"
        )
    return ids


def add_items(
    session: Session, ctx: SyncContext, lines: list[tuple[OrderRef, StoreLineItem]]
) -> dict[int, list[int]]:
    """Items for these (order, line) pairs, each with its "imported" event; order -> item ids.

    Rows go in as a few multi-row INSERTs (Core, not one ORM object each): an import of
    thousands of orders spends its time on the store's answers, not on building objects.
    """
    rows = [item_values(ctx, order, line) for order, line in lines if line.owed > 0]
    if not rows:
        return {}
    table = OrderItem.__table__  # type: ignore[attr-defined]
    ids = _insert(session, table, rows, table.c.order_id.in_({r["order_id"] for r in rows}))
    user, now = current_user(), utcnow()
    events = [
        {
            "at": now,
            "user": user,
            "type": EVENT_IMPORTED,
            "order_id": row["order_id"],
            "item_id": item_id,
            "from_status": None,
            "to_status": row["status"].value,
            "params": {"store": ctx.store_name, "managed": row["managed"]},
        }
        for row, item_id in zip(rows, ids, strict=True)
    ]
    session.execute(insert(Event.__table__), events)  # type: ignore[attr-defined]
    ctx.report.items_created += len(rows)
    made: dict[int, list[int]] = {}
    for row, item_id in zip(rows, ids, strict=True):
        made.setdefault(row["order_id"], []).append(item_id)
    return made


def new_orders(session: Session, ctx: SyncContext, store_orders: list[StoreOrder]) -> None:
    """Insert orders the store has and podtui has not, with their items."""
    if not store_orders:
        return
    now = utcnow()
    rows = []
    for so in store_orders:
        name, number = order_name(so)
        rows.append(
            {
                "store_id": ctx.store_id,
                "store_order_id": so.store_order_id,
                "name": name,
                "number": number,
                "created_at": so.created_at,
                "store_updated_at": so.updated_at,
                "source": so.source,
                "archived": imports_archived(so),
                "local_edits": [],
                "store_pending": {},
                "raw": so.raw,
                "synced_at": now,
                **order_values(so),
            }
        )
    table = Order.__table__  # type: ignore[attr-defined]
    mine = (table.c.store_id == ctx.store_id) & table.c.store_order_id.in_(
        [r["store_order_id"] for r in rows]
    )
    ids = _insert(session, table, rows, mine)
    lines = []
    for order_id, row, so in zip(ids, rows, store_orders, strict=True):
        ref = OrderRef(order_id, ctx.store_id, so.created_at, row["archived"])
        lines += [(ref, line) for line in so.lines]
    made = add_items(session, ctx, lines)
    for order_id, row, so in zip(ids, rows, store_orders, strict=True):
        if is_unpaid(so.payment_status) and not row["archived"]:
            reason = hold_reason(so.store_status, so.payment_status)
            hold_unpaid(session, made.get(order_id, []), reason)
    # Items no mapping covers go where the shop's rules say (held ones wait for their release).
    routing.route_new(session, [i for ids in made.values() for i in ids])
    ctx.report.orders_created += len(rows)
