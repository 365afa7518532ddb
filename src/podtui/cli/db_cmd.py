"""`podtui db copy --to URL`: move a shop's database, SQLite to PostgreSQL or back, verified."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from podtui.config import database_url_of
from podtui.domain.wording import count


def register(sub: Any) -> None:
    p = sub.add_parser("db", help="the database as a whole: copy it to another one")
    what = p.add_subparsers(dest="what", metavar="WHAT", required=True)
    c = what.add_parser(
        "copy",
        help="copy every row into an empty database (SQLite file or postgresql:// URL), verified "
        "table by table by row count and checksum",
    )
    c.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="the empty target: postgresql://user@host/db, or a SQLite file",
    )
    c.set_defaults(func=run_copy)


def _hidden(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def run_copy(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_announced, open_db
    from podtui.services.database.copy import copy_database

    source = open_db(args)
    target_url = database_url_of(args.to)
    shown: dict[str, int] = {}

    def progress(table: str, rows: int) -> None:
        if rows - shown.get(table, 0) >= 50_000:
            shown[table] = rows
            print(f"  {table}: {count(rows, 'row')}", file=sys.stderr)

    try:
        open_announced(target_url).dispose()  # says so when it makes a new SQLite file
        report = copy_database(source, target_url, progress)
    finally:
        source.dispose()
    width = max((len(t.table) for t in report.tables), default=5)
    for t in report.tables:
        print(f"{t.table:<{width}}  {count(t.rows, 'row'):>14}  sha256 {t.digest[:16]}")
    print(f"copied {count(report.rows, 'row')} to {_hidden(target_url)}: every table verified")
    return 0
