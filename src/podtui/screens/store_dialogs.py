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
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TextArea,
)

from podtui.domain.store_status import CANCEL_REASONS, VERBS, store_label
from podtui.screens.dialog_base import ServiceDialog
from podtui.services.store_ops.status import CancelOptions


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


class StoreStatusDialog(ServiceDialog[object]):
    """Where the order's status goes at its store: the moves the store allows from here, and
    for a Shopify cancellation its reason, refund, restock, notify and staff note. ctrl+y or
    the button goes on to the y/n question; esc leaves it as it is."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "Cancel"),
        Binding("ctrl+y", "save", "Next", priority=True),
    ]

    def __init__(
        self,
        order_name: str,
        store_name: str,
        current: str,
        targets: tuple[str, ...],
        *,
        cancel_options: bool,
        notify: bool,
        save: Callable[[str, CancelOptions | None], object],
    ) -> None:
        super().__init__()
        self.order_name = order_name
        self.store_name = store_name
        self.current = current
        self.targets = targets
        self.cancel_options = cancel_options
        self.notify_default = notify
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(
                f"{self.order_name} at {self.store_name}: {store_label(self.current)}",
                id="dialog-title",
            )
            with RadioSet(id="status-to"):
                for n, target in enumerate(self.targets):
                    yield RadioButton(VERBS.get(target, target), value=n == 0, id=f"to-{target}")
            if self.cancel_options:
                yield Static("If cancelled:", classes="section-label")
                yield Select(
                    [(label, code) for code, label in CANCEL_REASONS],
                    value="OTHER",
                    allow_blank=False,
                    id="cancel-reason",
                )
                yield Checkbox(
                    "Refund the payment to the original payment method", False, id="cancel-refund"
                )
                yield Checkbox("Restock the items", False, id="cancel-restock")
                yield Checkbox("Notify the customer", self.notify_default, id="cancel-notify")
                yield Input(placeholder="Staff note (optional, not shown to the customer)",
                            id="cancel-note")  # fmt: skip
                yield Static("", id="err-staff_note", classes="field-error")
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Next (ctrl+y)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def chosen(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return (pressed.id or "to-").removeprefix("to-") if pressed else ""

    def action_save(self) -> None:
        to = self.chosen()
        options = None
        if self.cancel_options and to == "cancelled":
            options = CancelOptions(
                reason=str(self.query_one("#cancel-reason", Select).value),
                refund=self.query_one("#cancel-refund", Checkbox).value,
                restock=self.query_one("#cancel-restock", Checkbox).value,
                notify=self.query_one("#cancel-notify", Checkbox).value,
                staff_note=self.query_one("#cancel-note", Input).value.strip(),
            )
        self.run_save(lambda: self.save(to, options))

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()
