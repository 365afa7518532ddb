"""The store products and variants seen in orders that no mapping covers, and a vendor variant
suggested for one from its options.

`unmapped` groups the synced items by store, product and variant, leaves out those with a
mapping of their own or of their listing and (unless asked for them) the items a routing rule
took, and says how many items wait (open, not archived) and one order that has them.
`suggest_variant` reads the store variant's title as the store wrote it ("Extra Large / Gray")
and asks `domain/variant_match` which of the vendor's variants it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, or_
from sqlalchemy import select as sql_select
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.models import Order, OrderItem, ProductMapping, Store
from podtui.domain.status import ItemStatus
from podtui.domain.variant_match import Candidate, Suggestion, suggest
from podtui.services.catalogue import vendor_catalog
from podtui.services.connections.reach import REAL, Reach

WAITING = (ItemStatus.MISSING_ARTWORK, ItemStatus.WAITING_APPROVAL)


@dataclass(frozen=True)
class Unmapped:
    """One store product variant without a mapping."""

    store_id: int
    store: str
    product_id: str
    variant_id: str
    title: str
    variant_title: str
    sku: str
    waiting: int  # open items of it, not archived
    example_order: str

    @property
    def label(self) -> str:
        variant = f" / {self.variant_title}" if self.variant_title else ""
        return f"{self.title}{variant}"


def unmapped(
    db: Database, *, store_id: int | None = None, text: str = "", routed: bool = False
) -> list[Unmapped]:
    """Every unmapped store product variant seen in orders, the most waiting items first.

    Items a rule routes are not waiting for a mapping: they count only with `routed` (mapping
    such a product by hand is still allowed: a mapping wins over any rule).
    """
    mapped = exists().where(
        col(ProductMapping.store_id) == OrderItem.store_id,
        col(ProductMapping.product_id) == OrderItem.product_id,
        or_(
            col(ProductMapping.variant_id) == OrderItem.variant_id,
            col(ProductMapping.variant_id) == "",
        ),
    )
    waiting = func.sum(
        case(
            (and_(col(OrderItem.status).in_(WAITING), col(OrderItem.archived).is_(False)), 1),
            else_=0,
        )
    )
    query = (
        sql_select(
            col(OrderItem.store_id),
            col(Store.name),
            col(OrderItem.product_id),
            col(OrderItem.variant_id),
            func.min(OrderItem.title),
            func.min(OrderItem.variant_title),
            func.max(OrderItem.sku),
            waiting,
            func.min(Order.name),
        )
        .join(Order, col(Order.id) == OrderItem.order_id)
        .join(Store, col(Store.id) == OrderItem.store_id)
        .where(col(OrderItem.product_id) != "", ~mapped)
        .group_by(
            col(OrderItem.store_id),
            col(Store.name),
            col(OrderItem.product_id),
            col(OrderItem.variant_id),
        )
    )
    if store_id is not None:
        query = query.where(col(OrderItem.store_id) == store_id)
    if not routed:
        query = query.where(col(OrderItem.rule_id).is_(None))
    for word in text.casefold().split():
        like = f"%{word}%"
        query = query.where(
            or_(
                func.lower(OrderItem.title).like(like),
                func.lower(OrderItem.variant_title).like(like),
                func.lower(OrderItem.sku).like(like),
                col(OrderItem.product_id) == word,
            )
        )
    with db.read() as session:
        rows = session.execute(query).all()
    found = [
        Unmapped(
            store_id=row[0],
            store=row[1],
            product_id=row[2],
            variant_id=row[3],
            title=row[4],
            variant_title=row[5],
            sku=row[6],
            waiting=int(row[7] or 0),
            example_order=row[8],
        )
        for row in rows
    ]
    return sorted(found, key=lambda u: (-u.waiting, u.store, u.title.casefold(), u.variant_title))


def store_variant_text(
    db: Database, store_id: int, product_id: str, variant_id: str
) -> tuple[str, str]:
    """(variant title, product title) of a store variant, as its newest item has them."""
    with db.read() as session:
        row = session.exec(
            select(OrderItem.variant_title, OrderItem.title)
            .where(
                col(OrderItem.store_id) == store_id,
                col(OrderItem.product_id) == product_id,
                col(OrderItem.variant_id) == variant_id,
            )
            .order_by(col(OrderItem.id).desc())
            .limit(1)
        ).first()
    return (row[0], row[1]) if row else ("", "")


def suggest_variant(
    db: Database,
    vendor_id: int,
    product_id: int,
    provider_id: int | None,
    variant_text: str,
    title: str = "",
    *,
    reach: Reach = REAL,
) -> Suggestion:
    """The vendor variant the store variant's options name (in stock first), or why none."""
    found = vendor_catalog.variants(db, vendor_id, product_id, provider_id, reach=reach)
    stocked = [Candidate(v.id, v.title, v.options) for v in found if v.in_stock]
    every = [Candidate(v.id, v.title, v.options) for v in found]
    for text in (variant_text, f"{variant_text} {title}".strip()):
        if not text:
            continue
        for candidates in (stocked, every):
            hit = suggest(text, candidates)
            if hit.id is not None:
                return hit
    if not variant_text and not title:
        return Suggestion(None, why="the store variant has no options to go by")
    return suggest(variant_text or title, every)
