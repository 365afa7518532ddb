"""`podtui rules list|try|add|edit|move|remove|apply`: routing rules without SQL.

A rule routes the waiting items no mapping covers: `--sku` (a glob), `--title` and `--type` (the
store's product type; each a glob, or words it contains), `--store`, `--country` (repeat) ->
`--vendor` with its ids (`--queue`, `--product-type` for a hot folder; `--blueprint`, `--provider`,
`--vendor-variant` ... for an API vendor), `--artwork`, `--approve manual|auto|no_fields`. `try`
says what a rule would route; `add` and `edit` save and apply it. Ready items move only with
`--reroute-ready`. Exit status: 0 done, 2 bad input (nothing changed).
"""

from __future__ import annotations

import argparse
from typing import Any

from podtui.cli.mappings import _run, _store_id, _vendor, _vendor_product
from podtui.domain.errors import ValidationError
from podtui.domain.routing import APPROVE_MODES
from podtui.domain.wording import count


def _rule_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", help="what the rule is called")
    p.add_argument("--sku", help="SKU glob, e.g. MUG-*")
    p.add_argument("--title", help="product title: a glob, or words it contains")
    p.add_argument("--type", help="the store's product type (Mug, T-Shirt): a glob, or words")
    p.add_argument("--store", help="only items of this store")
    p.add_argument("--country", action="append", help="destination country code; repeat")
    p.add_argument("--vendor", help="the vendor's name in podtui")
    p.add_argument("--queue", help="hot folder queue")
    p.add_argument("--product-type", help="hot folder product type")
    p.add_argument("--blueprint", type=int, help="Printify blueprint id")
    p.add_argument("--provider", type=int, help="Printify print provider id")
    p.add_argument("--vendor-product", type=int, help="Printful catalogue product id")
    p.add_argument("--vendor-variant", type=int, help="the vendor's variant id")
    p.add_argument("--print-area", help="Printify print area / Printful placement")
    p.add_argument("--artwork", type=int, help="artwork id (podtui artwork list)")
    p.add_argument("--approve", choices=APPROVE_MODES, help="approve the items it routes")
    p.add_argument("--position", type=int, help="1 = tried first (default: last)")


def register(sub: Any) -> None:
    parser = sub.add_parser("rules", help="routing rules for the items no mapping covers")
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    what.add_parser("list", help="the rules, in the order they are tried").set_defaults(
        func=run_list
    )
    tried = what.add_parser("try", help="what a rule would route (nothing is saved)")
    _rule_options(tried)
    tried.set_defaults(func=run_try)
    add = what.add_parser("add", help="save a rule and route the items it takes")
    _rule_options(add)
    edit = what.add_parser("edit", help="change a rule and route the items again")
    edit.add_argument("rule", help="the rule's name or number")
    _rule_options(edit)
    for p, func in ((add, run_add), (edit, run_edit)):
        p.add_argument(
            "--reroute-ready", action="store_true", help="also re-route (and re-render) Ready items"
        )
        p.set_defaults(func=func)
    move = what.add_parser("move", help="change the order rules are tried in")
    move.add_argument("rule", help="the rule's name or number")
    move.add_argument("position", type=int, help="1 = tried first")
    move.set_defaults(func=run_move)
    remove = what.add_parser("remove", help="delete a rule (its items keep their vendor)")
    remove.add_argument("rule", help="the rule's name or number")
    remove.set_defaults(func=run_remove)
    apply = what.add_parser("apply", help="route the waiting items by the rules as they are")
    apply.add_argument("--reroute-ready", action="store_true", help="also move Ready items")
    apply.set_defaults(func=run_apply)


def _find(db: Any, name: str) -> Any:
    from podtui.services.catalogue import rules

    found = rules.list_rules(db)
    for row in found:
        if row.name == name or (name.isdigit() and row.position == int(name)):
            return row
    raise ValidationError(f"No rule is called {name!r}.", {"rule": "see podtui rules list"})


def _draft(db: Any, args: argparse.Namespace, base: Any = None) -> Any:
    from podtui.services.catalogue.rules import RuleDraft

    def pick(given: Any, kept: Any) -> Any:
        return kept if given is None else given

    vendor = _vendor(db, args.vendor).id if args.vendor else (base.vendor_id if base else None)
    product = _vendor_product(args)
    if not product and base is not None and vendor == base.vendor_id:
        product = base.vendor_product
    store = _store_id(db, args.store) if args.store else (base.terms.store_id if base else None)
    return RuleDraft(
        vendor_id=vendor,
        name=pick(args.name, base.name if base else ""),
        sku=pick(args.sku, base.terms.sku if base else ""),
        title=pick(args.title, base.terms.title if base else ""),
        product_type=pick(args.type, base.terms.product_type if base else ""),
        store_id=store,
        countries=tuple(pick(args.country, base.terms.countries if base else ())),
        artwork_id=pick(args.artwork, base.artwork_id if base else None),
        vendor_product=product,
        approve=pick(args.approve, base.approve if base else "manual"),
        position=args.position,
        rule_id=base.id if base else None,
    )


def _said(applied: Any, name: str) -> str:
    routed = count(applied.routed, "item")
    text = f"Saved rule {applied.rule_id} ({name or 'unnamed'}). Routed {routed}."
    if applied.ready_left:
        text += (
            f" {applied.ready_left} Ready items were left as they are: add --reroute-ready to "
            "re-route them and render them again."
        )
    if applied.skipped:
        text += f" {count(applied.skipped, 'item')} changed meanwhile and were left alone."
    return text


def run_list(args: argparse.Namespace) -> int:
    from podtui.services.catalogue import rules

    def work(db: Any) -> int:
        found = rules.list_rules(db)
        if not found:
            print("No rules yet: `podtui rules add` routes the items no mapping covers.")
        for r in found:
            product = ", ".join(f"{k} {v}" for k, v in r.vendor_product.items())
            where = r.vendor + (f" ({product})" if product else "")
            bits = [where]
            if r.artwork:
                bits.append(f"artwork {r.artwork}")
            if r.approve != "manual":
                bits.append(
                    "approved automatically"
                    if r.approve == "auto"
                    else "approved when the artwork has no fields"
                )
            print(f"{r.position}. {r.name or 'unnamed'}: {r.describe()} -> {', '.join(bits)}; "
                  f"{r.waiting} waiting")  # fmt: skip
        return 0

    return _run(args, work)


def run_try(args: argparse.Namespace) -> int:
    from podtui.services.catalogue import rules

    def work(db: Any) -> int:
        print(rules.try_rule(db, _draft(db, args)).summary())
        return 0

    return _run(args, work)


def run_add(args: argparse.Namespace) -> int:
    from podtui.services.catalogue import rules

    def work(db: Any) -> int:
        draft = _draft(db, args)
        print(_said(rules.save_rule(db, draft, reroute_ready=args.reroute_ready), draft.name))
        return 0

    return _run(args, work)


def run_edit(args: argparse.Namespace) -> int:
    from podtui.services.catalogue import rules

    def work(db: Any) -> int:
        draft = _draft(db, args, _find(db, args.rule))
        print(_said(rules.save_rule(db, draft, reroute_ready=args.reroute_ready), draft.name))
        return 0

    return _run(args, work)


def run_move(args: argparse.Namespace) -> int:
    from podtui.services.catalogue import rules

    def work(db: Any) -> int:
        row = _find(db, args.rule)
        rules.move_rule(db, row.id, args.position)
        where = "first" if args.position <= 1 else f"at {args.position}"
        tried = rules.try_rules(db)
        print(f"Rule {row.name or row.id} is now tried {where}. "
              + tried.summary("Applying the rules").removesuffix(".")
              + " (podtui rules apply).")  # fmt: skip
        return 0

    return _run(args, work)


def run_remove(args: argparse.Namespace) -> int:
    from podtui.services.catalogue import rules

    def work(db: Any) -> int:
        row = _find(db, args.rule)
        rules.remove_rule(db, row.id)
        print(f"Removed rule {row.name or row.id} (its items keep their vendor).")
        return 0

    return _run(args, work)


def run_apply(args: argparse.Namespace) -> int:
    from podtui.services.catalogue import rules

    def work(db: Any) -> int:
        print(rules.apply_rules(db, reroute_ready=args.reroute_ready).summary())
        return 0

    return _run(args, work)
