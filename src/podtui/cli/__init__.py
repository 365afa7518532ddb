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

# Each command and the module that adds it (`register(subparsers) -> None`). Named here, not
# found by importing them all: `podtui` (the app) is started every day, and importing the
# seventeen command modules to parse two words cost ~50 ms of a 0.3 s start.
# tests/cli/test_parser.py checks the table against what the modules register.
COMMANDS = {
    "run": "podtui.cli.run",
    "config": "podtui.cli.config_cmd",
    "demo": "podtui.cli.demo",
    "worker": "podtui.cli.worker",
    "export": "podtui.cli.export",
    "submit": "podtui.cli.submit",
    "recover": "podtui.cli.submit",
    "items": "podtui.cli.items",
    "connect": "podtui.cli.connect",
    "artwork": "podtui.cli.artwork",
    "mappings": "podtui.cli.mappings",
    "rules": "podtui.cli.rules",
    "sync": "podtui.cli.sync",
    "test-order": "podtui.cli.test_order",
    "store-order": "podtui.cli.store_order",
    "store-setting": "podtui.cli.store_setting",
    "webhook-apply": "podtui.cli.vendor_status",
    "poll": "podtui.cli.vendor_status",
    "db": "podtui.cli.db_cmd",
}
COMMAND_MODULES = list(dict.fromkeys(COMMANDS.values()))  # the order `podtui --help` lists


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


def command_named(argv: Sequence[str]) -> str | None:
    """The command word in `argv` (skipping --db and its value), or None when there is none."""
    words = iter(argv)
    for word in words:
        if word == "--db":
            next(words, None)
        elif word == "--":
            return next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; given `argv`, only the command it names (the app starts faster).

    `--help`, a word no command has, or no argv at all get every command: the listing and the
    "invalid choice" message name them all.
    """
    modules = COMMAND_MODULES
    if argv is not None and not {"-h", "--help"} & set(argv):
        word = command_named(argv) or "run"
        if word in COMMANDS:
            modules = [COMMANDS[word]]
    parser = argparse.ArgumentParser(
        prog="podtui", description="Print-on-demand fulfillment from the terminal."
    )
    parser.add_argument("--version", action="version", version=f"podtui {__version__}")
    parser.add_argument("--db", metavar="PATH", help=DB_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules:
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
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args = parser.parse_args(words)
    if args.command is None:
        args = parser.parse_args([*words, "run"])
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
