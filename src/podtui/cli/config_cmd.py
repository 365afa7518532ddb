"""`podtui config [path|check]`: where podtui keeps things, and whether the config file is valid."""

from __future__ import annotations

import argparse
from typing import Any

from podtui.config import (
    config_file,
    data_dir,
    export_dir,
    load_config,
    print_files_dir,
    resolve_database_url,
)


def register(sub: Any) -> None:
    p = sub.add_parser("config", help="where podtui keeps things; check the config file")
    p.add_argument(
        "what",
        nargs="?",
        default="path",
        choices=["path", "check"],
        help="path (the default): print locations; check: validate the config file",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cfg = load_config()  # raises ConfigError with the bad key named
    if args.what == "check":
        print(f"{config_file()}: ok")
        return 0
    print(f"config file  {config_file()}")
    print(f"data dir     {data_dir()}")
    print(f"database     {resolve_database_url(args.db, cfg)}")
    print(f"print files  {print_files_dir()}")
    print(f"exports      {export_dir()}")
    return 0
