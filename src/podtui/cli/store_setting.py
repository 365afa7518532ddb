"""`podtui store-setting STORE [--notify-customer on|off]`: a store's settings that every operator
shares (the Connections screen's `n` sets the same one).

    podtui store-setting "Main Shop"                        # what is set
    podtui store-setting "Main Shop" --notify-customer on   # refunds, cancels, notes start ticked
    podtui store-setting Lumen --auto-submit-types in-app,amazon   # sent by themselves
    podtui store-setting Lumen --order-type-rule created_via=admin:in-app   # first match wins
    podtui store-setting Lumen --locale el                  # capitals as Greek writes them

Exit status: 0 done, 2 an unknown store or a change made meanwhile.
"""

from __future__ import annotations

import argparse
from typing import Any

SWITCH = {"on": True, "off": False}


def register(sub: Any) -> None:
    p = sub.add_parser("store-setting", help="a store's shared settings (notify the customer)")
    p.add_argument("store", metavar="STORE", help="the store's name")
    p.add_argument(
        "--notify-customer",
        choices=sorted(SWITCH),
        help="whether the notify-the-customer choices start ticked for this store",
    )
    p.add_argument(
        "--auto-submit-types",
        metavar="TYPE,TYPE",
        help="order types sent by themselves when their countdown is up (in-app, amazon, "
        "shineon, others; default in-app)",
    )
    p.add_argument(
        "--order-type-rule",
        metavar="FIELD=VALUE:TYPE",
        help="a rule naming an order's type, tried before the others: created_via=admin:in-app "
        "or meta=_my_key:amazon",
    )
    p.add_argument("--clear-order-type-rules", action="store_true", help="drop the store's rules")
    p.add_argument("--locale", help="the customers' language (el, tr, pt-BR): for capitals")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_db
    from podtui.domain.order_types import auto_submit_types
    from podtui.services.connections import store_settings as settings

    # Every value is checked before the database is opened: a bad one changes nothing.
    rule = settings.parse_order_type_rule(args.order_type_rule) if args.order_type_rule else None
    if args.auto_submit_types is not None:
        settings.check_types(args.auto_submit_types.split(","))
    if args.locale is not None:
        settings.check_locale(args.locale)
    db = open_db(args)
    try:
        said = []
        if args.notify_customer is not None:
            on = SWITCH[args.notify_customer]
            changed = settings.set_notify_customer(db, args.store, on)
            said.append(
                _said(f"notify the customer is {'on' if on else 'off'} by default", changed)
            )
        if args.auto_submit_types is not None:
            types = args.auto_submit_types.split(",")
            changed = settings.set_auto_submit_types(db, args.store, types)
            said.append(
                _said(f"sends orders of the types {args.auto_submit_types} by themselves", changed)
            )
        if args.clear_order_type_rules:
            changed = settings.clear_order_type_rules(db, args.store)
            said.append(_said("has no order-type rules of its own", changed))
        if rule is not None:
            changed = settings.add_order_type_rule(db, args.store, rule)
            said.append(_said(f"reads {_rule(rule)} first", changed))
        if args.locale is not None:
            changed = settings.set_locale(db, args.store, args.locale)
            said.append(_said(f"writes capitals as {args.locale.strip()} does", changed))
        for line in said:
            print(f"{args.store}: {line}")
        if said:
            return 0
        store = settings.read_store(db, args.store)
        own = store.settings or {}
        print(f"{store.name} ({store.kind})")
        print(f"  notify-customer  {'on' if settings.notify_customer(store) else 'off'}")
        print(f"  auto-submit-types  {', '.join(auto_submit_types(own))}")
        rules = own.get("order_types") or []
        print(f"  order-type rules  {'; '.join(_rule(r) for r in rules) or 'none of its own'}")
        print(f"  locale  {own.get('locale') or 'not set'}")
        return 0
    finally:
        db.dispose()


def _said(what: str, changed: bool) -> str:
    return what + ("." if changed else " (it was already).")


def _rule(rule: dict[str, str]) -> str:
    field = "created_via" if "created_via" in rule else "meta"
    return f"{field}={rule.get(field)} -> {rule.get('type')}"
