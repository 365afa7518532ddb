"""Saved views: pick one to show it, or name the current filter to keep it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from podtui.domain.errors import DomainError
from podtui.services.listing.views import check_view_name


class ViewPickerModal(ModalScreen[str | None]):
    """The views of the config file; enter shows one."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(self, views: dict[str, str]) -> None:
        super().__init__(classes="dialog")
        self.views = views

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Saved views", id="dialog-title")
            if self.views:
                yield OptionList(
                    *(
                        Option(Text.assemble(name, "  ", (text, "dim")), id=name)
                        for name, text in self.views.items()
                    ),
                    id="views-list",
                )
            else:
                yield Static("No saved views yet: filter the list, then press V to save it.")
            with Horizontal(id="dialog-buttons"):
                yield Button("Close", id="cancel")

    def on_mount(self) -> None:
        if self.views:
            self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, message: OptionList.OptionSelected) -> None:
        self.dismiss(self.views.get(message.option.id or ""))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveViewDialog(ModalScreen[str | None]):
    """Name the current filter; it is written to the config file's [views]."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(self, filter_text: str) -> None:
        super().__init__(classes="dialog")
        self.filter_text = filter_text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Save view", id="dialog-title")
            yield Static(self.filter_text, id="dialog-question")
            yield Input(placeholder="name, e.g. ready printify", id="view-name")
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        try:
            name = check_view_name(self.query_one(Input).value)
        except DomainError as exc:
            self.query_one("#dialog-error", Static).update(str(exc))
            return
        self.dismiss(name)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
