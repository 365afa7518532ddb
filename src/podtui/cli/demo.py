"""`podtui demo [--db PATH] [--orders N | --items N] [--seed-only] [--reset]`: the sandbox demo.

Builds a demo database full of realistic orders (seeded once; running it again reuses it) and opens
the app on it. Without `--db` the demo lives in its own file, `<data dir>/demo.db`, never in the
operator's database; `--db` may come before the subcommand (the global option) or after it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from podtui.config import data_dir, load_config
from podtui.domain.errors import DomainError
from podtui.domain.wording import count

if TYPE_CHECKING:
    from podtui.db import Database
    from podtui.demo.seed import SeedReport

# The ORM and the demo services are imported where they are used: `podtui run` builds this
# parser too, and must not pay for them before its first paint (see cli/run.py).


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="open the app on a demo database of realistic orders (sandbox store and vendors)",
        description=__doc__,
    )
    # Same dest as the global option; SUPPRESS keeps a global `--db` when this one is not given.
    p.add_argument("--db", dest="db", metavar="PATH", default=argparse.SUPPRESS,
                   help="demo database file (default: <data dir>/demo.db)")  # fmt: skip
    size = p.add_mutually_exclusive_group()
    size.add_argument("--orders", type=_positive, default=500, help="orders to seed (default 500)")
    size.add_argument("--items", type=_positive, help="seed this many items instead")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    p.add_argument(
        "--seed-only", action="store_true", help="build the database, do not open the app"
    )
    p.add_argument("--reset", action="store_true", help="empty the demo database and seed it again")
    p.set_defaults(func=run)


def _positive(text: str) -> int:
    value = int(text.replace("_", "").replace(",", ""))
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def demo_database(args: argparse.Namespace) -> tuple[str, str]:
    """The database the demo uses, as (URL, how to name it): --db (a file or a URL), else its
    own file in the data dir. A URL is that database, never a file spelled like it."""
    chosen = getattr(args, "db", None)
    if chosen and "://" in chosen:
        return chosen, chosen.split("@", 1)[-1] if "@" in chosen else chosen
    path = Path(chosen).expanduser().resolve() if chosen else data_dir() / "demo.db"
    return f"sqlite:///{path}", str(path)


def _check_is_demo(db: Database, path: str) -> None:
    """Refuse to seed or reset a database that holds anything but the demo's own stores."""
    from sqlmodel import select

    from podtui.demo.catalog import STORES
    from podtui.domain.models import Store

    with db.read() as session:
        names = set(session.exec(select(Store.name)).all())
    foreign = names - {s.name for s in STORES}
    if foreign:
        raise DomainError(
            f"{path} is not a demo database (it has the stores {', '.join(sorted(foreign))}); "
            "give `podtui demo` a new file with --db."
        )


def run(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_announced
    from podtui.demo.seed import demo_is_seeded, reset_demo

    url, path = demo_database(args)
    # The customers' photos the orders name (drawn again if someone cleared the folder) and the
    # in-house hot folder, in the data folder: made first, so a folder it cannot write changes
    # nothing, not even a new database file.
    _demo_folders()
    db = open_announced(url)
    try:
        _check_is_demo(db, path)
        if args.reset or not demo_is_seeded(db):
            reset_demo(db)  # also clears what a seed that was killed half way left behind
        if demo_is_seeded(db):
            print(f"podtui demo: {path} already holds the demo (use --reset to rebuild it)")
        else:
            report = _seed(db, args)
            print(
                f"podtui demo: seeded {count(report.orders, 'order')}, "
                f"{count(report.items, 'item')}, "
                f"{count(report.events, 'event')} into {path} in {report.seconds:.1f} s "
                f"({report.items_per_s:,.0f} items/s)"
            )
        if args.seed_only:
            return 0
        from podtui.app import PodTUI  # textual is imported only when a screen is wanted
        from podtui.demo.sandboxes import demo_reach

        PodTUI(db=db, config=load_config(), reach=demo_reach(db), freeze_heap=True).run()
        return 0
    finally:
        db.dispose()


def _demo_folders() -> tuple[Path, Path]:
    """The demo's hot folder and photos folder in the data folder, made (and drawn) if missing;
    a data folder that cannot be written is one line naming it, before anything is seeded."""
    from podtui.demo.seed import demo_hotfolder
    from podtui.demo.uploads import demo_uploads

    try:
        return demo_hotfolder(), demo_uploads()
    except OSError as exc:
        raise DomainError(
            f"cannot write the demo's folders in the data folder {data_dir()} "
            f"({exc.strerror or exc}: {exc.filename}); set PODTUI_DATA_DIR to a folder you can "
            "write, or fix that one's permissions."
        ) from exc


def _seed(db: Database, args: argparse.Namespace) -> SeedReport:
    from podtui.demo.seed import seed_demo

    hotfolder, uploads = _demo_folders()
    kwargs: dict[str, Any] = {
        "seed": args.seed,
        "hotfolder_path": str(hotfolder),
        "uploads_path": str(uploads),
    }
    if args.items:
        kwargs["items"] = args.items
    else:
        kwargs["orders"] = args.orders
    if not sys.stderr.isatty():
        return seed_demo(db, **kwargs)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("seeding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("items · {task.fields[rate]:>8,.0f} items/s"),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task("seed", total=None, rate=0.0)

        def on_progress(done: int, planned: int) -> None:
            elapsed = progress.tasks[0].elapsed or 1e-9
            progress.update(task, completed=done, total=planned, rate=done / elapsed)

        return seed_demo(db, on_progress=on_progress, **kwargs)
