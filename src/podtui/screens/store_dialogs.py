"""Dialogs of the store side of an order: what goes to the store, asked before it is sent.

Each saves through a service call given by the details screen (services/store_ops); the store's
refusal keeps the dialog open with the store's own reason, as every ServiceDialog does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Label, Static, TextArea

from podtui.screens.dialog_base import ServiceDialog


class StoreNoteDialog(ServiceDialog[object]):
    """A note posted to the order at its store: private, or to the customer where the store
    can (WooCommerce e-mails it). ctrl+y or the button posts it; esc leaves it unsent."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "Cancel"),
        Binding("ctrl+y", "save", "Post", priority=True),  # before the text area's redo
    ]

    def __init__(
        self,
        order_name: str,
        store_name: str,
        *,
        customer_allowed: bool,
        to_customer: bool,
        save: Callable[[str, bool], object],
    ) -> None:
        super().__init__()
        self.order_name = order_name
        self.store_name = store_name
        self.customer_allowed = customer_allowed
        self.to_customer = to_customer and customer_allowed
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(f"Note to {self.store_name} on {self.order_name}", id="dialog-title")
            where = (
                "an order note"
                if self.customer_allowed
                else "added to the order's note (staff only)"
            )
            yield Static(f"Sent to the store: {where}.", id="dialog-question")
            yield TextArea("", id="store-note-body")
            yield Static("", id="err-body", classes="field-error")
            yield Checkbox(
                "To the customer (the store e-mails it)"
                if self.customer_allowed
                else "To the customer (this store cannot)",
                self.to_customer,
                id="note-customer",
                disabled=not self.customer_allowed,
            )
            yield Static("", id="dialog-error")
            yield Static("ctrl+y post · esc cancel", id="dialog-hint")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(f"Post to {self.store_name}", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        body = self.query_one(TextArea).text
        to_customer = self.query_one("#note-customer", Checkbox).value
        self.query_one("#err-body", Static).update("")
        self.run_save(lambda: self.save(body, to_customer))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()
