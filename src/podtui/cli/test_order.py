"""`podtui test-order --store NAME`: place a test order at a store and sync it in.

The order carries the store's test mark, so podtui shows it with a TEST badge and never sends
it by itself. Exit status: 0 placed and synced, 1 the store refused or failed, 2 bad arguments.
"""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser("test-order", help="place a test order at a store", description=__doc__)
    p.add_argument("--store", required=True, metavar="NAME", help="the store to place it at")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_db
    from podtui.services.sync.test_order import place_test_order

    db = open_db(args)
    try:
        placed = place_test_order(db, args.store)
    finally:
        db.dispose()
    print(f"test order {placed.store_order_id} placed at {placed.store}: {placed.summary}")
    return 0
