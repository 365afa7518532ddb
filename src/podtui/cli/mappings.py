"""`podtui mappings unmapped|list|catalogue|add|export|import`: product mappings without SQL.

`unmapped` lists the store products and variants seen in orders that no mapping covers, with
the items waiting and an example order. `catalogue` looks products up in a vendor's own
catalogue (`--search`, then `--product` for its providers or variants). `add` maps one product
variant, several (`--variant` again) or every unmapped one of a product (`--all-variants`) to
artwork and a vendor product; without `--vendor-variant` each store variant's options suggest
the vendor's. `export` and `import` move every mapping (and every routing rule) through a CSV;
a file with any bad row applies nothing and names each bad row. Exit status: 0 done, 2 bad
input (nothing changed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.wording import count


def register(sub: Any) -> None:
    parser = sub.add_parser("mappings", help="product mappings: store product -> artwork, vendor")
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    unmapped = what.add_parser(
        "unmapped", help="store products seen in orders without a mapping or a rule"
    )
    unmapped.add_argument("--store", help="only this store")
    unmapped.add_argument("--search", default="", help="words of the title, variant or SKU")
    unmapped.set_defaults(func=run_unmapped)
    listing = what.add_parser("list", help="every mapping")
    listing.add_argument("--store", help="only this store")
    listing.set_defaults(func=run_list)
    cat = what.add_parser("catalogue", help="look products up in a vendor's catalogue")
    cat.add_argument("--vendor", required=True, help="the vendor's name in podtui")
    cat.add_argument("--search", default="", help="words of the title, brand or model")
    cat.add_argument("--product", type=int, help="a product (blueprint): its providers/variants")
    cat.add_argument("--provider", type=int, help="a Printify print provider: its variants")
    cat.add_argument("--refresh", action="store_true", help="read the product list again")
    cat.set_defaults(func=run_catalogue)
    add = what.add_parser("add", help="map store product variants to artwork and a vendor product")
    add.add_argument("--store", required=True)
    add.add_argument("--product", required=True, help="the store's product id")
    pick = add.add_mutually_exclusive_group()
    pick.add_argument("--variant", action="append", default=[], help="a store variant id; repeat")
    pick.add_argument("--all-variants", action="store_true", help="every unmapped variant")
    add.add_argument("--artwork", type=int, required=True, help="artwork id (podtui artwork list)")
    add.add_argument("--vendor", required=True, help="the vendor's name in podtui")
    add.add_argument("--blueprint", type=int, help="Printify blueprint id")
    add.add_argument("--provider", type=int, help="Printify print provider id")
    add.add_argument("--vendor-product", type=int, help="Printful catalogue product id")
    add.add_argument("--vendor-variant", type=int, help="the vendor's variant id (else suggested)")
    add.add_argument("--print-area", help="Printify print area / Printful placement")
    add.add_argument("--queue", help="hot folder queue")
    add.add_argument("--product-type", help="hot folder product type")
    add.add_argument("--weight", type=int, help="shipping weight, grams")
    add.add_argument("--hs-code", default="", help="HS tariff code, e.g. 6109.10")
    add.set_defaults(func=run_add)
    for name, func, helptext in (
        ("export", run_export, "write every mapping to a CSV file"),
        ("import", run_import, "read mappings from a CSV file (all rows or none)"),
    ):
        p = what.add_parser(name, help=helptext)
        p.add_argument("file", type=Path, metavar="FILE.csv")
        p.set_defaults(func=func)


def _fail(exc: DomainError) -> int:
    print(f"podtui: {exc.args[0]}", file=sys.stderr)
    for where, why in getattr(exc, "fields", {}).items():
        print(f"  {where}: {why}", file=sys.stderr)
    return 2


def _store_id(db: Any, name: str | None) -> int | None:
    if name is None:
        return None
    from sqlmodel import select

    from podtui.domain.models import Store

    with db.read() as session:
        row = session.exec(select(Store).where(Store.name == name)).first()
    if row is None or row.id is None:
        raise ValidationError(f"No store is called {name!r}.", {"store": "unknown"})
    store_id: int = row.id
    return store_id


def _vendor(db: Any, name: str) -> Any:
    from sqlmodel import select

    from podtui.domain.models import Vendor

    with db.read() as session:
        row = session.exec(select(Vendor).where(Vendor.name == name)).first()
    if row is None:
        raise ValidationError(f"No vendor is called {name!r}.", {"vendor": "unknown"})
    return row


def _run(args: argparse.Namespace, work: Any) -> int:
    from podtui.cli.common import open_db

    db = open_db(args)
    try:
        return int(work(db))
    except DomainError as exc:
        return _fail(exc)
    finally:
        db.dispose()


def run_unmapped(args: argparse.Namespace) -> int:
    from podtui.services.catalogue.unmapped import unmapped

    def work(db: Any) -> int:
        rows = unmapped(db, store_id=_store_id(db, args.store), text=args.search)
        if not rows:
            print("Every product seen in orders is mapped or routed by a rule.")
            return 0
        print(f"{'store':<16} {'product':>10} {'variant':>10} {'waiting':>7}  {'order':<10} title")
        for r in rows:
            print(
                f"{r.store[:16]:<16} {r.product_id:>10} {r.variant_id or '-':>10} {r.waiting:>7}"
                f"  {r.example_order[:10]:<10} {r.label}" + (f" [{r.sku}]" if r.sku else "")
            )
        return 0

    return _run(args, work)


def run_list(args: argparse.Namespace) -> int:
    from podtui.services.catalogue.mapping_plan import mapping_rows

    def work(db: Any) -> int:
        rows = mapping_rows(db, store_id=_store_id(db, args.store))
        if not rows:
            print("No mappings yet: `podtui mappings unmapped` lists what to map.")
        for r in rows:
            print(r.line())
        return 0

    return _run(args, work)


def run_catalogue(args: argparse.Namespace) -> int:
    from podtui.services.catalogue import vendor_catalog as vc

    def work(db: Any) -> int:
        vendor = _vendor(db, args.vendor)
        if args.product is None:
            listed = vc.products(db, vendor.id, refresh=args.refresh)
            hits = vc.search(listed.products, args.search, limit=40)
            when = f"{listed.fetched_at:%Y-%m-%d %H:%M} UTC"
            print(f"{vendor.name}: {count(len(listed.products), 'product')} (read {when})")
            for p in hits:
                print(
                    f"{p.id:>8}  {p.title}"
                    + (f" · {p.brand} {p.model}".rstrip() if p.brand else "")
                )
            return 0
        if vendor.kind == "printify" and args.provider is None:
            for provider in vc.providers(db, vendor.id, args.product, refresh=args.refresh):
                print(f"{provider.id:>8}  {provider.title}")
            return 0
        for v in vc.variants(db, vendor.id, args.product, args.provider, refresh=args.refresh):
            stock = "" if v.in_stock else "  (out of stock)"
            print(f"{v.id:>8}  {v.title}{stock}")
        return 0

    return _run(args, work)


def _vendor_product(args: argparse.Namespace) -> dict[str, Any]:
    given = {
        "blueprint_id": args.blueprint,
        "print_provider_id": args.provider,
        "product_id": args.vendor_product,
        "variant_id": args.vendor_variant,
        "queue": args.queue,
        "product_type": args.product_type,
    }
    if args.print_area:
        given["placement" if args.vendor_product else "print_area"] = args.print_area
    return {k: v for k, v in given.items() if v is not None}


def run_add(args: argparse.Namespace) -> int:
    from podtui.services.catalogue.mapping_plan import plan_variants

    def work(db: Any) -> int:
        from podtui.services.catalogue.mappings import save_mappings

        store_id = _store_id(db, args.store)
        assert store_id is not None
        vendor = _vendor(db, args.vendor)
        plans = plan_variants(
            db,
            store_id=store_id,
            product_id=args.product,
            variants=args.variant,
            every_variant=args.all_variants,
            artwork_id=args.artwork,
            vendor=vendor,
            vendor_product=_vendor_product(args),
            weight_grams=args.weight,
            hs_code=args.hs_code,
        )
        saved = save_mappings(db, [p.draft for p in plans])
        for plan, result in zip(plans, saved, strict=True):
            print(result.summary(plan.label))
        return 0

    return _run(args, work)


def run_export(args: argparse.Namespace) -> int:
    from podtui.services.catalogue.mapping_csv import export_csv

    def work(db: Any) -> int:
        from podtui.services.catalogue.rules import list_rules

        written, rules = export_csv(db, args.file), len(list_rules(db))
        also = f" and {count(rules, 'rule')}" if rules else ""
        print(f"Wrote {count(written, 'mapping')}{also} to {args.file}.")
        return 0

    return _run(args, work)


def run_import(args: argparse.Namespace) -> int:
    from podtui.services.catalogue.mapping_csv import import_csv

    def work(db: Any) -> int:
        print(import_csv(db, args.file).summary())
        return 0

    return _run(args, work)
