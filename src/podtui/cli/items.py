"""`podtui items ACTION`: the order list's bulk actions from a shell, a script or cron.

    podtui items approve --filter "status:waiting_approval store:Lumen"
    podtui items hold --ids 12,13 --reason "out of 11oz mugs"
    podtui items mark-fulfilled --ids 40 --yes
    podtui items archive --filter "status:fulfilled age:>30d" --yes

The items are picked as the app's marks pick them (`--ids`, or everything `--filter` matches,
in the list's filter language) and go through the same plan and services: items their status
does not allow are skipped and counted with why, each change is one compare-and-set with its
timeline event. It says what it will do and asks first (`--yes` skips the question; without a
terminal it refuses rather than guess). Sending has its own command, `podtui submit`.
Exit status: 0 done (skips included), 1 some failed or not confirmed, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from podtui.cli.common import confirm, open_db, parse_ids

# The command's verbs and the list's bulk kinds they run (services/listing/bulk_actions.py).
ACTIONS = {
    "approve": "approve",
    "regenerate": "regenerate",
    "hold": "hold",
    "release": "release",
    "ignore": "ignore",
    "restore": "restore",
    "mark-fulfilled": "mark_fulfilled",
    "archive": "archive",
    "unarchive": "unarchive",
}


def register(sub: Any) -> None:
    p = sub.add_parser("items", help="approve, hold, release, ignore... items by ids or filter")
    p.add_argument("action", choices=list(ACTIONS), help="what to do to the items")
    p.add_argument("--ids", metavar="ID,ID", help="item ids, comma separated")
    p.add_argument("--filter", metavar="TEXT", help='a list filter, e.g. "status:ready mug"')
    p.add_argument("--reason", help="why (hold needs one; it goes on the timeline)")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask first")
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"podtui items: {message}", file=sys.stderr)
    return 2


def run(args: argparse.Namespace) -> int:
    from podtui.domain.errors import DomainError
    from podtui.services.listing.bulk_actions import (
        BULK_KINDS,
        plan_bulk,
        resolve_use_case,
        run_bulk,
    )
    from podtui.services.listing.filters import parse_filter
    from podtui.services.listing.query import ListQuery, MarkSet, resolve
    from podtui.services.listing.reader import ListReader

    kind = BULK_KINDS[ACTIONS[args.action]]
    if (args.ids is None) == (args.filter is None):
        return _fail("say which items: --ids or --filter (one of them)")
    if kind.needs_reason and not (args.reason or "").strip():
        return _fail(f"{args.action} needs --reason (it goes on each item's timeline)")
    target = MarkSet()
    if args.ids is not None:
        try:
            target.included = set(parse_ids(args.ids))
        except ValueError as exc:
            return _fail(str(exc))
    db = open_db(args)
    reader = ListReader(db.url, engine=None if db.is_sqlite else db.engine)
    try:
        if args.filter is not None:
            from datetime import UTC, datetime

            try:
                query = ListQuery(filter=parse_filter(args.filter))
                target.mark_all(resolve(query, reader.lookups(), datetime.now(UTC)))
            except DomainError as exc:
                return _fail(f"the filter {args.filter!r}: {exc}")
        plan = plan_bulk(reader, kind, target)
        print(plan.question())
        if plan.acting == 0:
            return 0
        if not confirm("Go ahead?", args.yes):
            return 1
        report = run_bulk(db, plan, resolve_use_case(kind, (args.reason or "").strip()))
        print(report.text())
        return 1 if report.failed else 0
    finally:
        reader.close()
        db.dispose()
