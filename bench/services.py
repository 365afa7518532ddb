"""How fast the order services run on a real SQLite file; prints one JSON object last.

    uv run python bench/services.py [--items N]

Each figure is one transaction per item (as a bulk action from the TUI runs them), so it
includes BEGIN IMMEDIATE, the compare-and-set UPDATE, the event and the commit.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from podtui.db import open_database
from podtui.domain.models import Artwork, Order, OrderItem, Store, Vendor
from podtui.domain.status import ItemStatus
from podtui.services.items import actions
from podtui.services.items import design as item_design
from podtui.services.items import split as item_split
from podtui.services.items.bulk_run import run_per_item


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=2000)
    n = parser.parse_args().items
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        created = datetime(2026, 1, 1, tzinfo=UTC)
        with db.write() as s:
            store, vendor, art = (
                Store(name="s", kind="sandbox"),
                Vendor(name="v", kind="sandbox"),
                Artwork(name="a"),
            )
            s.add_all([store, vendor, art])
            s.flush()
            order = Order(store_id=store.id, store_order_id="1", name="#1", created_at=created)  # type: ignore[arg-type]
            s.add(order)
            s.flush()
            items = [
                OrderItem(
                    order_id=order.id,
                    store_id=store.id,
                    order_created_at=created,  # type: ignore[arg-type]
                    status=ItemStatus.WAITING_APPROVAL,
                    vendor_id=vendor.id,
                    artwork_id=art.id,
                    quantity=2,
                    personalization={"name": "Zoë"},
                )
                for _ in range(n)
            ]
            s.add_all(items)
            s.flush()
            ids = [i.id for i in items if i.id is not None]

        figures: dict[str, float | int] = {"items": n}
        for name, use_case in (
            ("edit_design", lambda s, i: item_design.edit_design(s, i, {"name": f"Ana {i}"})),
            ("split", lambda s, i: item_split.split(s, i, [1, 1])),
            ("approve", actions.approve),
        ):
            start = time.perf_counter()
            outcome = run_per_item(db, ids, use_case)
            elapsed = time.perf_counter() - start
            assert len(outcome.done) == n, outcome.summary()
            figures[f"{name}_per_s"] = round(n / elapsed)
        db.dispose()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
