"""One-line text widgets of the list: the header ("Ready · 1,204 items · 37 marked ·
vendor:printify") and the reason line under the table (why the row under the cursor failed)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class ListHeader(Widget):
    """Says what the list shows; repaints in place (no layout pass) when the text changes."""

    DEFAULT_CSS = "ListHeader { height: 1; width: 1fr; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = ""

    def show(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh()

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="ellipsis")


class ReasonLine(ListHeader):
    """Why the item under the cursor failed or is held; always one line, so it never moves
    the table (showing and hiding a panel would lay out the screen at every cursor move)."""

    DEFAULT_CSS = """
    ReasonLine { height: 1; width: 1fr; padding: 0 1; }
    ReasonLine.-failed { background: $error-muted; }
    ReasonLine.-held { background: $warning-muted; }
    """

    def show_reason(self, kind: str, reason: str) -> None:
        """kind: "failed", "held" or "" (nothing to say)."""
        self.set_class(kind == "failed", "-failed")
        self.set_class(kind == "held", "-held")
        label = {"failed": "✗ Failed: ", "held": "On hold: "}.get(kind, "")
        self.show(f"{label}{reason}   (w: all of it, to copy)" if kind else "")
