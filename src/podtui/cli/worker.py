"""`podtui worker [--once] [--processes N]`: render queued print files headless.

Runs the same worker the TUI runs, against the configured database, so a second machine (or a
cron box) can render while operators work. `--status` prints the queue and exits.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Any

from podtui.cli.common import open_db
from podtui.config import load_config


def register(sub: Any) -> None:
    p = sub.add_parser("worker", help="render queued print files (headless)")
    p.add_argument("--once", action="store_true", help="render what is queued, then exit")
    p.add_argument(
        "--processes",
        type=int,
        default=max(1, min(4, os.cpu_count() or 1)),
        metavar="N",
        help="render processes (default: CPU cores, at most 4)",
    )
    p.add_argument("--status", action="store_true", help="print the render queue and exit")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from podtui.domain.personalization import PersonalizationConfig  # here: keeps --help fast
    from podtui.services.render import jobs as render
    from podtui.services.render.worker import RenderWorker, RenderWorkerError, WorkerEvent

    if args.processes < 1:
        print("podtui worker: --processes must be at least 1", file=sys.stderr)
        return 2
    cfg = load_config()
    db = open_db(args, cfg)
    if args.status:
        with db.read() as session:
            snap = render.queue_snapshot(session)
        counts = ", ".join(f"{n} {state}" for state, n in sorted(snap.counts.items()))
        print(f"render queue: {counts or 'empty'}")
        for row in snap.jobs:
            extra = f" · {row.error}" if row.error else ""
            print(f"  job {row.job_id} {row.state:8} item {row.item_id} {row.order_name}{extra}")
        return 0

    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)

    def report(event: WorkerEvent) -> None:
        if event.kind == "claimed":
            return
        item = f" item {event.item_id}" if event.item_id is not None else ""
        print(f"{event.kind:8} job {event.job_id}{item}: {event.message}", flush=True)

    worker = RenderWorker(
        db,
        processes=args.processes,
        pconfig=PersonalizationConfig.from_section(cfg.extra.get("personalization")),
        on_event=report,
    )
    try:
        stats = worker.run(once=args.once, should_stop=lambda: stopping)
    except RenderWorkerError as exc:
        print(f"podtui worker: {exc}", file=sys.stderr)
        return 1
    finally:
        db.dispose()
    print(
        f"rendered {len(stats.done)}, failed {len(stats.failed)}, requeued {len(stats.requeued)}",
        flush=True,
    )
    return 0
