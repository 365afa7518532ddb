"""`podtui sync [--store NAME] [--all | --since DATE [--until DATE] | --ids 1,2,3]`: pull orders.

Without a mode it is the incremental sync (what changed at the store since the last one), the one
to run from cron. A progress bar shows on a terminal; the last line is a one-line summary. Exit
status: 0 every store synced, 1 a store failed (the others still synced), 2 bad arguments.
Unreadable store payloads are listed; they are kept in the database's sync problems too.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from podtui.domain.wording import count

MAX_PROBLEM_LINES = 20


def _date(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date like 2026-11-30 or 2026-11-30T08:00"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _ids(text: str) -> tuple[str, ...]:
    parts = tuple(p.strip().lstrip("#") for p in text.split(",") if p.strip())
    if not parts or not all(p.isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of store order ids like 1,2,3")
    return parts


def register(sub: Any) -> None:
    p = sub.add_parser(
        "sync", help="pull orders from the stores (incremental by default)", description=__doc__
    )
    p.add_argument("--store", action="append", metavar="NAME",
                   help="only this store (repeat for several; default: every store)")  # fmt: skip
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--all", action="store_true", help="import every order the store has")
    mode.add_argument("--since", type=_date, metavar="DATE",
                      help="import orders created from DATE (UTC unless offset)")  # fmt: skip
    mode.add_argument("--ids", type=_ids, metavar="1,2,3", help="import these store order ids")
    p.add_argument("--until", type=_date, metavar="DATE", help="with --since: created before DATE")
    p.add_argument(
        "--push-tracking",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="carry tracking of fulfilled items back to the store (default: yes)",
    )
    p.add_argument("--no-push", dest="push_tracking", action="store_false", help=argparse.SUPPRESS)
    p.set_defaults(func=run, _parser=p)


def _options(args: argparse.Namespace) -> Any:
    from podtui.services.sync.context import SyncOptions

    if args.until is not None and args.since is None:
        args._parser.error("--until needs --since")
    if args.all:
        return SyncOptions(mode="all")
    if args.since is not None:
        return SyncOptions(mode="since", since=args.since, until=args.until)
    if args.ids:
        return SyncOptions(mode="ids", ids=args.ids)
    return SyncOptions()


def run(args: argparse.Namespace) -> int:
    from podtui.cli.common import open_db
    from podtui.services.sync.pull import find_stores, sync_stores

    options = _options(args)
    db = open_db(args)
    try:
        stores = find_stores(db, args.store)
        if not stores:
            print("podtui sync: no stores yet (add one with `podtui connect`)")
            return 0
        if sys.stderr.isatty():
            reports = _with_progress(db, args, options)
        else:
            reports = sync_stores(db, args.store, options, push=args.push_tracking)
    finally:
        db.dispose()
    for report in reports:
        for reason in report.problem_reasons[:MAX_PROBLEM_LINES]:
            print(f"  problem: {report.store}: {reason}", file=sys.stderr)
        if len(report.problem_reasons) > MAX_PROBLEM_LINES:
            more = len(report.problem_reasons) - MAX_PROBLEM_LINES
            print(f"  ... and {more} more (see the sync problems in the app)", file=sys.stderr)
    for report in reports if len(reports) > 1 else ():
        print(f"  {report.summary()}")
    failed = [r for r in reports if not r.ok]
    created = sum(r.orders_created for r in reports)
    updated = sum(r.orders_updated for r in reports)
    problems = sum(r.problems + r.tracking_failed for r in reports)
    if len(reports) == 1:
        print(reports[0].summary())
    else:
        print(
            f"synced {len(reports) - len(failed)}/{count(len(reports), 'store')}: "
            f"{count(created, 'new order')}, "
            f"{updated} changed, {count(problems, 'problem')}"
            + (f"; failed: {', '.join(r.store for r in failed)}" if failed else "")
        )
    return 1 if failed else 0


def _with_progress(db: Any, args: argparse.Namespace, options: Any) -> list[Any]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from podtui.services.sync.pull import sync_stores

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("pages · orders read: {task.fields[orders]:,}"),
        TimeElapsedColumn(),
        console=Console(file=sys.stderr),  # stdout stays the summary, for logs and pipes
        transient=True,
    ) as progress:
        tasks: dict[str, Any] = {}

        def on_start(store: Any) -> None:
            tasks[store.name] = progress.add_task(f"syncing {store.name}", total=None, orders=0)

        def on_progress(report: Any, pages: int | None) -> None:
            task = tasks.get(report.store)
            if task is not None:
                progress.update(task, advance=1, total=pages, orders=report.orders_seen)

        return sync_stores(
            db,
            args.store,
            options,
            on_progress=on_progress,
            on_start=on_start,
            push=args.push_tracking,
        )
