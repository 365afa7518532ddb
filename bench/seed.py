"""Seeding throughput: N demo items into a fresh SQLite file, the way `podtui demo --orders` does.

Prints a progress line per chunk on stderr and, as its last line on stdout, one JSON object:
{"items": N, "seconds": s, "items_per_s": r, "db_mb": m} (plus the row counts per table).

    uv run python bench/seed.py --items 1000000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from podtui.db import open_database
from podtui.demo.seed import seed_demo
from podtui.demo.uploads import write_uploads

FIXED_NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # the same data every run


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the generator process)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dir", type=Path, default=None, help="where the temp file goes")
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    parser.add_argument("--portable", action="store_true", help="use the SQLAlchemy Core path")
    parser.add_argument(
        "--subprocess", action="store_true", help="generate rows in a second Python process"
    )
    parser.add_argument(
        "--photos",
        action="store_true",
        help="customer photos on the personalized lines, as `podtui demo` seeds (drawn first)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="podtui-seed-", dir=args.dir) as tmp:
        path = Path(tmp) / "seed.db"
        db = open_database(f"sqlite:///{path}")
        started = time.perf_counter()

        def progress(done: int, planned: int) -> None:
            rate = done / max(1e-9, time.perf_counter() - started)
            print(f"{done:>9,} / {planned:,} items  {rate:,.0f} items/s", file=sys.stderr)

        load_before = os.getloadavg()[0]
        cpu_before = _cpu()
        drawn = time.perf_counter()
        photos = str(write_uploads(Path(tmp) / "uploads")) if args.photos else None
        drawn = time.perf_counter() - drawn
        report = seed_demo(
            db,
            items=args.items,
            seed=args.seed,
            now=FIXED_NOW,
            on_progress=progress,
            portable=args.portable,
            subprocess=args.subprocess,
            uploads_path=photos,
        )
        cpu = _cpu() - cpu_before
        db.dispose()
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
        if args.keep:
            kept = Path.cwd() / "seed.db"
            path.replace(kept)
            print(f"kept {kept}", file=sys.stderr)
        result = {
            "items": report.items,
            "seconds": round(report.seconds, 2),
            "photos_drawn_s": round(drawn, 3) if args.photos else None,
            "items_per_s": round(report.items_per_s),
            "db_mb": round(size / 1e6, 1),
            "orders": report.orders,
            "events": report.events,
            "rows": sum(report.counts.values()),
            "bulk_path": report.bulk_path,
            "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            # The box is shared: what the seed cost in CPU, and how busy the box was meanwhile.
            "cpu_s": round(cpu, 2),
            "items_per_cpu_s": round(report.items / cpu) if cpu else None,
            "loadavg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
