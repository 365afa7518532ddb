"""Cells for a CSV a spreadsheet will open: a value that would run as a formula is neutralised.

Excel, LibreOffice and Google Sheets treat a cell starting with `=`, `+`, `-` or `@` as a formula
(and a leading tab or carriage return can hide one), so a customer name like `=HYPERLINK(...)`
would run on the operator's machine. As OWASP recommends, such a cell gets a leading single quote:
the spreadsheet shows it as text and the value stays readable. Phone numbers (`+44 ...`) and
negative amounts (`-12.50`) are quoted too; that is the price of never guessing wrong.
Every CSV podtui writes (the item export, the ZIP's manifest) goes through `safe_row`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# OWASP's list (=, +, -, @, tab, CR), plus a line feed, which some importers also skip.
FORMULA_STARTS = frozenset("=+-@\t\r\n")


def safe_cell(value: Any) -> Any:
    """`value` as a spreadsheet may open it: text that could start a formula gets a leading `'`.

    None stays empty and numbers other than negative ones stay numbers; everything else is
    checked as the text the CSV will hold.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    text = value if isinstance(value, str) else str(value)
    # Spaces first too: an importer that trims them (LibreOffice can) would find the formula.
    start = text.lstrip(" ")[:1]
    if start and start in FORMULA_STARTS:
        return "'" + text
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """One CSV row with every cell neutralised (see `safe_cell`)."""
    return [safe_cell(v) for v in values]
