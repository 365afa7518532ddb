"""What the Catalogue screen asks for: the choices of its mapping editor, the facts of an artwork,
the suggestions for the marked store variants, and saving them all at once.

Every call reads or writes through the other catalogue services; the screen runs them in
workers. Saving many variants is one call: each gets the vendor variant chosen for it (the
suggestion, or the operator's choice), all are checked first, and nothing is saved if one fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Artwork, Vendor
from podtui.domain.template import TemplateError, load_template
from podtui.domain.variant_match import Suggestion
from podtui.domain.wording import count, name_with_kind
from podtui.services.catalogue.artwork_files import PREVIEW_PIXELS, sample_image
from podtui.services.catalogue.artwork_library import ArtworkInfo
from podtui.services.catalogue.mappings import MappingDraft, Saved, save_mappings
from podtui.services.catalogue.unmapped import Unmapped, suggest_variant
from podtui.services.connections.reach import REAL, Reach
from podtui.services.render.jobs import resolve_template

RowKey = tuple[int, str, str]  # store id, product id, variant id


def row_key(row: Unmapped) -> RowKey:
    return (row.store_id, row.product_id, row.variant_id)


@dataclass(frozen=True)
class VendorChoice:
    """A vendor as the editor offers it."""

    id: int
    name: str
    kind: str
    queues: tuple[str, ...]

    @property
    def label(self) -> str:
        return name_with_kind(self.name, self.kind)


@dataclass(frozen=True)
class EditorChoices:
    artworks: list[tuple[int, str]]
    vendors: list[VendorChoice]


def editor_choices(db: Database) -> EditorChoices:
    """The artwork and the vendors a mapping may name."""
    with db.read() as session:
        artworks = session.exec(select(Artwork).order_by(col(Artwork.name))).all()
        vendors = session.exec(select(Vendor).order_by(col(Vendor.name))).all()
    return EditorChoices(
        artworks=[(a.id, f"#{a.id} {a.name}") for a in artworks if a.id is not None],
        vendors=[
            VendorChoice(
                v.id, v.name, v.kind, tuple(sorted((v.settings or {}).get("folders") or {}))
            )
            for v in vendors
            if v.id is not None
        ],
    )


def artwork_preview(info: ArtworkInfo) -> Image.Image | None:
    """The artwork's preview: its kept preview.png, else its template drawn with sample values."""
    try:
        if info.preview is not None and info.preview.is_file():
            with Image.open(info.preview) as opened:
                image = opened.copy()
            image.thumbnail((PREVIEW_PIXELS, PREVIEW_PIXELS))
            return image
        return sample_image(load_template(resolve_template(info.template)))
    except (DomainError, OSError, ValueError):
        return None


def artwork_facts(info: ArtworkInfo) -> list[str]:
    """What the Artwork tab says of one artwork: canvas, each field it takes, where it is used."""
    lines = [f"#{info.id} {info.name} ({'print image' if info.kind == 'image' else 'template'})"]
    try:
        template = load_template(resolve_template(info.template))
    except TemplateError as exc:
        return [*lines, f"the template cannot be read: {exc}"]
    lines.append(f"{template.width} x {template.height} px at {template.dpi} dpi")
    if not template.fields:
        lines.append("No fields: every print is the same.")
    for spec in template.fields:
        bits = [spec.kind, "required" if spec.required else "optional"]
        if spec.max_chars:
            bits.append(f"up to {spec.max_chars} characters")
        lines.append(f"• {spec.label} ({spec.name}): {', '.join(bits)}")
    lines.append(f"Used by {count(info.mappings, 'mapping')} and {count(info.items, 'item')}.")
    if info.source:
        lines.append(f"Added from {info.source}")
    return lines


def suggestions(
    db: Database,
    rows: Sequence[Unmapped],
    vendor_id: int,
    product_id: int,
    provider_id: int | None,
    *,
    reach: Reach = REAL,
) -> tuple[list[tuple[int, str, bool]], dict[RowKey, Suggestion]]:
    """(the vendor's variants as (id, title, in stock), the suggestion for each store variant)."""
    from podtui.services.catalogue.vendor_catalog import variants

    found = variants(db, vendor_id, product_id, provider_id, reach=reach)
    suggested = {
        row_key(r): suggest_variant(
            db, vendor_id, product_id, provider_id, r.variant_title, r.title, reach=reach
        )
        for r in rows
    }
    return [(v.id, v.title, v.in_stock) for v in found], suggested


def save_rows(
    db: Database,
    rows: Sequence[Unmapped],
    *,
    artwork_id: int | None,
    vendor_id: int | None,
    vendor_product: dict[str, Any],
    chosen: dict[RowKey, int | None],
    weight_grams: int | None = None,
    hs_code: str = "",
    reach: Reach = REAL,
) -> list[Saved]:
    """Map every row (its vendor variant from `chosen` where the vendor has variants)."""
    if not rows:
        raise ValidationError("Nothing to map: choose a store product first.")
    problems: dict[str, str] = {}
    drafts = []
    for row in rows:
        product = dict(vendor_product)
        if row_key(row) in chosen:
            variant = chosen[row_key(row)]
            if variant is None:
                problems[row.label] = "choose the vendor's variant for it"
                continue
            product["variant_id"] = variant
        drafts.append(
            MappingDraft(
                store_id=row.store_id,
                product_id=row.product_id,
                variant_id=row.variant_id,
                artwork_id=artwork_id,
                vendor_id=vendor_id,
                vendor_product=product,
                weight_grams=weight_grams,
                hs_code=hs_code,
                sku=row.sku,
            )
        )
    if problems:
        raise ValidationError("Nothing was mapped.", problems)
    try:
        return save_mappings(db, drafts, reach=reach)
    except ValidationError as exc:
        labels = {f"#{n}": r.label for n, r in enumerate(rows, start=1)}
        named = {_name(k, labels): v for k, v in exc.fields.items()}
        raise ValidationError("Nothing was mapped.", named) from None
    except DomainError:
        raise


def _name(key: str, labels: dict[str, str]) -> str:
    head, _, rest = key.partition(" ")
    return f"{labels[head]}: {rest}" if head in labels and rest else key
