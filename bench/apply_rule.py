"""Apply a routing rule over N waiting items from the Catalogue screen: key press to progress end.

Builds a fresh SQLite database (the bench seeder's shop, then the first N items made unmapped:
Missing artwork, unmanaged, not archived), starts the app headless at 120x40, opens the rule
editor on the Rules tab with a rule that takes every unmapped item to the hot folder with artwork
that takes no fields (so each item is approved and a render job queued), and presses enter on
Save. The clock stops when the editor has closed after its progress bar reached the end and the
Catalogue has read its rules again; then the list's tab counts are read (one query on the
status index, as the order list does), and that time is added. Checked: one `route` event and
one render job per item.

    uv run python bench/apply_rule.py [--items 100000]

The last line is one JSON object: `seconds` (key press to tab counts), `apply_s`, `counts_s`,
`items`, `events`, `render_jobs`, `load` (the 1-minute load average before the run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _seed import NOW, seed
from podtui.app import PodTUI
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.db import open_database


def build(path: Path, items: int, folder: Path) -> None:
    open_database(f"sqlite:///{path}").dispose()
    seed(path, int(items * 1.25))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute(
        "UPDATE order_item SET status = 'missing_artwork', managed = 0, vendor_id = NULL,"
        " artwork_id = NULL, archived = 0, version = 0 WHERE id <= ?",
        (items,),
    )
    conn.execute(
        'UPDATE "order" SET archived = 0 WHERE id IN'
        " (SELECT order_id FROM order_item WHERE id <= ?)",
        (items,),
    )
    conn.execute("DELETE FROM product_mapping")
    conn.execute(
        "INSERT INTO artwork (name, template, fields, kind, source, created_at)"
        " VALUES ('Plain print', 'poster', '[]', 'template', '', '2026-11-20 12:00:00')"
    )
    conn.execute(
        "UPDATE vendor SET settings = ? WHERE kind = 'hotfolder'",
        (json.dumps({"path": str(folder)}),),
    )
    conn.execute("COMMIT")
    conn.close()


async def run(path: Path) -> dict[str, Any]:
    from podtui.screens.catalogue import CatalogueScreen
    from podtui.screens.catalogue_rules import RuleEditor

    db = open_database(f"sqlite:///{path}")
    app = PodTUI(db, Config(), clock=ManualClock(NOW), watch_interval=3600.0, freeze_heap=True)
    async with app.run_test(size=(120, 40)) as pilot:

        async def until(done: Any, limit: float = 600.0) -> None:
            end = time.monotonic() + limit
            while not done():
                if time.monotonic() > end:
                    raise TimeoutError("the app did not get there")
                await pilot.pause(0.01)

        await until(lambda: app.screen.__class__.__name__ == "OrdersScreen")
        await pilot.press("M")
        await until(lambda: isinstance(app.screen, CatalogueScreen))
        catalogue = app.screen
        assert isinstance(catalogue, CatalogueScreen)
        await until(lambda: catalogue.loads > 0)
        await pilot.press("]", "]", "n")
        await until(lambda: isinstance(app.screen, RuleEditor) and app.screen.reads > 0)
        editor = app.screen
        assert isinstance(editor, RuleEditor)
        from textual.widgets import Button, Input, ProgressBar, Select

        vendor = next(v for v in editor.choices.vendors if v.kind == "hotfolder")
        art = next(i for i, n in editor.choices.artworks if "Plain print" in n)
        editor.query_one("#rule-name", Input).value = "Everything to the RIP"
        editor.query_one("#rule-vendor", Select).value = vendor.id
        editor.query_one("#rule-product", Input).value = "product_type=print"
        editor.query_one("#rule-artwork", Select).value = art
        editor.query_one("#rule-approve", Select).value = "no_fields"
        editor.query_one("#rule-save", Button).focus()
        await pilot.pause(0.05)
        bar = editor.query_one("#rule-progress", ProgressBar)
        loads = catalogue.loads
        started = time.monotonic()
        await pilot.press("enter")
        await until(lambda: app.screen is catalogue and catalogue.loads > loads)
        applied = time.monotonic() - started
        bar_done = bar.percentage
    counted = time.monotonic()
    conn = sqlite3.connect(path)
    counts = conn.execute(
        "SELECT status, count(*) FROM order_item WHERE archived = 0 AND managed = 1 GROUP BY status"
    ).fetchall()
    counts_s = time.monotonic() - counted
    events = conn.execute("SELECT count(*) FROM event WHERE type = 'route'").fetchone()[0]
    jobs = conn.execute("SELECT count(*) FROM render_job WHERE state = 'queued'").fetchone()[0]
    conn.close()
    db.dispose()
    return {
        "seconds": round(applied + counts_s, 2),
        "apply_s": round(applied, 2),
        "counts_s": round(counts_s, 3),
        "progress_end": bar_done,
        "events": events,
        "render_jobs": jobs,
        "tab_counts": dict(counts),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("PODTUI_RENDER_WORKERS", "0")  # the queue is measured, not drained
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "apply.db"
        folder = Path(tmp) / "rip"
        folder.mkdir()
        started = time.monotonic()
        build(path, args.items, folder)
        print(f"built in {time.monotonic() - started:.0f}s", file=sys.stderr)
        result = asyncio.run(run(path))
    result.update(items=args.items, load=round(load, 2))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
