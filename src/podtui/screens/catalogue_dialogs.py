"""The Catalogue screen's small dialog: add artwork from a file or a folder on this machine.

The path is checked and copied by the artwork library in a worker; a file it cannot use keeps
the dialog open with every reason, and nothing is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from podtui.screens.dialog_base import ServiceDialog
from podtui.services.catalogue.artwork_library import add_artwork

if TYPE_CHECKING:
    from podtui.db import Database


class AddArtworkDialog(ServiceDialog[list[str]]):
    """Ask for a print image, a template or a folder, and add it to the library."""

    def __init__(self, db: Database) -> None:
        super().__init__(id="add-artwork")
        self.db = db

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Add artwork", id="dialog-title")
            yield Input(
                placeholder="path of a PNG, a JPEG, a template .toml or a folder",
                id="artwork-path",
            )
            yield Static("", id="dialog-error")
            yield Static(
                "Copied into podtui's library: moving the original later breaks nothing.",
                id="dialog-hint",
            )
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="artwork-cancel")
                yield Button("Add", variant="primary", id="artwork-ok")

    def on_mount(self) -> None:
        self.query_one("#artwork-path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#artwork-ok")
    def action_add(self) -> None:
        path = self.query_one("#artwork-path", Input).value.strip()
        if not path:
            self.show_error("Type the path of a file or a folder.")
            return
        db = self.db
        self.run_save(lambda: add_artwork(db, [path]).lines())

    @on(Button.Pressed, "#artwork-cancel")
    def _cancel(self) -> None:
        self.action_close()
