"""The strip at the bottom of the list that shows a running bulk action's progress.

While an action runs, a spinner turns and the time taken counts up, from the app's clock: the
first vendor call or a slow claim can take a second with no item finished, and a still strip
then reads as a frozen screen. The timer exists only while an action runs; idle, nothing moves.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from podtui.clock import SYSTEM_CLOCK, AppClock, Handle

SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
# A frame at least this often while running. The aim is no gap over 100 ms between frames; a
# tick comes late by however long the loop was busy (a table reload, a collection: 20-50 ms on
# a loaded 2-core box), so the tick leaves that much room: at 12 a second it left 17 ms.
TICK_SECONDS = 1 / 20


class BulkProgress(Horizontal):
    """ "⠹ Sending 37 items ━━━━━━╸━━━ 12/37 · 4 s  ctrl+x stops" while a bulk action runs."""

    DEFAULT_CSS = """
    BulkProgress { height: 1; display: none; padding: 0 1; background: $panel; }
    BulkProgress.-running { display: block; }
    BulkProgress > Label { width: auto; margin-right: 1; }
    BulkProgress > #bulk-status { width: 16; }
    /* The counts and the stop key always show: a long label gives way. */
    BulkProgress > #bulk-label { max-width: 40%; text-wrap: nowrap; text-overflow: ellipsis; }
    BulkProgress > ProgressBar { min-width: 6; }
    BulkProgress > ProgressBar { width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._done = 0
        self._total = 1
        self._turn = 0
        self._started: datetime | None = None
        self._timer: Handle | None = None

    def compose(self) -> ComposeResult:
        yield Label(id="bulk-label")
        yield ProgressBar(show_eta=False, show_percentage=False, id="bulk-bar")
        yield Label(id="bulk-status")
        yield Label("ctrl+x stops", id="bulk-hint")

    @property
    def clock(self) -> AppClock:
        return getattr(self.app, "clock", SYSTEM_CLOCK)

    def start(self, label: str, total: int) -> None:
        self.query_one("#bulk-label", Label).update(label)
        self._done, self._total, self._turn = 0, max(total, 1), 0
        self._started = self.clock.now()
        self.query_one(ProgressBar).update(total=self._total, progress=0)
        # Wide enough for the longest it can read, so ticks repaint it without laying out the
        # screen again (a layout per tick cost a bulk send's frames tens of ms each).
        longest = f"{SPINNER[0]} {self._total:,}/{self._total:,} · 99999 s"
        self.query_one("#bulk-status", Label).styles.width = len(longest)
        self.add_class("-running")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.clock.every(self, TICK_SECONDS, self._tick, name="bulk-spinner")
        self._show()

    def advance(self, done: int, total: int) -> None:
        self._done, self._total = done, max(total, 1)
        self.query_one(ProgressBar).update(total=self._total, progress=done)
        self._show()

    def finish(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._started = None
        self.remove_class("-running")

    def _tick(self) -> None:
        self._turn += 1
        self._show()

    def _show(self) -> None:
        seconds = 0
        if self._started is not None:
            seconds = int((self.clock.now() - self._started).total_seconds())
        spin = SPINNER[self._turn % len(SPINNER)]
        self.query_one("#bulk-status", Label).update(
            f"{spin} {self._done:,}/{self._total:,} · {seconds} s", layout=False
        )
