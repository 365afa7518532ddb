"""The strip at the bottom of the list that shows a running bulk action's progress."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class BulkProgress(Horizontal):
    """ "Sending 37 items ━━━━━━━━━╸━━━ 12/37  ctrl+x stops" while a bulk action runs."""

    DEFAULT_CSS = """
    BulkProgress { height: 1; display: none; padding: 0 1; background: $panel; }
    BulkProgress.-running { display: block; }
    BulkProgress > Label { width: auto; margin-right: 1; }
    BulkProgress > ProgressBar { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield Label(id="bulk-label")
        yield ProgressBar(show_eta=False, id="bulk-bar")
        yield Label("ctrl+x stops", id="bulk-hint")

    def start(self, label: str, total: int) -> None:
        self.query_one("#bulk-label", Label).update(label)
        self.query_one(ProgressBar).update(total=max(total, 1), progress=0)
        self.add_class("-running")

    def advance(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def finish(self) -> None:
        self.remove_class("-running")
