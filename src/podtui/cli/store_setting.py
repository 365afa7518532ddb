"""`podtui store-setting STORE [--notify-customer on|off]`: a store's settings that every operator
shares (the Connections screen's `n` sets the same one).

    podtui store-setting "Main Shop"                        # what is set
    podtui store-setting "Main Shop" --notify-customer on   # refunds, cancels, notes start ticked

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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_db
    from podtui.services.connections.store_settings import (
        notify_customer,
        read_store,
        set_notify_customer,
    )

    db = open_db(args)
    try:
        if args.notify_customer is not None:
            on = SWITCH[args.notify_customer]
            changed = set_notify_customer(db, args.store, on)
            state = "on" if on else "off"
            print(
                f"{args.store}: notify the customer is {state} by default"
                + ("." if changed else " (it was already).")
            )
            return 0
        store = read_store(db, args.store)
        print(f"{store.name} ({store.kind})")
        print(f"  notify-customer  {'on' if notify_customer(store) else 'off'}")
        return 0
    finally:
        db.dispose()
