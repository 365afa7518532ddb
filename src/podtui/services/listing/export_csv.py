"""Export marked items (or everything a filter matches) to a CSV file, in chunks.

The rows are read by keyset on the item id, a couple of thousand at a time, so exporting a
million items never holds them all in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from podtui.config import export_dir
from podtui.domain.status import ItemStatus
from podtui.services.csv_cells import safe_row
from podtui.services.listing.query import MarkSet, Sql, marks_where, parse_ts, submit_text
from podtui.services.listing.reader import ListReader

HEADER = (
    "order",
    "store_order_id",
    "order_created_at",
    "item_id",
    "product",
    "variant",
    "sku",
    "quantity",
    "status",
    "vendor",
    "customer",
    "email",
    "city",
    "state",
    "country",
    "total",
    "currency",
    "payment_method",
    "source",
    "submit_status",
    "archived",
)


def default_export_path(
    now: datetime, directory: Path | None = None, *, name: str = "items", suffix: str = ".csv"
) -> Path:
    """Where an export goes unless the operator says otherwise: documents, else the data folder."""
    stamp = f"{now.astimezone():%Y%m%d-%H%M%S}"
    return (directory or export_dir()) / f"podtui-{name}-{stamp}{suffix}"


def export_csv(
    reader: ListReader,
    marks: MarkSet,
    path: Path,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    total: int | None = None,
    chunk: int = 2000,
) -> int:
    """Write the marked items to `path` (UTF-8 CSV with a header); returns how many rows."""
    lookups = reader.lookups()
    ph = reader.dialect.placeholder
    written = 0
    last = -1
    path = path.expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(safe_row(HEADER))
        while True:
            if should_stop is not None and should_stop():
                break
            sql = Sql(reader.dialect)
            where = marks_where(sql, marks)
            text = (
                "SELECT o.name, o.store_order_id, i.order_created_at, i.id, i.title, "
                "i.variant_title, i.sku, i.quantity, i.status, i.vendor_id, o.customer_name, "
                "o.customer_email, o.ship_city, o.ship_state, o.ship_country, o.total, "
                "o.currency, o.payment_method, o.source, i.submitted_at, i.archived "
                'FROM order_item i JOIN "order" o ON o.id = i.order_id '
                f"WHERE ({where}) AND i.id > {ph} ORDER BY i.id LIMIT {ph}"
            )
            with reader.connection() as conn:
                cur = conn.cursor()
                cur.execute(text, [*sql.params, last, chunk])
                rows = cur.fetchall()
                cur.close()
            for r in rows:
                status = ItemStatus(r[8])
                out.writerow(
                    safe_row((
                        r[0], r[1], parse_ts(r[2]).isoformat(), r[3], r[4], r[5], r[6], r[7],
                        status.value, lookups.vendor_name(r[9]), r[10], r[11], r[12], r[13],
                        r[14], r[15], r[16], r[17], r[18], submit_text(status, r[19]),
                        "yes" if r[20] else "no",
                    ))
                )  # fmt: skip
            written += len(rows)
            if on_progress is not None:
                on_progress(written, total if total is not None else written)
            if len(rows) < chunk:
                break
            last = rows[-1][3]
    tmp.replace(path)
    return written
