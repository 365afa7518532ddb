"""A dialog of text an operator may need elsewhere (a vendor's refusal, a bulk report, the
messages log): read-only and scrollable; c copies it, s saves it under the data folder's reports/.

Its own module, importing nothing but Textual: the app imports the messages log at start-up, and
a start-up import of the bulk dialogs brought the ORM with it (bench/startup.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea


class TextModal(ModalScreen[None]):
    """Text an operator may need elsewhere (a vendor's refusal, a report): c copies, s saves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape,enter,q", "close", "Close"),
        ("c", "copy", "Copy"),
        ("s", "save", "Save to a file"),
    ]

    def __init__(self, title: str, text: str, *, headline: str = "") -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.text = text
        self.headline = headline

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="wide"):
            yield Label(self.title_text, id="dialog-title")
            if self.headline:
                yield Static(self.headline, id="dialog-question")
            yield TextArea(self.text, read_only=True, id="dialog-text", soft_wrap=True)
            yield Static("c copy · s save to a file · esc close", id="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.text)
        self.notify("Copied (through the terminal; if it did not arrive, press s to save).")

    def action_save(self) -> None:
        from podtui.config import data_dir

        folder = data_dir() / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"podtui-{datetime.now():%Y%m%d-%H%M%S}.txt"
        path.write_text(self.text + "\n", encoding="utf-8")
        self.notify(f"Saved to {path}")
