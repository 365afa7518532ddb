"""The one-line header over the list: "Ready · 1,204 items · 37 marked · vendor:printify"."""

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
