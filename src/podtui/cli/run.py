"""`podtui run` (the default): open the TUI on the configured database."""

from __future__ import annotations

import argparse
from typing import Any

from podtui.cli.common import open_db
from podtui.config import load_config


def register(sub: Any) -> None:
    p = sub.add_parser("run", help="open the app (the default)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from podtui.app import PodTUI  # textual is imported only when a screen is wanted

    cfg = load_config()
    db = open_db(args, cfg)
    PodTUI(db=db, config=cfg).run()
    return 0
