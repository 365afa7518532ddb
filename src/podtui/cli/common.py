"""What every subcommand needs: the config and the open database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from podtui.config import (
    Config,
    check_database_file,
    load_config,
    resolve_database_url,
    sqlite_file,
)

if TYPE_CHECKING:
    from podtui.db import Database


def parse_ids(text: str) -> list[int]:
    """ "12,13, 14" -> [12, 13, 14]; a part that is not a whole number is named."""
    ids: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{part!r} is not an item id")
        ids.append(int(part))
    if not ids:
        raise ValueError("no item ids given")
    return ids


def confirm(question: str, assume_yes: bool) -> bool:
    """Ask `question` on the terminal; without one, refuse (and say --yes) rather than guess."""
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        print(f"{question} Not a terminal: add --yes to go ahead without asking.", file=sys.stderr)
        return False
    answer = input(f"{question} [y/N] ").strip().lower()
    return answer in ("y", "yes")


def open_db(args: argparse.Namespace, cfg: Config | None = None) -> Database:
    """Open (and migrate) the database chosen by --db, PODTUI_DATABASE_URL or the config."""
    cfg = cfg if cfg is not None else load_config()
    return open_announced(resolve_database_url(getattr(args, "db", None), cfg))


def open_announced(url: str) -> Database:
    """Open (and migrate) the database at `url`, saying on stderr when that created it."""
    from podtui.db import open_database  # the ORM loads only for commands that use it

    new = NewDatabase(url)
    db = open_database(url)
    new.announce()
    return db


class NewDatabase:
    """Whether opening a SQLite file will create it (and folders): checked first, told after.

    Raises DatabaseUnavailableError when the file cannot be used (a folder, read-only).
    """

    def __init__(self, url: str) -> None:
        self.path = sqlite_file(url)
        self.folders: list[Path] = []
        self.fresh = False
        if self.path is not None:
            self.folders = check_database_file(self.path)
            self.fresh = not self.path.exists()

    def announce(self) -> None:
        """Say on stderr that the database was created, if it was."""
        if self.path is None or not self.fresh or not self.path.exists():
            return
        made = f" (and the folder {self.folders[0]})" if self.folders else ""
        print(f"podtui: created a new database at {self.path}{made}", file=sys.stderr)
