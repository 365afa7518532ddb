"""The vendor-queue picker: each vendor with its count of items Ready to send.

`Q` on the list opens it; a digit (or enter on a row) shows that vendor's ready queue, so a
whole queue goes out in five keys: Q, the digit, `*`, `S`, `y`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option

from podtui import keymap
from podtui.domain.wording import count
from podtui.services.listing.queues import VendorQueue, ready_queues
from podtui.services.listing.reader import ListReader


class QueuesRead(Message):
    """The ready counts per vendor arrived."""

    def __init__(self, queues: list[VendorQueue] | None, error: str = "") -> None:
        super().__init__()
        self.queues = queues
        self.error = error


class VendorQueueModal(ModalScreen[VendorQueue | None]):
    """Pick a vendor's ready queue: 1-9 picks that row, enter the highlighted one."""

    # The row keys from the registry, so `?` lists them and [keymap] rebinds them (a keyboard
    # whose digits need shift); esc always closes.
    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "cancel", "Cancel"),
        *keymap.bindings("queues"),
    ]
    KEY_SCOPES = ("queues",)

    def __init__(self, reader: ListReader, *, now: Callable[[], datetime]) -> None:
        super().__init__(classes="dialog")
        self.reader = reader
        self.now = now
        self.queues: list[VendorQueue] | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Vendor queues: items Ready to send", id="dialog-title")
            yield Static("Counting…", id="dialog-question")
            yield OptionList(id="queue-list")
            yield Static(self._hint(), id="dialog-hint")
            with Horizontal(id="dialog-buttons"):
                yield Button("Close", id="cancel")

    def _row_keys(self) -> list[str]:
        """Each row's key as bound now, the first row's first."""
        return [keymap.bound_key(self.app, f"queues.pick_{n}") for n in range(1, 10)]

    def _hint(self) -> str:
        keys = self._row_keys()
        rows = "1-9" if keys == [str(n) for n in range(1, 10)] else " ".join(keys)
        mark = keymap.bound_key(self.app, "table.mark_all")
        send = keymap.bound_key(self.app, "orders.send")
        return f"{rows} or enter shows the queue · then {mark} marks it, {send} sends"

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._count()

    @work(thread=True, exclusive=True, group="queues", exit_on_error=False)
    def _count(self) -> None:
        try:
            self.post_message(QueuesRead(ready_queues(self.reader, self.now())))
        except Exception as exc:  # a busy or missing database: say so in the dialog
            self.post_message(QueuesRead(None, f"Could not count the queues: {exc}"))

    def on_queues_read(self, message: QueuesRead) -> None:
        about = self.query_one("#dialog-question", Static)
        if message.queues is None:
            about.update(message.error)
            return
        self.queues = message.queues
        options = self.query_one(OptionList)
        options.clear_options()
        if not message.queues:
            about.update("No vendor has items Ready to send.")
            return
        total = sum(q.ready for q in message.queues)
        keys = self._row_keys()
        width = max(len(key) for key in keys)  # a rebound key may be longer than a digit
        about.update(f"{count(total, 'item')} Ready at {count(len(message.queues), 'vendor')}")
        options.add_options(
            Option(
                Text.assemble(
                    (f"{keys[n - 1]:<{width}} " if n <= 9 else " " * (width + 1), "bold"),
                    f"{q.name:<28} ",
                    (f"{q.ready:>7,} ready", "cyan"),
                ),
                id=str(q.vendor_id),
            )
            for n, q in enumerate(message.queues, start=1)
        )
        options.highlighted = 0

    def action_pick(self, n: int) -> None:
        if self.queues and 1 <= n <= len(self.queues):
            self.dismiss(self.queues[n - 1])

    @on(OptionList.OptionSelected)
    def _chosen(self, message: OptionList.OptionSelected) -> None:
        if self.queues is not None and message.option_index < len(self.queues):
            self.dismiss(self.queues[message.option_index])

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
