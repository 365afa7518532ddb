"""Artwork and design: link artwork to an item, its variant or its listing; edit the design fields.

Works inside the caller's write transaction, like every item use-case (items/actions.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from sqlmodel import Session, col, select

from podtui.domain.errors import NotFoundError, ValidationError
from podtui.domain.models import (
    Artwork,
    OrderItem,
    ProductMapping,
)
from podtui.domain.status import Action, ItemStatus, is_allowed
from podtui.services.items.actions import approve
from podtui.services.items.transitions import apply_action, check_allowed, describe_item, load_item

Scope = Literal["item", "variant", "listing"]


# Items that a variant- or listing-wide artwork link moves along with the one the operator chose.
_LINKABLE_STATUSES: tuple[ItemStatus, ...] = (
    ItemStatus.MISSING_ARTWORK,
    ItemStatus.WAITING_APPROVAL,
)


def _upsert_mapping(session: Session, item: OrderItem, artwork_id: int, scope: Scope) -> int:
    variant = item.variant_id if scope == "variant" else ""
    mapping = session.exec(
        select(ProductMapping).where(
            ProductMapping.store_id == item.store_id,
            ProductMapping.product_id == item.product_id,
            ProductMapping.variant_id == variant,
        )
    ).first()
    if mapping is None:
        mapping = ProductMapping(
            store_id=item.store_id,
            product_id=item.product_id,
            variant_id=variant,
            artwork_id=artwork_id,
            vendor_id=item.vendor_id,
        )
    else:
        mapping.artwork_id = artwork_id
        if mapping.vendor_id is None:
            mapping.vendor_id = item.vendor_id
    session.add(mapping)
    session.flush()
    assert mapping.id is not None
    return mapping.id


def _link_one(
    session: Session,
    item: OrderItem,
    artwork_id: int,
    params: dict[str, Any],
    expected: ItemStatus | None,
) -> OrderItem:
    values: dict[str, Any] = {"artwork_id": artwork_id, "managed": True}
    if item.status is ItemStatus.ON_HOLD and item.status_before is ItemStatus.MISSING_ARTWORK:
        # Released later, it must not fall back to "missing artwork" with artwork linked.
        values["status_before"] = ItemStatus.WAITING_APPROVAL
    assert item.id is not None
    return apply_action(
        session,
        item.id,
        Action.ADD_ARTWORK,
        values=values,
        params={**params, "previous_artwork_id": item.artwork_id},
        expected=expected,
        expected_version=item.version,
    )


def link_artwork(
    session: Session,
    item_id: int,
    artwork_id: int,
    scope: Scope = "item",
    *,
    expected: ItemStatus | None = None,
) -> list[OrderItem]:
    """Link artwork to the item, or to every open item of its variant or listing.

    With scope "variant" or "listing" a product mapping is saved too, so later syncs link new
    items of that product by themselves. Items of archived orders are left alone.
    """
    if scope not in ("item", "variant", "listing"):
        raise ValidationError(
            f"Unknown scope {scope!r}: use item, variant or listing.", fields={"scope": scope}
        )
    if session.get(Artwork, artwork_id) is None:
        raise NotFoundError(f"Artwork {artwork_id} does not exist (deleted?). Nothing was linked.")
    item = load_item(session, item_id)
    check_allowed(session, item, Action.ADD_ARTWORK)
    if scope != "item" and not item.product_id:
        raise ValidationError(
            f"{describe_item(session, item).capitalize()} has no store product id, so it has "
            "no variant or listing: link it on its own.",
            fields={"scope": "the item has no product id"},
        )
    params: dict[str, Any] = {"artwork_id": artwork_id, "scope": scope}
    if scope != "item":
        params["mapping_id"] = _upsert_mapping(session, item, artwork_id, scope)
    linked = [_link_one(session, item, artwork_id, params, expected)]
    if scope == "item":
        return linked
    for other in session.exec(_others(item, artwork_id, scope)).all():
        linked.append(_link_one(session, other, artwork_id, params, other.status))
    return linked


def _others(item: OrderItem, artwork_id: int, scope: Scope) -> Any:
    """The other open items a variant- or listing-wide link moves along with `item`."""
    query = select(OrderItem).where(
        OrderItem.store_id == item.store_id,
        OrderItem.product_id == item.product_id,
        OrderItem.id != item.id,
        col(OrderItem.status).in_(_LINKABLE_STATUSES),
        col(OrderItem.archived).is_(False),
        (col(OrderItem.artwork_id).is_(None)) | (col(OrderItem.artwork_id) != artwork_id),
    )
    if scope == "variant":
        query = query.where(OrderItem.variant_id == item.variant_id)
    return query.order_by(col(OrderItem.id))


def link_count(session: Session, item_id: int, artwork_id: int, scope: Scope) -> int:
    """How many items `link_artwork` would link now (the item and the others of its scope)."""
    if scope == "item":
        return 1
    item = load_item(session, item_id)
    return 1 + len(session.exec(_others(item, artwork_id, scope)).all())


def edit_design(
    session: Session,
    item_id: int,
    fields: Mapping[str, str],
    *,
    expected: ItemStatus | None = None,
) -> OrderItem:
    """Change personalization fields (merged into the existing ones).

    A ready item goes back to waiting approval: its print file no longer matches. An edit that
    changes nothing writes nothing.
    """
    item = load_item(session, item_id)
    check_allowed(session, item, Action.EDIT_DESIGN)
    bad = {
        str(k): "field names are text and values are text"
        for k, v in fields.items()
        if not isinstance(k, str) or not k.strip() or not isinstance(v, str)
    }
    if bad:
        raise ValidationError(f"The design of item {item_id} was not changed.", fields=bad)
    old = dict(item.personalization)
    changes = {
        name: {"old": old.get(name), "new": value}
        for name, value in fields.items()
        if old.get(name) != value
    }
    if not changes:
        return item
    from podtui.services.items.rejections import resolve_fixed

    resolve_fixed(session, [item], changes, "design")  # judged on the refused values
    return apply_action(
        session,
        item_id,
        Action.EDIT_DESIGN,
        values={"personalization": {**old, **fields}},
        params={"changes": changes},
        expected=expected,
        expected_version=item.version,
    )


def save_design(
    session: Session,
    item_id: int,
    changes: dict[str, str],
    *,
    and_approve: bool = False,
    expected: ItemStatus | None = None,
) -> OrderItem | bool:
    """The design editor's save: the changed fields, then the approval when asked and allowed.

    False: nothing changed and nothing approved (the dialog closes without a "saved" toast).
    """
    item = edit_design(session, item_id, changes, expected=expected) if changes else None
    now = item.status if item is not None else expected
    if and_approve and now is not None and is_allowed(now, Action.APPROVE):
        return approve(session, item_id, expected=now)
    if item is None and not and_approve:
        return False
    return item or True
