"""Time `V`'s read of the size exchange's choices on a large database.

Uses the bench database of N items (bench/_seed.py, migrated to head: the product index
included). For random items it times `variant_choices` (the product's other variants seen in
orders or mapped) in a read session; the last line is one JSON object with the median, p99 and
how many choices a read found.

    uv run python bench/variant_choices.py --items 1000000
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlmodel import select

from _seed import ensure_bench_db
from podtui.db import open_database
from podtui.domain.models import OrderItem
from podtui.services.items.variant import variant_choices


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=200)
    args = parser.parse_args()
    db = open_database(f"sqlite:///{ensure_bench_db(args.items)}")
    rnd = random.Random(7)
    with db.read() as s:
        top = s.exec(select(OrderItem.id).order_by(OrderItem.id.desc()).limit(1)).one()  # type: ignore[union-attr]
    times: list[float] = []
    found: list[int] = []
    for _ in range(args.reads):
        item_id = rnd.randint(1, top)
        with db.read() as s:
            started = time.perf_counter()
            choices = variant_choices(s, item_id)
            times.append((time.perf_counter() - started) * 1000)
        found.append(len(choices))
    times.sort()
    print(
        json.dumps(
            {
                "items": args.items,
                "reads": args.reads,
                "choices_ms_median": round(statistics.median(times), 2),
                "choices_ms_p99": round(times[int(len(times) * 0.99) - 1], 2),
                "choices_median": statistics.median(found),
            }
        )
    )


if __name__ == "__main__":
    main()
