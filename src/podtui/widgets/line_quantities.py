"""The per-line quantity rows of the refund and return dialogs: a line's title, units beside it.

Each row's input is `#qty-<n>` and its reason `#err-qty-<n>` (a ValidationError names them so);
`units()` hands the typed text back by store line, for the service to read and check.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static


class LineQuantities(VerticalScroll):
    """A row per order line: its label and the units to take (0 to begin with)."""

    def __init__(self, lines: Sequence[tuple[str, str]]) -> None:
        """`lines`: (store line id, the label shown) in the order the rows go."""
        super().__init__(id="refund-lines")
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        for n, (_, label) in enumerate(self.lines):
            with Horizontal(classes="refund-line"):
                yield Static(label, classes="refund-title")
                yield Input("0", id=f"qty-{n}", restrict=r"[0-9]*", classes="refund-qty")
            yield Static("", id=f"err-qty-{n}", classes="field-error")

    def units(self) -> dict[str, str]:
        """What is typed on each row, by store line id."""
        return {
            line_id: self.query_one(f"#qty-{n}", Input).value
            for n, (line_id, _) in enumerate(self.lines)
        }
