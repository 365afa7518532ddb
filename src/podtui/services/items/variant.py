"""A size exchange: an item changes to another variant of the same store product.

The variants offered are the product's others that podtui knows: seen on items of the same store
product, or mapped (a mapping row of their own, or a listing mapping whose `variant_ids` names
them). The change is one compare-and-set (status and version) with one `change_variant` event
(from and to variant, SKU and title): the item takes the variant's id, title and SKU, and the
variant's mapping (its own row, else the listing's) gives it its vendor and artwork where the
mapping names them. The status table says where it leads: an approved (Ready) item goes back to
Waiting approval and its print file is retired, so the old size can never be sent; approving it
again queues the render of the new one. An item at a vendor (Sent and on) is refused by the table.
Missing artwork with a mapped artwork moves on to Waiting approval (a second event, add artwork).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from podtui.domain.errors import ValidationError
from podtui.domain.models import OrderItem, ProductMapping
from podtui.domain.status import Action, ItemStatus
from podtui.services.items.transitions import apply_action, describe_item, load_item


@dataclass(frozen=True)
class VariantChoice:
    """Another variant of the item's product: what it is called and whether a mapping covers it."""

    variant_id: str
    title: str
    sku: str
    mapped: bool

    def label(self) -> str:
        """ "24x36 · POSTER-24 · mapped"."""
        parts = [self.title or self.sku or self.variant_id]
        if self.sku and self.title:
            parts.append(self.sku)
        parts.append("mapped" if self.mapped else "no mapping: keeps its vendor and artwork")
        return " · ".join(parts)


def _mappings(session: Session, item: OrderItem) -> list[ProductMapping]:
    return list(
        session.exec(
            select(ProductMapping).where(
                col(ProductMapping.store_id) == item.store_id,
                col(ProductMapping.product_id) == item.product_id,
            )
        ).all()
    )


def mapping_for(
    session: Session, item: OrderItem, variant_id: str | None = None
) -> ProductMapping | None:
    """The mapping of the item's variant (or of `variant_id`, another of its product).

    The variant's own row, else the listing's (no variant); never another variant's, nor a
    SKU's. Sending reads the vendor's product ids through this too, so an exchanged item is
    sent as the mapping the exchange applied.
    """
    wanted = item.variant_id if variant_id is None else variant_id
    mappings = _mappings(session, item)
    own = [row for row in mappings if wanted and row.variant_id == wanted]
    listing = [row for row in mappings if not row.variant_id]
    return next(iter(own or listing), None)


def _listing_covers(mappings: list[ProductMapping], variant_id: str) -> bool:
    for row in mappings:
        if not row.variant_id:
            ids = (row.vendor_product or {}).get("variant_ids")
            return not isinstance(ids, dict) or variant_id in ids
    return False


def variant_choices(session: Session, item_id: int) -> list[VariantChoice]:
    """The product's other variants podtui has seen or mapped, by title."""
    item = load_item(session, item_id)
    if not item.product_id:
        return []
    seen: dict[str, tuple[str, str]] = {}
    product = (
        col(OrderItem.store_id) == item.store_id,
        col(OrderItem.product_id) == item.product_id,
    )
    # Two steps, both on ix_item_product: the variant ids (the index alone), then one item of
    # each for its title and SKU; never every item of the store.
    others = session.exec(
        select(OrderItem.variant_id)
        .where(*product, col(OrderItem.variant_id) != item.variant_id)
        .where(col(OrderItem.variant_id) != "")
        .distinct()
    ).all()
    for variant_id in others:
        title, sku = session.exec(
            select(OrderItem.variant_title, OrderItem.sku)
            .where(*product, col(OrderItem.variant_id) == variant_id)
            .order_by(col(OrderItem.id).desc())
            .limit(1)
        ).one()
        seen[variant_id] = (title, sku)
    mappings = _mappings(session, item)
    own = {m.variant_id for m in mappings if m.variant_id}
    for row in mappings:
        if row.variant_id and row.variant_id != item.variant_id:
            known = seen.get(row.variant_id, ("", ""))
            seen[row.variant_id] = (known[0], known[1] or row.sku)
    choices = [
        VariantChoice(vid, title, sku, vid in own or _listing_covers(mappings, vid))
        for vid, (title, sku) in seen.items()
    ]
    # Named sizes first, by name; variants known only by a mapping's SKU after them.
    return sorted(
        choices, key=lambda c: (not c.title, (c.title or c.sku or c.variant_id).casefold())
    )


def change_variant(
    session: Session,
    item_id: int,
    variant_id: str,
    *,
    expected: ItemStatus,
    expected_version: int,
) -> OrderItem:
    """Change the item to `variant_id`; nothing is written when it is refused."""
    item = load_item(session, item_id)
    if variant_id == item.variant_id:
        raise ValidationError(f"{describe_item(session, item).capitalize()} is that variant now.")
    choice = next(
        (c for c in variant_choices(session, item_id) if c.variant_id == variant_id), None
    )
    if choice is None:
        raise ValidationError(
            f"{variant_id!r} is not a variant of {item.title or 'this product'} that podtui has "
            "seen in an order or mapped: nothing was changed."
        )
    mapping = mapping_for(session, item, variant_id)
    values: dict[str, Any] = {
        "variant_id": variant_id,
        "variant_title": choice.title,
        "sku": choice.sku or item.sku,
    }
    if mapping is not None:
        if mapping.vendor_id is not None:
            values["vendor_id"] = mapping.vendor_id
        if mapping.artwork_id is not None:
            values["artwork_id"] = mapping.artwork_id
        values["rule_id"] = None
        values["managed"] = True
    params: dict[str, Any] = {
        "from_variant": item.variant_title or item.variant_id,
        "to_variant": choice.title or variant_id,
        "from_variant_id": item.variant_id,
        "to_variant_id": variant_id,
        "from_sku": item.sku,
        "to_sku": values["sku"],
        "mapping_id": mapping.id if mapping is not None else None,
    }
    changed = apply_action(
        session,
        item_id,
        Action.CHANGE_VARIANT,
        values=values,
        params=params,
        expected=expected,
        expected_version=expected_version,
    )
    # A Ready item's print file (the old size) is retired by the status table's rule.
    if changed.status is ItemStatus.MISSING_ARTWORK and changed.artwork_id is not None:
        changed = apply_action(
            session,
            item_id,
            Action.ADD_ARTWORK,
            params={"artwork_id": changed.artwork_id, "mapping_id": params["mapping_id"]},
            expected=ItemStatus.MISSING_ARTWORK,
        )
    return changed
