"""A store order podtui has not seen: its order row and one item per line, each on the timeline.

A line whose product has a mapping is managed: it gets the mapping's artwork and vendor and starts
in Waiting approval (or Missing artwork when the mapping has no artwork yet). A line with no
mapping is kept as an unmanaged item, hidden by default. An order the store already finished
(completed, cancelled, refunded) is imported archived: it is history, not work.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlmodel import Session

from podtui.adapters.base import StoreLineItem, StoreOrder
from podtui.domain.models import Order, OrderItem, utcnow
from podtui.domain.status import ItemStatus
from podtui.services.sync_context import SyncContext
from podtui.services.timeline import record_event

EVENT_IMPORTED = "imported"


def order_name(store_order: StoreOrder) -> tuple[str, str]:
    """(name, number): "#4120" and "4120" whichever way the store spells it."""
    number = store_order.name.lstrip("#").strip() or store_order.store_order_id
    return f"#{number}", number


def order_values(store_order: StoreOrder) -> dict[str, Any]:
    """The order columns the store owns, from its payload."""
    subtotal = sum((line.price * line.quantity for line in store_order.lines), Decimal("0"))
    return {
        "customer_name": store_order.customer_name,
        "customer_email": store_order.customer_email,
        **store_order.shipping.order_columns(),
        "customer_note": store_order.customer_note,
        "store_status": store_order.store_status,
        "payment_status": store_order.payment_status,
        "store_fulfillment_status": store_order.fulfillment_status,
        "shipping_method": store_order.shipping_method,
        "total": f"{store_order.total:.2f}",
        "subtotal": f"{subtotal:.2f}",
        "currency": store_order.currency,
        "payment_method": store_order.payment_method,
    }


def imports_archived(store_order: StoreOrder) -> bool:
    """Whether the store already finished this order (fulfilled, canceled, refunded)."""
    return (
        store_order.fulfillment_status == "fulfilled"
        or store_order.canceled
        or store_order.refunded
    )


def new_item(ctx: SyncContext, order: Order, line: StoreLineItem) -> OrderItem:
    """The item for one store line, managed or not as the store's mappings say."""
    mapping = ctx.mapping_for(line.product_id, line.variant_id, line.sku)
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
    assert order.id is not None
    now = utcnow()
    return OrderItem(
        order_id=order.id,
        store_line_id=line.store_line_id,
        product_id=line.product_id,
        variant_id=line.variant_id,
        sku=line.sku,
        title=line.title,
        variant_title=line.variant_title,
        quantity=line.quantity,
        unit_price=f"{line.price:.2f}",
        personalization_raw=meta,
        personalization={},
        status=status,
        managed=managed,
        vendor_id=vendor_id,
        artwork_id=artwork_id,
        store_id=order.store_id,
        order_created_at=order.created_at,
        archived=order.archived,
        created_at=now,
        updated_at=now,
    )


def add_items(
    session: Session, ctx: SyncContext, order: Order, lines: list[StoreLineItem]
) -> list[OrderItem]:
    """Items for `lines` of `order`, flushed, each with its "imported" event."""
    items = [new_item(ctx, order, line) for line in lines if line.quantity > 0]
    session.add_all(items)
    session.flush()
    for item in items:
        record_event(
            session,
            EVENT_IMPORTED,
            order_id=order.id,
            item_id=item.id,
            to_status=item.status.value,
            params={"store": ctx.store_name, "managed": item.managed},
        )
    ctx.report.items_created += len(items)
    return items


def new_orders(session: Session, ctx: SyncContext, store_orders: list[StoreOrder]) -> None:
    """Insert orders the store has and podtui has not, with their items."""
    if not store_orders:
        return
    now = utcnow()
    rows = []
    for so in store_orders:
        name, number = order_name(so)
        rows.append(
            Order(
                store_id=ctx.store_id,
                store_order_id=so.store_order_id,
                name=name,
                number=number,
                created_at=so.created_at,
                store_updated_at=so.updated_at,
                source=so.source,
                archived=imports_archived(so),
                raw=so.raw,
                synced_at=now,
                **order_values(so),
            )
        )
    session.add_all(rows)
    session.flush()
    for row, so in zip(rows, store_orders, strict=True):
        add_items(session, ctx, row, list(so.lines))
    ctx.report.orders_created += len(rows)
