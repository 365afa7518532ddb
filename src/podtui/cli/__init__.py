"""The `podtui` command line: the same services the screens call, for scripts and cron.

Each subcommand lives in its own module under `podtui.cli` and exposes `register(subparsers)`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from podtui import __version__
from podtui.adapters.redact import scrub
from podtui.config import ConfigError
from podtui.domain.errors import DomainError

# Modules that add subcommands; each has `register(subparsers) -> None`.
COMMAND_MODULES = [
    "podtui.cli.run",
    "podtui.cli.config_cmd",
    "podtui.cli.demo",
    "podtui.cli.worker",
    "podtui.cli.export",
    "podtui.cli.submit",
    "podtui.cli.items",
    "podtui.cli.connect",
    "podtui.cli.artwork",
    "podtui.cli.mappings",
    "podtui.cli.rules",
    "podtui.cli.sync",
    "podtui.cli.test_order",
    "podtui.cli.store_order",
    "podtui.cli.store_setting",
    "podtui.cli.vendor_status",
    "podtui.cli.db_cmd",
]


DB_HELP = (
    "database to use, before or after the command: a SQLite file or a URL such as "
    "postgresql://user@host/db (default: the user data dir; or PODTUI_DATABASE_URL)"
)


def _db_after_every_command(parser: argparse.ArgumentParser) -> None:
    """Let every sub-command (and theirs) take --db too: `podtui sync --db X` as `--db X sync`."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for child in action.choices.values():
            if "--db" not in child._option_string_actions:
                # SUPPRESS: given nowhere here, the value before the sub-command stays.
                child.add_argument(
                    "--db", dest="db", metavar="PATH", default=argparse.SUPPRESS, help=DB_HELP
                )
            _db_after_every_command(child)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="podtui", description="Print-on-demand fulfillment from the terminal."
    )
    parser.add_argument("--version", action="version", version=f"podtui {__version__}")
    parser.add_argument("--db", metavar="PATH", help=DB_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    _db_after_every_command(parser)
    return parser


def _database_trouble(exc: Exception, args: argparse.Namespace) -> str | None:
    """A database error that is the database's state (read-only, locked, full), in one line."""
    orm_errors = sys.modules.get("sqlalchemy.exc")  # not loaded: the error cannot be one of its
    if orm_errors is None or not isinstance(exc, orm_errors.OperationalError):
        return None
    from podtui.config import load_config, resolve_database_url
    from podtui.db import unavailable_reason

    try:
        url = resolve_database_url(getattr(args, "db", None), load_config())
    except ConfigError:
        url = ""
    return unavailable_reason(exc, url)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "run"])
    try:
        code: int = args.func(args)
    except (DomainError, ConfigError) as exc:
        print(f"podtui: {scrub(str(exc))}", file=sys.stderr)
        return 2
    except Exception as exc:
        reason = _database_trouble(exc, args)
        if reason is None:
            raise
        print(f"podtui: {scrub(reason)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("podtui: interrupted", file=sys.stderr)
        return 130
    return code
