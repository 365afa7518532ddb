"""`podtui artwork add PATH...` / `podtui artwork list`: the artwork library.

`add` takes print images (PNG, JPEG), templates (.toml, with the files they name) and folders of
them; it copies each into podtui's data directory, so moving the original later breaks nothing.
A file it cannot use refuses the whole command with every reason (exit 2), and nothing is kept.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser("artwork", help="the artwork library: add print images and templates")
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    add = what.add_parser(
        "add", help="copy print images (PNG, JPEG), templates (.toml) or folders into the library"
    )
    add.add_argument("paths", nargs="+", metavar="PATH")
    add.set_defaults(func=run_add)
    listing = what.add_parser("list", help="every artwork, with how many mappings and items use it")
    listing.set_defaults(func=run_list)


def run_add(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_db
    from podtui.domain.errors import ValidationError
    from podtui.services.catalogue.artwork_library import add_artwork

    db = open_db(args)
    try:
        report = add_artwork(db, args.paths)
    except ValidationError as exc:
        print(f"podtui: {exc.args[0]}", file=sys.stderr)
        for path, why in exc.fields.items():
            print(f"  {path}: {why}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    for line in report.lines():
        print(line)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_db
    from podtui.services.catalogue.artwork_library import list_artwork

    db = open_db(args)
    try:
        rows = list_artwork(db)
    finally:
        db.dispose()
    if not rows:
        print("The library is empty: add artwork with `podtui artwork add PATH`.")
        return 0
    print(f"{'id':>4}  {'name':<28} {'kind':<8} {'mappings':>8} {'items':>6}  fields")
    for row in rows:
        fields = ", ".join(row.fields) or "-"
        print(
            f"{row.id:>4}  {row.name[:28]:<28} {row.kind:<8} {row.mappings:>8} {row.items:>6}"
            f"  {fields}"
        )
    return 0
