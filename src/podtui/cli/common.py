"""What every subcommand needs: the config and the open database."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from podtui.config import Config, load_config, resolve_database_url

if TYPE_CHECKING:
    from podtui.db import Database


def open_db(args: argparse.Namespace, cfg: Config | None = None) -> Database:
    """Open (and migrate) the database chosen by --db, PODTUI_DATABASE_URL or the config."""
    from podtui.db import open_database  # the ORM loads only for commands that use it

    cfg = cfg if cfg is not None else load_config()
    return open_database(resolve_database_url(getattr(args, "db", None), cfg))
