"""`refill(table, rows)`: replace a DataTable's rows, its columns sized to what they now hold.

DataTable measures new rows on its next Idle event, and a header painted before that stays in
its render cache at the old widths: on a loaded machine the header reads narrower than the rows
beneath it until something else changes the table. Sizing the columns here, as the rows go in,
leaves nothing to measure later. The widths are DataTable's own (the widest of the label and
the cells), so a table looks as it did; only the moment they are known changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.errors import MarkupError
from rich.text import Text
from textual.widgets import DataTable

Cell = str | Text


def cell_width(cell: Cell) -> int:
    """Cells a value takes: a string is read as markup, as DataTable renders it."""
    if isinstance(cell, Text):
        text = cell
    else:
        try:
            text = Text.from_markup(cell)
        except MarkupError:  # DataTable would refuse it too; measure what was given
            text = Text(cell)
    return max((Text(line).cell_len for line in text.plain.splitlines()), default=0)


def refill(table: DataTable[Any], rows: Iterable[tuple[str, Sequence[Cell]]]) -> None:
    """Clear `table` and add `rows` (key, cells), the columns as wide as their widest cell."""
    rows = list(rows)
    table.clear()
    for n, column in enumerate(table.ordered_columns):
        if not column.auto_width:
            continue  # a width the screen fixed stays
        widths = [cell_width(cells[n]) for _, cells in rows if n < len(cells)]
        column.content_width = max([column.label.cell_len, *widths])
    for key, cells in rows:
        table.add_row(*cells, key=key)
