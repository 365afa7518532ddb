"""The skeleton of a dialog of fields: title, the fields, the error line, Cancel and a save button.

A subclass yields its fields (`fields`) and says what saving calls with the values read now
(`job`); the base lays out the box, clears each field's old reason and runs the call off the UI
thread through ServiceDialog (which answers Cancel and the save button). `notify_box` is the one
"notify the customer" choice every store dialog offers, its default given by the store's
setting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Label, Static

from podtui import keymap
from podtui.screens.dialog_base import RetryOffer, ServiceDialog


def notify_box(
    default: bool, id: str, label: str = "Notify the customer", *, disabled: bool = False
) -> Checkbox:
    """The "notify the customer" choice, ticked when the store's setting says so."""
    return Checkbox(label, default, id=id, disabled=disabled)


def form_bindings() -> list[BindingType]:
    """esc cancels; ctrl+y saves (the registry's form.save: [keymap] rebinds it)."""
    return [("escape", "close", "Cancel"), *keymap.bindings("form")]


class FormDialog(ServiceDialog[object]):
    """Fields, then Cancel and the save button; ctrl+y or the button saves, esc cancels."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings()
    KEY_SCOPES: ClassVar[tuple[str, ...]] = ("form",)
    FOCUS: ClassVar[str] = "Input"  # the field focused when the dialog opens
    # A line of keys under the error line, when the fields need one; `{save}` (in it and in the
    # save button's label) is the save key as bound now. Replaced, not str.format: a label
    # carries a store's name, and a name with braces in it is text, not a placeholder.
    HINT: ClassVar[str] = ""

    def __init__(
        self,
        title: str,
        save_label: str,
        *,
        wide: bool = False,
        retry: RetryOffer | None = None,
    ) -> None:
        super().__init__(retry=retry)
        self.title_text = title
        self.save_label = save_label
        self.wide = wide

    def fields(self) -> ComposeResult:
        """The dialog's own widgets, between the title and the error line."""
        yield from ()

    def job(self) -> Callable[[], object]:
        """The service call that saves what the fields say now."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="wide" if self.wide else ""):
            yield Label(self.title_text, id="dialog-title")
            yield from self.fields()
            yield Static("", id="dialog-error")
            key = keymap.bound_key(self.app, "form.save")
            if self.HINT:
                yield Static(self.HINT.replace("{save}", key), id="dialog-hint")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(self.save_label.replace("{save}", key), id="save", variant="primary")

    def on_mount(self) -> None:
        self.query(self.FOCUS).first(Widget).focus()

    def action_save(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.update("")
        self.run_save(self.job())
