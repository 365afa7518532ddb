"""Production files as a ZIP: the current print file of each chosen item, plus a manifest.

The ZIP is written to a temporary name and renamed into place, so a half-written (or stopped)
archive never sits where the operator expects the real one. Each file's SHA-256 is checked
against the one recorded at render time: a print file changed or lost on disk is reported, not
shipped.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from podtui.domain.errors import NotFoundError, ValidationError
from podtui.domain.models import Order, OrderItem, PrintFile
from podtui.domain.status import ItemStatus
from podtui.domain.wording import count
from podtui.services.csv_cells import safe_row
from podtui.services.render.print_files import current_print_file, slug
from podtui.services.render.print_output import file_sha256


@dataclass
class ZipExport:
    """What went into the ZIP and what could not."""

    path: Path
    files: list[str] = field(default_factory=list)
    missing: dict[int, str] = field(default_factory=dict)  # item id -> why it is not in the ZIP
    stopped: bool = False  # the operator stopped it: no ZIP was left behind


def items_of_order(session: Session, order_name: str) -> list[int]:
    """The item ids of the order called `order_name` ("#1001" or "1001")."""
    names = {order_name, f"#{order_name.lstrip('#')}", order_name.lstrip("#")}
    orders = session.exec(select(Order).where(col(Order.name).in_(names))).all()
    if not orders:
        raise NotFoundError(f"No order is called {order_name!r}.")
    if len(orders) > 1:
        stores = ", ".join(str(o.store_id) for o in orders)
        raise ValidationError(
            f"{count(len(orders), 'order')} are called {order_name!r} (stores {stores})"
        )
    order_id = orders[0].id
    return [
        item_id
        for item_id in session.exec(
            select(OrderItem.id)
            .where(col(OrderItem.order_id) == order_id)
            .order_by(col(OrderItem.id))
        ).all()
        if item_id is not None
    ]


def _left_out(session: Session, item: OrderItem) -> tuple[PrintFile | None, str]:
    """The item's current print file, or why it cannot go in the ZIP."""
    assert item.id is not None
    found = current_print_file(session, item.id)
    if found is None:
        return None, f"no print file yet ({ItemStatus(item.status).label})"
    path = Path(found.path)
    if not path.is_file():
        return None, f"print file {path} is gone from disk"
    if found.sha256 and file_sha256(path) != found.sha256:
        return None, f"print file {path} changed on disk since it was rendered"
    return found, ""


def export_zip(
    session: Session,
    item_ids: Iterable[int],
    out: Path,
    *,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    total: int | None = None,
    empty_ok: bool = False,
) -> ZipExport:
    """Write the current print files of `item_ids` into the ZIP at `out`.

    The ids are read as they come (a filter's million ids arrive in chunks); `on_progress`
    hears (items looked at, `total`). Stopped, or with nothing to put in, no ZIP is left;
    nothing to put in raises ValidationError, unless `empty_ok` (the result then says why).
    """
    result = ZipExport(out)
    manifest = io.StringIO()
    rows = csv.writer(manifest)
    rows.writerow(["file", "item_id", "order", "sku", "title", "variant", "quantity", "sha256"])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    done = 0
    try:
        # PNG data is already deflated: storing it is as small and far faster.
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            for item_id in item_ids:
                if should_stop is not None and should_stop():
                    result.stopped = True
                    break
                done += 1
                if on_progress is not None:
                    on_progress(done, max(total or 0, done))
                item = session.get(OrderItem, item_id)
                if item is None:
                    result.missing[item_id] = "no such item"
                    continue
                found, why = _left_out(session, item)
                if found is None:
                    result.missing[item_id] = why
                    continue
                order = session.get(Order, item.order_id)
                assert order is not None
                arcname = f"{slug(order.name.lstrip('#'))}/{Path(found.path).name}"
                archive.write(found.path, arcname)
                rows.writerow(
                    safe_row(
                        [
                            arcname,
                            item.id,
                            order.name,
                            item.sku,
                            item.title,
                            item.variant_title,
                            item.quantity,
                            found.sha256,
                        ]
                    )
                )
                result.files.append(arcname)
            archive.writestr("manifest.csv", manifest.getvalue(), zipfile.ZIP_DEFLATED)
        if result.stopped or (empty_ok and not result.files):
            result.files.clear()
            tmp.unlink(missing_ok=True)
            return result
        if not result.files:
            why = "; ".join(f"item {i}: {why}" for i, why in result.missing.items())
            raise ValidationError(f"Nothing to export ({why or 'no items'}).")
        with tmp.open("rb+") as fp:
            os.fsync(fp.fileno())
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result
