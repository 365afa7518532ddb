"""How summaries name what they acted on: "#1205 Hometown Map Print", and the item's vendor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.models import Order, OrderItem, Vendor

CHUNK = 500


@dataclass(frozen=True)
class ItemLabel:
    """An item as an operator recognises it: its order and product, and its vendor."""

    name: str  # "#1205 Hometown Map Print"
    vendor: str  # "" when it has none


def label_items(db: Database, item_ids: Iterable[int]) -> dict[int, ItemLabel]:
    """Each item's order name, product title and vendor name, read in chunks."""
    ids = sorted(set(item_ids))
    found: dict[int, ItemLabel] = {}
    with db.read() as session:
        for start in range(0, len(ids), CHUNK):
            rows = session.execute(
                sa_select(
                    col(OrderItem.id),
                    col(Order.name),
                    col(OrderItem.title),
                    col(OrderItem.sku),
                    col(Vendor.name),
                )
                .join(Order, col(Order.id) == col(OrderItem.order_id))
                .outerjoin(Vendor, col(Vendor.id) == col(OrderItem.vendor_id))
                .where(col(OrderItem.id).in_(ids[start : start + CHUNK]))
            ).all()
            for item_id, order, title, sku, vendor in rows:
                what = title or sku or "untitled"
                found[int(item_id)] = ItemLabel(f"{order} {what}", vendor or "")
    return found


def label_orders(db: Database, order_ids: Iterable[int]) -> dict[int, str]:
    """Each order's name (#1205)."""
    ids = sorted(set(order_ids))
    found: dict[int, str] = {}
    with db.read() as session:
        for start in range(0, len(ids), CHUNK):
            for order_id, name in session.exec(
                select(Order.id, Order.name).where(col(Order.id).in_(ids[start : start + CHUNK]))
            ).all():
                found[int(order_id)] = str(name)  # type: ignore[arg-type]
    return found
