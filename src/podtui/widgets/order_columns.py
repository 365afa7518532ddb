"""The order table's columns: their titles, widths and how each row's cell text reads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size

from podtui.domain.status import ItemStatus
from podtui.services.listing.query import ListRow

SHORT_STATUS: dict[ItemStatus, str] = {
    ItemStatus.MISSING_ARTWORK: "Missing art",
    ItemStatus.WAITING_APPROVAL: "Waiting appr.",
    ItemStatus.IN_PRODUCTION: "In production",
}


def status_cell(row: ListRow) -> str:
    if row.status is None:
        return row.status_text
    text = SHORT_STATUS.get(row.status, row.status.label)
    return f"✗ {text}" if row.status is ItemStatus.FAILED else text


def created_cell(row: ListRow, now: datetime) -> str:
    local = row.created_at.astimezone()
    if local.year == now.astimezone().year:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%Y-%m-%d")


def age_text(age_seconds: float) -> str:
    """'45m', '5h', '3d': how old, in the largest whole unit."""
    minutes = max(0, int(age_seconds // 60))
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 48 * 60:
        return f"{minutes // 60}h"
    return f"{minutes // (24 * 60)}d"


def age_cell(row: ListRow, now: datetime) -> str:
    """The order's age; a `!` when the item is past its store's promised turnaround."""
    text = age_text((now - row.created_at).total_seconds())
    return f"{text}!" if row.late_at is not None and row.late_at <= now else text


def auto_cell(row: ListRow, now: datetime) -> str:
    """Time left before the automatic submission, for ready items that have a countdown."""
    if row.auto_submit_at is None:
        return ""
    left = (row.auto_submit_at - now).total_seconds()
    if left <= 0:
        return "due"
    minutes = int(left // 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours}h{minutes:02d}"
    return f"{hours // 24}d"


def product_cell(row: ListRow) -> str:
    text = f"{row.title} · {row.variant}" if row.variant else row.title
    return f"TEST · {text}" if row.test else text  # a test order at the store: never printed


def customer_cell(row: ListRow) -> str:
    return f"{row.customer}, {row.place}" if row.place else row.customer


def total_cell(row: ListRow) -> str:
    return f"{row.total} {row.currency}"


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis, or padded to it."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)


@dataclass(frozen=True)
class Column:
    """One column: `width` is fixed, or the minimum when `flex` shares out the rest."""

    key: str
    title: str
    width: int
    cell: Callable[[ListRow, datetime], str]
    flex: int = 0
    right: bool = False
    min_screen: int = 0  # hidden when the table is narrower than this


# At 120 columns every column but payment and source shows; they join from 132 and 142.
COLUMNS: tuple[Column, ...] = (
    Column("order", "Order", 8, lambda r, _: r.order_name),
    Column("created", "Created", 11, created_cell),
    Column("age", "Age", 4, age_cell, right=True),
    Column("product", "Product", 13, lambda r, _: product_cell(r), flex=3),
    Column("qty", "Qty", 3, lambda r, _: str(r.quantity), right=True),
    Column("status", "Status", 15, lambda r, _: status_cell(r)),
    Column("customer", "Customer, ship to", 16, lambda r, _: customer_cell(r), flex=2),
    Column("total", "Total", 10, lambda r, _: total_cell(r), right=True),
    Column("payment", "Paid by", 8, lambda r, _: r.payment_method, min_screen=132),
    Column("vendor", "Vendor", 10, lambda r, _: r.vendor),
    Column("source", "Source", 7, lambda r, _: r.source, min_screen=142),
    Column("submit", "Submit", 9, lambda r, _: r.submit),
    Column("auto", "Auto in", 7, auto_cell),
)
# The column whose title carries the sort's arrow (the due time is the age's promise).
SORT_COLUMN = {
    "created": "created",
    "order": "order",
    "status": "status",
    "total": "total",
    "vendor": "vendor",
    "customer": "customer",
    "due": "age",
}
MARK_WIDTH = 2  # the mark glyph and a space


def layout(width: int) -> list[tuple[Column, int]]:
    """The columns that fit `width` and the width each gets (one space between columns)."""
    shown = [c for c in COLUMNS if width >= c.min_screen]
    fixed = MARK_WIDTH + sum(c.width for c in shown) + len(shown) - 1
    spare = max(0, width - fixed)
    flex_total = sum(c.flex for c in shown) or 1
    widths: list[tuple[Column, int]] = []
    given = 0
    flexes = [c for c in shown if c.flex]
    for column in shown:
        extra = 0
        if column.flex:
            if column is flexes[-1]:
                extra = spare - given
            else:
                extra = spare * column.flex // flex_total
                given += extra
        widths.append((column, column.width + extra))
    return widths
