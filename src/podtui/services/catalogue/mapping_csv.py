"""Product mappings to and from CSV, for a spreadsheet: every row checked, all or nothing.

The columns are `COLUMNS`; the vendor's ids sit in the columns its kind uses (Printify:
blueprint_id, print_provider_id, vendor_variant_id, print_area; Printful: vendor_product_id,
vendor_variant_id, print_area; hot folder: queue, product_type). Names (store, vendor) are
matched exactly; artwork by id (its name is written for the reader and not read back). Rows with
a `rule` name are routing rules, in the order they are tried (`match_*`, `approve`; the store
column, when set, is the store the rule is for). Import
checks every row (that the store, its product and variant, the artwork, the vendor and the
vendor's ids exist, the last in the vendor's catalogue) and, when any row is bad, applies
nothing and names every bad row by its line number with the reason. Cells are written through
csv_cells (a leading `'` stops a spreadsheet running a formula) and that `'` is read back off.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Artwork, OrderItem, ProductMapping, Store, Vendor
from podtui.domain.routing import parse_countries
from podtui.domain.wording import count
from podtui.services.catalogue import rules as rules_service
from podtui.services.catalogue.mappings import (
    MappingDraft,
    Saved,
    catalogue_problems,
    check_draft,
    save_draft,
)
from podtui.services.catalogue.rules import RuleDraft
from podtui.services.connections.reach import REAL, Reach
from podtui.services.csv_cells import FORMULA_STARTS, safe_row

COLUMNS = (
    "store", "product_id", "variant_id", "sku", "title", "artwork_id", "artwork", "vendor",
    "blueprint_id", "print_provider_id", "vendor_product_id", "vendor_variant_id", "print_area",
    "queue", "product_type", "weight_grams", "hs_code",
    "rule", "match_sku", "match_title", "match_type", "match_countries", "approve",
)  # fmt: skip
RULE_COLUMNS = ("rule", "match_sku", "match_title", "match_type", "match_countries", "approve")
REQUIRED = ("store", "product_id", "variant_id", "artwork_id", "vendor")
# CSV column -> the vendor_product key, per vendor kind.
PRODUCT_COLUMNS: dict[str, dict[str, str]] = {
    "printify": {
        "blueprint_id": "blueprint_id",
        "print_provider_id": "print_provider_id",
        "vendor_variant_id": "variant_id",
        "print_area": "print_area",
    },
    "printful": {
        "vendor_product_id": "product_id",
        "vendor_variant_id": "variant_id",
        "print_area": "placement",
    },
    "hotfolder": {"queue": "queue", "product_type": "product_type"},
    "manual": {},
}
VENDOR_COLUMNS = ("blueprint_id", "print_provider_id", "vendor_product_id", "vendor_variant_id",
                  "print_area", "queue", "product_type")  # fmt: skip


@dataclass
class ImportReport:
    """What an import did: mappings created and updated, items moved."""

    saved: list[Saved] = field(default_factory=list)
    rules: rules_service.Imported | None = None

    def summary(self) -> str:
        created = sum(1 for s in self.saved if s.created)
        moved = sum(len(s.moved) for s in self.saved)
        text = (
            f"Imported {count(len(self.saved), 'mapping')} "
            f"({created} new, {len(self.saved) - created} "
            f"updated); {count(moved, 'item')} moved to Waiting approval."
        )
        if self.rules is not None:
            text += " " + self.rules.summary()
        return text


def _titles(session: Session) -> dict[tuple[int, str], str]:
    rows = session.exec(
        select(OrderItem.store_id, OrderItem.product_id, func.min(OrderItem.title)).group_by(
            col(OrderItem.store_id), col(OrderItem.product_id)
        )
    ).all()
    return {(s, p): t for s, p, t in rows}


def export_csv(db: Database, path: Path) -> int:
    """Write every mapping, then every rule in its order, to `path`; how many mappings."""
    with db.read() as session:
        stores = {s.id: s.name for s in session.exec(select(Store)).all()}
        vendors = {v.id: v for v in session.exec(select(Vendor)).all()}
        artworks = {a.id: a.name for a in session.exec(select(Artwork)).all()}
        titles = _titles(session)
        mappings = session.exec(
            select(ProductMapping).order_by(
                col(ProductMapping.store_id),
                col(ProductMapping.product_id),
                col(ProductMapping.variant_id),
            )
        ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for m in mappings:
        vendor = vendors.get(m.vendor_id)
        row: dict[str, Any] = {
            "store": stores.get(m.store_id, ""),
            "product_id": m.product_id,
            "variant_id": m.variant_id,
            "sku": m.sku,
            "title": titles.get((m.store_id, m.product_id), ""),
            "artwork_id": m.artwork_id or "",
            "artwork": artworks.get(m.artwork_id, ""),
            "vendor": vendor.name if vendor else "",
            "weight_grams": m.weight_grams or "",
            "hs_code": m.hs_code,
        }
        for column, key in PRODUCT_COLUMNS.get(vendor.kind if vendor else "", {}).items():
            row[column] = (m.vendor_product or {}).get(key, "")
        writer.writerow(safe_row(row.get(c, "") for c in COLUMNS))
    rules = rules_service.list_rules(db)
    for r in rules:
        vendor = vendors.get(r.vendor_id)
        row = {
            "store": r.store,
            "artwork_id": r.artwork_id or "",
            "artwork": r.artwork,
            "vendor": r.vendor,
            "rule": r.name or f"rule {r.position}",
            "match_sku": r.terms.sku,
            "match_title": r.terms.title,
            "match_type": r.terms.product_type,
            "match_countries": " ".join(r.terms.countries),
            "approve": r.approve,
        }
        for column, key in PRODUCT_COLUMNS.get(vendor.kind if vendor else "", {}).items():
            row[column] = r.vendor_product.get(key, "")
        writer.writerow(safe_row(row.get(c, "") for c in COLUMNS))
    path.write_text(out.getvalue(), encoding="utf-8")
    return len(mappings)


def _cell(row: dict[str, Any], column: str) -> str:
    text = str(row.get(column) or "").strip()
    if text.startswith("'") and text[1:2] and text[1:2] in FORMULA_STARTS:
        return text[1:]  # the quote csv_cells put there
    return text


def _draft(
    row: dict[str, Any], stores: dict[str, int], vendors: dict[str, Vendor]
) -> tuple[MappingDraft | None, list[str]]:
    """The draft a row names, or the reasons it names none."""
    why: list[str] = []
    store = _cell(row, "store")
    if store not in stores:
        why.append(f"no store is called {store!r}" if store else "the store is empty")
    vendor = vendors.get(_cell(row, "vendor"))
    if vendor is None:
        name = _cell(row, "vendor")
        why.append(f"no vendor is called {name!r}" if name else "the vendor is empty")
    numbers: dict[str, int | None] = {}
    for column in ("artwork_id", "weight_grams"):
        text = _cell(row, column)
        if text and not text.isdigit():
            why.append(f"{column} {text!r} is not a whole number")
        numbers[column] = int(text) if text.isdigit() else None
    if why or vendor is None:
        return None, why
    columns = PRODUCT_COLUMNS.get(vendor.kind, {})
    product: dict[str, Any] = {columns[c]: _cell(row, c) for c in columns if _cell(row, c)}
    stray = [c for c in VENDOR_COLUMNS if c not in columns and _cell(row, c)]
    why += [f"a {vendor.kind} vendor takes no {c}" for c in stray]
    draft = MappingDraft(
        store_id=stores[store],
        product_id=_cell(row, "product_id"),
        variant_id=_cell(row, "variant_id"),
        artwork_id=numbers["artwork_id"],
        vendor_id=vendor.id,
        vendor_product=product,
        weight_grams=numbers["weight_grams"],
        hs_code=_cell(row, "hs_code"),
        sku=_cell(row, "sku"),
    )
    return (None, why) if why else (draft, [])


def _rule_draft(
    row: dict[str, Any], stores: dict[str, int], vendors: dict[str, Vendor]
) -> tuple[RuleDraft | None, list[str]]:
    """The rule a row names (a row with `rule` set), or the reasons it names none."""
    why: list[str] = []
    store = _cell(row, "store")
    if store and store not in stores:
        why.append(f"no store is called {store!r}")
    name = _cell(row, "vendor")
    vendor = vendors.get(name)
    if vendor is None:
        why.append(f"no vendor is called {name!r}" if name else "the vendor is empty")
    artwork = _cell(row, "artwork_id")
    if artwork and not artwork.isdigit():
        why.append(f"artwork_id {artwork!r} is not a whole number")
    if why or vendor is None:
        return None, why
    columns = PRODUCT_COLUMNS.get(vendor.kind, {})
    product: dict[str, Any] = {columns[c]: _cell(row, c) for c in columns if _cell(row, c)}
    why += [f"a {vendor.kind} vendor takes no {c}" for c in VENDOR_COLUMNS
            if c not in columns and _cell(row, c)]  # fmt: skip
    draft = RuleDraft(
        vendor_id=vendor.id,
        name=_cell(row, "rule"),
        sku=_cell(row, "match_sku"),
        title=_cell(row, "match_title"),
        product_type=_cell(row, "match_type"),
        store_id=stores[store] if store else None,
        countries=parse_countries(_cell(row, "match_countries")),
        artwork_id=int(artwork) if artwork else None,
        vendor_product=product,
        approve=_cell(row, "approve") or "manual",
    )
    return (None, why) if why else (draft, [])


def read_csv(db: Database, path: Path, reach: Reach = REAL) -> list[MappingDraft]:
    """Every mapping row of the file as a draft (see `read_file` for the rules too)."""
    return read_file(db, path, reach)[0]


def read_file(
    db: Database, path: Path, reach: Reach = REAL
) -> tuple[list[MappingDraft], list[RuleDraft]]:
    """Every row of the file as a draft; ValidationError naming each bad row's line and why."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"{path} cannot be read ({exc}); nothing was imported.") from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(
            "Nothing was imported.", {"line 1": f"the header lacks {', '.join(missing)}"}
        )
    with db.read() as session:
        stores = {s.name: s.id for s in session.exec(select(Store)).all() if s.id is not None}
        vendors = {v.name: v for v in session.exec(select(Vendor)).all()}
    problems: dict[str, str] = {}
    drafts: list[MappingDraft] = []
    rule_drafts: list[RuleDraft] = []
    seen: dict[tuple[int, str, str], int] = {}
    names: dict[str, int] = {}
    start = 2
    for row in reader:
        line, start = start, reader.line_num + 1
        if _cell(row, "rule"):
            rule, why = _rule_draft(row, stores, vendors)
            if rule is not None:
                if rule.name in names:
                    why.append(f"the same rule name as line {names[rule.name]}")
                names.setdefault(rule.name, line)
                with db.read() as session:
                    found, _product = rules_service.check(session, rule)
                why += [f"{k}: {v}" for k, v in found.items()]
                rule_drafts.append(rule)
            if why:
                problems[f"line {line}"] = "; ".join(why)
            continue
        draft, why = _draft(row, stores, vendors)
        if draft is not None:
            key = (draft.store_id, draft.product_id, draft.variant_id)
            if key in seen:
                why.append(f"the same store, product and variant as line {seen[key]}")
            seen.setdefault(key, line)
            with db.read() as session:
                found, product = check_draft(session, draft)
            if not found and draft.vendor_id is not None:
                found = catalogue_problems(db, draft.vendor_id, product, reach)
            why += [f"{k}: {v}" for k, v in found.items()]
            drafts.append(draft)
        if why:
            problems[f"line {line}"] = "; ".join(why)
    if problems:
        raise ValidationError(
            f"Nothing was imported: {len(problems)} of the rows cannot be used.", problems
        )
    return drafts, rule_drafts


def import_csv(db: Database, path: Path, *, reach: Reach = REAL) -> ImportReport:
    """Check every row, then save them all and apply them, in one transaction."""
    drafts, rule_drafts = read_file(db, path, reach)
    with db.write() as session:
        report = ImportReport([save_draft(session, d) for d in drafts])
    if rule_drafts:
        report.rules = rules_service.import_rules(db, rule_drafts)
    return report
