"""`podtui webhook-apply FILE|- [--vendor NAME]` and `podtui poll [--vendor NAME]`.

webhook-apply reads relayed Printify or Printful webhook bodies (one JSON object, an array, or JSON
lines; `-` is standard input) and moves the items they speak of, exactly as a poll would. Only a
Printify body with a valid --signature is taken at its word; any other body is checked with the
vendor's API first, and with a Printify webhook secret set an unsigned Printify body is refused.
poll asks every integrated vendor (or the named ones) about the orders still open there. Both
print one line per vendor order and exit 1 when something could not be applied, with the reason.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from podtui.cli.common import open_db


def register(sub: Any) -> None:
    p = sub.add_parser(
        "webhook-apply",
        help="apply relayed Printify/Printful webhook bodies (status, tracking) to the items",
        description=__doc__,
    )
    p.add_argument("file", metavar="FILE|-", help="JSON file of webhook bodies, or - for stdin")
    p.add_argument("--vendor", metavar="NAME", help="the vendor they came from (when several)")
    p.add_argument(
        "--signature",
        metavar="HEADER",
        help="the X-Pfy-Signature header Printify sent with this body (sha256=<hex>); checked "
        "against the webhook secret PODTUI_PRINTIFY_<ACCOUNT>_WEBHOOK_SECRET (or the keyring)",
    )
    p.set_defaults(func=run_webhook_apply)
    q = sub.add_parser(
        "poll",
        help="ask the vendors about open orders: in production, shipped, canceled, on hold",
        description=__doc__,
    )
    q.add_argument(
        "--vendor", metavar="NAME", action="append", help="only this vendor (repeatable)"
    )
    q.set_defaults(func=run_poll)


def _read(source: str) -> bytes:
    # Bytes as received: a signature is over the exact body, newlines included.
    if source == "-":
        return sys.stdin.buffer.read()
    return Path(source).expanduser().read_bytes()


def run_webhook_apply(args: argparse.Namespace) -> int:
    from podtui.services.sending.vendor_webhooks import apply_webhook_text, check_signature

    try:
        raw = _read(args.file)
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"podtui: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    db = open_db(args)
    try:
        if args.signature:
            check_signature(db, raw, args.signature, args.vendor)
        batch = apply_webhook_text(db, text, vendor_name=args.vendor, signed=bool(args.signature))
    finally:
        db.dispose()
    for result in batch.results:
        print(result.text(), file=sys.stdout if result.ok else sys.stderr)
    return 0 if batch.ok else 1


def run_poll(args: argparse.Namespace) -> int:
    from podtui.services.sending.vendor_status import poll_vendors

    db = open_db(args)
    try:
        report = poll_vendors(db, vendor_names=args.vendor)
    finally:
        db.dispose()
    for update in report.updates:
        if update.changed or update.problem:
            print(update.text())
    for error in report.errors:
        print(error, file=sys.stderr)
    print(report.headline())
    return 1 if report.errors or any(u.problem for u in report.updates) else 0
