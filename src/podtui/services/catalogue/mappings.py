"""Product mappings: save one (checked), and move the items it covers to Waiting approval.

A mapping names the store product and variant (store + product id + variant id, the key; an
empty variant covers every variant without a mapping of its own), the artwork, the vendor and
the vendor's ids for it. What the vendor needs depends on its kind (`VENDOR_FIELDS`); ids are
checked against the vendor's catalogue (`catalogue_problems`, over HTTP, before the write). A
saved mapping is applied at once in the same transaction: each open item it covers that lacks
this artwork or vendor gets them, Missing artwork -> Waiting approval, one timeline event per
item. Items already approved, sent or further on are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists
from sqlmodel import Session, col, select

from podtui.db import Database
from podtui.domain.errors import NotFoundError, ValidationError
from podtui.domain.models import Artwork, OrderItem, ProductMapping, Store, Vendor, utcnow
from podtui.domain.status import Action, ItemStatus
from podtui.domain.wording import count
from podtui.services.catalogue import routing, vendor_catalog
from podtui.services.connections.reach import REAL, Reach

# What each kind of vendor needs to know of the product, and what it may also take.
VENDOR_FIELDS: dict[str, tuple[str, ...]] = {
    "printify": ("blueprint_id", "print_provider_id", "variant_id"),
    "printful": ("product_id", "variant_id"),
    "hotfolder": ("product_type",),
    "manual": (),
}
OPTIONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "printify": ("print_area",),
    "printful": ("placement",),
    "hotfolder": ("queue",),
    "manual": (),
}
INT_FIELDS = frozenset({"blueprint_id", "print_provider_id", "variant_id", "product_id"})
MOVABLE = (ItemStatus.MISSING_ARTWORK, ItemStatus.WAITING_APPROVAL)
_HS_CODE = re.compile(r"^\d{4}(\.?\d{2}){1,3}$")


@dataclass(frozen=True)
class MappingDraft:
    """A mapping as an editor, the CLI or a CSV row gives it, before it is checked."""

    store_id: int
    product_id: str
    variant_id: str = ""
    artwork_id: int | None = None
    vendor_id: int | None = None
    vendor_product: dict[str, Any] = field(default_factory=dict)
    weight_grams: int | None = None
    hs_code: str = ""
    sku: str = ""


@dataclass(frozen=True)
class Saved:
    """What saving a mapping did: the row, and the items it moved or re-linked."""

    mapping_id: int
    created: bool
    moved: tuple[int, ...]  # Missing artwork -> Waiting approval
    relinked: tuple[int, ...]  # Waiting approval, given this artwork or vendor

    def summary(self, label: str) -> str:
        verb = "Mapped" if self.created else "Updated the mapping of"
        bits = [f"{count(len(self.moved), 'item')} to Waiting approval"]
        if self.relinked:
            bits.append(f"{count(len(self.relinked), 'waiting item')} re-linked")
        return f"{verb} {label}: " + ", ".join(bits) + "."


def vendor_fields(kind: str) -> tuple[str, ...]:
    return VENDOR_FIELDS.get(kind, ())


def _clean_product(
    vendor: Vendor, given: dict[str, Any], problems: dict[str, str]
) -> dict[str, Any]:
    """The vendor's ids of the draft, typed, with a problem per missing or wrong one."""
    needed = VENDOR_FIELDS.get(vendor.kind)
    if needed is None:
        problems["vendor"] = f"podtui cannot map to a {vendor.kind} vendor"
        return {}
    allowed = set(needed) | set(OPTIONAL_FIELDS.get(vendor.kind, ()))
    out: dict[str, Any] = {}
    for key, value in given.items():
        text = "" if value is None else str(value).strip()
        if not text:
            continue
        if key not in allowed:
            problems[key] = f"a {vendor.kind} vendor takes no {key}"
        elif key in INT_FIELDS:
            if not text.isdigit() or int(text) < 1:
                problems[key] = f"{text!r} is not a {vendor.kind} id (a whole number)"
            else:
                out[key] = int(text)
        else:
            out[key] = text
    for key in needed:
        if key not in out and key not in problems:
            problems[key] = f"a {vendor.kind} mapping needs the vendor's {key}"
    queues = sorted((vendor.settings or {}).get("folders") or {})
    if vendor.kind == "hotfolder" and queues and out.get("queue") not in queues:
        given = out.get("queue", "")
        problems["queue"] = f"{given!r} is not a queue of {vendor.name} ({', '.join(queues)})"
    return out


def _product_seen(session: Session, draft: MappingDraft) -> bool:
    """Whether the store's product (and variant) was seen in an order or is mapped already."""
    item = select(OrderItem.id).where(
        col(OrderItem.store_id) == draft.store_id, col(OrderItem.product_id) == draft.product_id
    )
    mapped = select(ProductMapping.id).where(
        col(ProductMapping.store_id) == draft.store_id,
        col(ProductMapping.product_id) == draft.product_id,
    )
    if draft.variant_id:
        item = item.where(col(OrderItem.variant_id) == draft.variant_id)
        mapped = mapped.where(col(ProductMapping.variant_id) == draft.variant_id)
    return bool(session.exec(item.limit(1)).first() or session.exec(mapped.limit(1)).first())


def check_draft(session: Session, draft: MappingDraft) -> tuple[dict[str, str], dict[str, Any]]:
    """(problems by field, the vendor's ids typed): everything but the vendor's catalogue."""
    problems: dict[str, str] = {}
    store = session.get(Store, draft.store_id)
    if store is None:
        problems["store"] = f"store {draft.store_id} does not exist"
    if not draft.product_id.strip():
        problems["product_id"] = "the store's product id is empty"
    elif store is not None and not _product_seen(session, draft):
        which = f"product {draft.product_id}" + (
            f" variant {draft.variant_id}" if draft.variant_id else ""
        )
        problems["product_id"] = f"{store.name} has no {which} in any synced order (sync first?)"
    if draft.artwork_id is None:
        problems["artwork"] = "choose the artwork it is printed from"
    elif session.get(Artwork, draft.artwork_id) is None:
        problems["artwork"] = f"artwork {draft.artwork_id} does not exist"
    vendor = session.get(Vendor, draft.vendor_id) if draft.vendor_id is not None else None
    product: dict[str, Any] = {}
    if draft.vendor_id is None:
        problems["vendor"] = "choose the vendor that prints it"
    elif vendor is None:
        problems["vendor"] = f"vendor {draft.vendor_id} does not exist"
    else:
        product = _clean_product(vendor, draft.vendor_product, problems)
    if draft.weight_grams is not None and not 0 < draft.weight_grams <= 100_000:
        problems["weight_grams"] = "a weight is 1 to 100000 grams"
    if draft.hs_code and not _HS_CODE.match(draft.hs_code.strip()):
        problems["hs_code"] = f"{draft.hs_code!r} is not an HS code (6 to 10 digits, e.g. 6109.10)"
    return problems, product


def catalogue_problems(
    db: Database, vendor_id: int, product: dict[str, Any], reach: Reach = REAL
) -> dict[str, str]:
    """Whether the vendor's catalogue has these ids (providers and variants are cached)."""
    vendor = vendor_catalog.load_vendor(db, vendor_id)
    if not vendor_catalog.has_catalogue(vendor):
        return {}
    try:
        if vendor.kind == "printify":
            found = vendor_catalog.variants(
                db, vendor_id, product["blueprint_id"], product["print_provider_id"], reach=reach
            )
        else:
            found = vendor_catalog.variants(db, vendor_id, product["product_id"], reach=reach)
    except NotFoundError as exc:
        return {"vendor_product": str(exc)}
    if not any(v.id == product["variant_id"] for v in found):
        return {"variant_id": f"{vendor.name} has no variant {product['variant_id']} there"}
    return {}


def _covered(session: Session, mapping: ProductMapping) -> list[OrderItem]:
    """The open items the mapping covers whose artwork, vendor or managed flag it changes."""
    query = select(OrderItem).where(
        col(OrderItem.store_id) == mapping.store_id,
        col(OrderItem.product_id) == mapping.product_id,
        col(OrderItem.status).in_(MOVABLE),
        col(OrderItem.archived).is_(False),
    )
    if mapping.variant_id:
        query = query.where(col(OrderItem.variant_id) == mapping.variant_id)
    else:  # the listing: only variants without a mapping of their own
        own = exists().where(
            col(ProductMapping.store_id) == OrderItem.store_id,
            col(ProductMapping.product_id) == OrderItem.product_id,
            col(ProductMapping.variant_id) == OrderItem.variant_id,
            col(ProductMapping.variant_id) != "",
        )
        query = query.where(~own)
    items = session.exec(query.order_by(col(OrderItem.id))).all()
    return [
        i
        for i in items
        if i.artwork_id != mapping.artwork_id
        or i.vendor_id != mapping.vendor_id
        or not i.managed
        or i.rule_id is not None
    ]


def apply_mapping(session: Session, mapping: ProductMapping) -> tuple[list[int], list[int]]:
    """Give the covered items the mapping's artwork and vendor: (moved, re-linked) item ids.

    The same path a routing rule takes (`routing.apply_moves`), one event per item; an item a
    rule routed before is the mapping's from now on.
    """
    moves = [
        routing.Move(
            item_id=item.id,
            order_id=item.order_id,
            status=item.status,
            version=item.version,
            vendor_id=mapping.vendor_id,
            artwork_id=mapping.artwork_id,
            rule_id=None,
            was_vendor=item.vendor_id,
            was_artwork=item.artwork_id,
            params=(("mapping_id", mapping.id),),
        )
        for item in _covered(session, mapping)
        if item.id is not None
    ]
    done = set(routing.apply_moves(session, moves, Action.ADD_ARTWORK.value))
    moved = [
        m.item_id for m in moves if m.item_id in done and m.status is ItemStatus.MISSING_ARTWORK
    ]
    relinked = [m.item_id for m in moves if m.item_id in done and m.item_id not in moved]
    return moved, relinked


def save_draft(session: Session, draft: MappingDraft) -> Saved:
    """Check, then create or update the mapping and apply it (in the caller's transaction)."""
    problems, product = check_draft(session, draft)
    if problems:
        raise ValidationError("The mapping was not saved.", problems)
    row = session.exec(
        select(ProductMapping).where(
            col(ProductMapping.store_id) == draft.store_id,
            col(ProductMapping.product_id) == draft.product_id,
            col(ProductMapping.variant_id) == draft.variant_id,
        )
    ).first()
    created = row is None
    row = row or ProductMapping(
        store_id=draft.store_id, product_id=draft.product_id, variant_id=draft.variant_id
    )
    if draft.sku or created:
        row.sku = draft.sku or _sku_seen(session, draft)
    row.artwork_id, row.vendor_id = draft.artwork_id, draft.vendor_id
    row.vendor_product = product
    row.weight_grams, row.hs_code = draft.weight_grams, draft.hs_code.strip()
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    assert row.id is not None
    moved, relinked = apply_mapping(session, row)
    return Saved(row.id, created, tuple(moved), tuple(relinked))


def _sku_seen(session: Session, draft: MappingDraft) -> str:
    query = select(OrderItem.sku).where(
        col(OrderItem.store_id) == draft.store_id,
        col(OrderItem.product_id) == draft.product_id,
        col(OrderItem.sku) != "",
    )
    if draft.variant_id:
        query = query.where(col(OrderItem.variant_id) == draft.variant_id)
    return session.exec(query.limit(1)).first() or ""


def save_mappings(
    db: Database, drafts: Sequence[MappingDraft], *, reach: Reach = REAL, catalogue: bool = True
) -> list[Saved]:
    """Check every draft (the vendor's catalogue too), then save them all in one transaction.

    ValidationError names each bad draft (`#n field`) and nothing is saved.
    """
    problems: dict[str, str] = {}
    with db.read() as session:
        checked = [check_draft(session, d) for d in drafts]
    for n, (draft, (found, product)) in enumerate(zip(drafts, checked, strict=True), start=1):
        prefix = f"#{n} " if len(drafts) > 1 else ""
        if not found and catalogue and draft.vendor_id is not None:
            found = catalogue_problems(db, draft.vendor_id, product, reach)
        problems.update({f"{prefix}{k}": v for k, v in found.items()})
    if problems:
        raise ValidationError("No mapping was saved.", problems)
    with db.write() as session:
        return [save_draft(session, d) for d in drafts]
