"""`podtui submit` and `podtui recover`: bulk sends and crash recovery from a shell or cron.

    podtui submit --ids 12,13      send these items (Ready, or Failed to retry with the same key)
    podtui submit --ready          send every Ready item of an integrated vendor
    podtui submit --ready --vendor Printify    one vendor's Ready queue
    podtui submit --due            send what the automatic countdown says is due (for cron)
    podtui recover                 reconcile submissions a crash left in Sending

`submit` states what it will do and asks first (`--yes` skips the question; without a terminal
it refuses rather than guess), then prints a summary and each skipped or failed item with why.
Exit status: 0 all went, 1 some failed, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from podtui.cli.common import confirm, open_db, parse_ids


def register(sub: Any) -> None:
    p = sub.add_parser("submit", help="send items to their vendors")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--ids", metavar="ID,ID", help="item ids, comma separated")
    which.add_argument("--ready", action="store_true", help="every Ready item")
    which.add_argument("--due", action="store_true", help="items whose countdown is up (cron)")
    p.add_argument("--vendor", metavar="NAME", help="only this vendor's items (its name, any case)")
    p.add_argument(
        "--shipping",
        metavar="METHOD",
        help="the --vendor's shipping method (Printify: standard, priority, printify_express; "
        "Printful: STANDARD, PRINTFUL_FAST, EXPRESS); default: the vendor's setting",
    )
    p.add_argument("--yes", "-y", action="store_true", help="do not ask first")
    p.set_defaults(func=run_submit)
    r = sub.add_parser("recover", help="reconcile submissions left in Sending by a crash")
    r.add_argument(
        "--older-than",
        type=float,
        default=None,
        metavar="S",
        help="only submissions idle this many seconds (default 300; 0 = all: use only when "
        "no other podtui is sending)",
    )
    r.set_defaults(func=run_recover)


def run_submit(args: argparse.Namespace) -> int:
    from sqlmodel import col, select

    from podtui.domain.models import OrderItem, Vendor
    from podtui.domain.status import ItemStatus
    from podtui.services.listing.bulk_actions import BULK_KINDS, report_of
    from podtui.services.sending import countdown
    from podtui.services.sending.fulfil import SendOptions, send_items

    if args.ids is not None:
        try:
            ids = parse_ids(args.ids)
        except ValueError as exc:
            print(f"podtui submit: {exc}", file=sys.stderr)
            return 2
    if args.shipping is not None and args.vendor is None:
        print(
            "podtui submit: --shipping needs --vendor (methods differ per vendor)", file=sys.stderr
        )
        return 2
    db = open_db(args)
    vendor_id: int | None = None
    shipping: dict[int, str] = {}
    if args.vendor is not None:
        with db.read() as session:
            rows = {v.id: v for v in session.exec(select(Vendor)).all()}
        vendors = {i: v.name for i, v in rows.items()}
        vendor_id = _pick_vendor(args.vendor, vendors)
        if vendor_id is None:
            known = ", ".join(sorted(vendors.values())) or "none yet"
            print(
                f"podtui submit: no vendor is called {args.vendor!r} (vendors: {known})",
                file=sys.stderr,
            )
            return 2
        if args.shipping is not None:
            method = _shipping_method(rows[vendor_id].kind, vendors[vendor_id], args.shipping)
            if method is None:
                return 2
            shipping[vendor_id] = method
    if args.due:
        countdown.refresh(db)
        ids = countdown.due_items(db)
        what = "due"
    elif args.ready:
        with db.read() as session:
            ids = [
                int(i)
                for i in session.exec(
                    select(OrderItem.id)
                    .join(Vendor, col(Vendor.id) == col(OrderItem.vendor_id))
                    .where(
                        col(OrderItem.status) == ItemStatus.READY,
                        col(Vendor.kind) != "manual",
                        col(OrderItem.archived).is_(False),
                    )
                    .order_by(col(OrderItem.id))
                ).all()
                if i is not None
            ]
        what = "Ready"
    else:
        what = "given"
    if vendor_id is not None:
        with db.read() as session:
            theirs = set(
                session.exec(
                    select(OrderItem.id).where(
                        col(OrderItem.id).in_(ids), col(OrderItem.vendor_id) == vendor_id
                    )
                ).all()
            )
        ids = [i for i in ids if i in theirs]
        what += f" {vendors[vendor_id]}"
    if not ids:
        print(f"Nothing to send: no {what} items.")
        return 0
    noun = "item" if len(ids) == 1 else "items"
    if not confirm(f"Send {len(ids):,} {what} {noun} to their vendors?", args.yes):
        print("Nothing was sent.")
        return 0 if not args.yes else 2

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{done:,}/{total:,}", end="", file=sys.stderr, flush=True)

    outcome = send_items(db, ids, on_progress=progress, options=SendOptions(shipping=shipping))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(
        f"Sent {len(outcome.done):,}, skipped {len(outcome.skipped):,}, "
        f"failed {len(outcome.failed):,}"
    )
    report = report_of(db, BULK_KINDS["send"], outcome)
    for line in report.vendor_lines():
        print(f"  {line}")
    for item_id, why in sorted(outcome.skipped.items()):
        print(f"  skipped {report.label(item_id)}: {why}")
    for item_id, why in sorted(outcome.failed.items()):
        print(f"  FAILED {report.label(item_id)}: {why}")
    return 1 if outcome.failed else 0


def _shipping_method(kind: str, vendor: str, wanted: str) -> str | None:
    """The vendor's own word for the method named (any case); None, said why, when it has none."""
    from podtui.services.sending.shipping_choice import vendor_choices

    methods = [c.method for c in vendor_choices(kind)]
    if len(methods) < 2:
        print(f"podtui submit: {vendor} has no shipping methods to choose from", file=sys.stderr)
        return None
    for method in methods:
        if method.lower() == wanted.strip().lower():
            return method
    print(
        f"podtui submit: {vendor} has no shipping method {wanted!r} (it has {', '.join(methods)})",
        file=sys.stderr,
    )
    return None


def _pick_vendor(name: str, vendors: dict[int | None, str]) -> int | None:
    """The vendor called `name` (any case), else the only one whose name contains it."""
    wanted = name.strip().lower()
    exact = [i for i, n in vendors.items() if n.lower() == wanted and i is not None]
    if exact:
        return exact[0]
    partial = [i for i, n in vendors.items() if wanted and wanted in n.lower() and i is not None]
    return partial[0] if len(partial) == 1 else None


def run_recover(args: argparse.Namespace) -> int:
    from podtui.services.sending.recovery import DEFAULT_OLDER_THAN, recover

    older = DEFAULT_OLDER_THAN if args.older_than is None else args.older_than
    if older < 0:
        print("podtui recover: --older-than must be 0 or more", file=sys.stderr)
        return 2
    db = open_db(args)
    report = recover(db, older_than=older)
    for line in report.lines():
        print(line)
    return 1 if report.failed or report.left else 0
