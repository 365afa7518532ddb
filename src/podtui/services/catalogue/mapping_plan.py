"""Mappings as an operator sees them: the list with names, and a plan for mapping variants.

`plan_variants` turns "map these store variants (or every unmapped one of the product) to this
artwork and vendor product" into one draft per variant. Where the vendor variant is not given,
each store variant's options suggest it (`unmapped.suggest_variant`); a variant with no sure
suggestion is named with the reason, and nothing is planned until every one has a vendor variant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Artwork, ProductMapping, Store, Vendor
from podtui.services.catalogue.mappings import MappingDraft
from podtui.services.catalogue.unmapped import store_variant_text, suggest_variant, unmapped
from podtui.services.connections.reach import REAL, Reach

CATALOGUE_KINDS = ("printify", "printful")


@dataclass(frozen=True)
class MappingRow:
    """One mapping with the names an operator knows it by."""

    id: int
    store: str
    product_id: str
    variant_id: str
    sku: str
    artwork: str
    vendor: str
    vendor_product: dict[str, Any]
    weight_grams: int | None
    hs_code: str

    def line(self) -> str:
        ids = " ".join(f"{k}={v}" for k, v in sorted(self.vendor_product.items()))
        variant = self.variant_id or "(every variant)"
        sku = f" [{self.sku}]" if self.sku else ""
        return (
            f"#{self.id} {self.store}: product {self.product_id} variant {variant}{sku} -> "
            f"{self.artwork} by {self.vendor} {ids}".rstrip()
        )


def mapping_rows(db: Database, *, store_id: int | None = None, text: str = "") -> list[MappingRow]:
    """Every mapping (of one store), with store, artwork and vendor names; SKU searchable."""
    query = select(ProductMapping).order_by(
        col(ProductMapping.store_id), col(ProductMapping.product_id), col(ProductMapping.variant_id)
    )
    if store_id is not None:
        query = query.where(col(ProductMapping.store_id) == store_id)
    with db.read() as session:
        stores = {s.id: s.name for s in session.exec(select(Store)).all()}
        vendors = {v.id: v.name for v in session.exec(select(Vendor)).all()}
        artworks = {a.id: a.name for a in session.exec(select(Artwork)).all()}
        rows = session.exec(query).all()
    out = [
        MappingRow(
            id=m.id or 0,
            store=stores.get(m.store_id, "?"),
            product_id=m.product_id,
            variant_id=m.variant_id,
            sku=m.sku,
            artwork=artworks.get(m.artwork_id, "(no artwork)"),
            vendor=vendors.get(m.vendor_id, "(no vendor)"),
            vendor_product=dict(m.vendor_product or {}),
            weight_grams=m.weight_grams,
            hs_code=m.hs_code,
        )
        for m in rows
    ]
    words = text.casefold().split()
    return [r for r in out if all(w in r.line().casefold() for w in words)]


@dataclass(frozen=True)
class Plan:
    """One variant's draft and how the operator should read it."""

    draft: MappingDraft
    label: str


def _variants(
    db: Database, store_id: int, product_id: str, every: bool, given: Sequence[str]
) -> list[str]:
    if given:
        return list(dict.fromkeys(given))
    if not every:
        return [""]
    found = [
        u.variant_id
        for u in unmapped(db, store_id=store_id, routed=True)
        if u.product_id == product_id
    ]
    if not found:
        raise ValidationError(
            f"Product {product_id} has no unmapped variant in any synced order.",
            {"product_id": "nothing to map"},
        )
    return found


def plan_variants(
    db: Database,
    *,
    store_id: int,
    product_id: str,
    variants: Sequence[str],
    every_variant: bool,
    artwork_id: int,
    vendor: Vendor,
    vendor_product: dict[str, Any],
    weight_grams: int | None = None,
    hs_code: str = "",
    reach: Reach = REAL,
) -> list[Plan]:
    """One draft per store variant, the vendor variant suggested where it is not given."""
    assert vendor.id is not None
    problems: dict[str, str] = {}
    plans: list[Plan] = []
    suggests = vendor.kind in CATALOGUE_KINDS and "variant_id" not in vendor_product
    product_key = "blueprint_id" if vendor.kind == "printify" else "product_id"
    if suggests and product_key not in vendor_product:
        raise ValidationError(
            "Name the vendor's product first.",
            {product_key: f"needed to look up {vendor.name}'s variants"},
        )
    for variant in _variants(db, store_id, product_id, every_variant, variants):
        text, title = store_variant_text(db, store_id, product_id, variant)
        label = f"{title or 'product ' + product_id}" + (f" / {text}" if text else "")
        chosen = dict(vendor_product)
        if suggests:
            if not variant:
                problems["variant"] = "a whole listing spans variants: give --vendor-variant"
                continue
            hit = suggest_variant(
                db,
                vendor.id,
                int(vendor_product[product_key]),
                vendor_product.get("print_provider_id"),
                text,
                title,
                reach=reach,
            )
            if hit.id is None:
                problems[f"variant {variant}"] = f"{hit.why}; give --vendor-variant"
                continue
            chosen["variant_id"] = hit.id
            label += f" -> {vendor.name} variant {hit.id} ({hit.title}, suggested)"
        draft = MappingDraft(
            store_id=store_id,
            product_id=product_id,
            variant_id=variant,
            artwork_id=artwork_id,
            vendor_id=vendor.id,
            vendor_product=chosen,
            weight_grams=weight_grams,
            hs_code=hs_code,
        )
        plans.append(Plan(draft, label))
    if problems:
        raise ValidationError("No mapping was saved.", problems)
    return plans
