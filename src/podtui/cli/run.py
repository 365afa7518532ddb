"""`podtui run` (the default): open the TUI on the configured database.

The app opens (and migrates) the database itself, in a worker, after the list first paints;
so this module imports neither the ORM nor Alembic, and neither should anything it imports.
"""

from __future__ import annotations

import argparse
from typing import Any

from podtui.cli.common import NewDatabase
from podtui.config import load_config, resolve_database_url


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="open the app (the default)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from podtui.app import PodTUI  # textual is imported only when a screen is wanted

    cfg = load_config()
    url = resolve_database_url(getattr(args, "db", None), cfg)
    new = NewDatabase(url)  # a folder or a read-only file: one line and an exit, not a screen
    PodTUI(config=cfg, url=url, freeze_heap=True).run()
    new.announce()
    return 0
