"""`podtui export zip --order NAME | --ids 1,2 [-o out.zip]`: production files as a ZIP.

Without `-o` the ZIP goes to the export folder (documents, else podtui's data folder), never
the working directory; `podtui config path` says where that is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def _ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of item ids like 1,2,3") from None


def register(sub: Any) -> None:
    p = sub.add_parser("export", help="export production files")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    z = what.add_parser("zip", help="the current print files of an order or of items, as a ZIP")
    pick = z.add_mutually_exclusive_group(required=True)
    pick.add_argument("--order", metavar="NAME", help="an order name, e.g. #1001")
    pick.add_argument("--ids", type=_ids, metavar="1,2", help="item ids, comma-separated")
    z.add_argument(
        "-o", "--output", type=Path, metavar="FILE",
        help="ZIP to write (default: podtui-print-files-<time>.zip in the export folder)",
    )  # fmt: skip
    z.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_db
    from podtui.services.render.export_zip import export_zip, items_of_order

    out = args.output
    if out is None:
        from datetime import UTC, datetime

        from podtui.services.listing.export_csv import default_export_path

        now = datetime.now(UTC)
        out = default_export_path(now, name="print-files", suffix=".zip")
    db = open_db(args)
    try:
        with db.read() as session:
            ids = items_of_order(session, args.order) if args.order else args.ids
            result = export_zip(session, ids, out)
    finally:
        db.dispose()
    print(f"wrote {result.path}: {len(result.files)} print files")
    for item_id, why in result.missing.items():
        print(f"  not included: item {item_id}: {why}", file=sys.stderr)
    return 0 if not result.missing else 1
