"""Mark an item fulfilled by hand: carrier, tracking number and link, all optional."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from podtui.screens.dialog_base import ServiceDialog
from podtui.services.items.order_detail import ItemDetail


class FulfilledDialog(ServiceDialog[object]):
    """Carrier and tracking make a shipment record; left empty, the item is only marked."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    def __init__(self, d: ItemDetail, *, save: Callable[[str, str, str], object]) -> None:
        super().__init__()
        self.d = d
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(f"Mark item {self.d.id} fulfilled", id="dialog-title")
            yield Static(
                f"{self.d.item.title}, quantity {self.d.item.quantity}. Carrier and tracking are "
                "optional; with them the store can be told.",
                id="dialog-question",
            )
            yield Input(placeholder="carrier (USPS, DHL …)", id="ful-carrier")
            yield Input(placeholder="tracking number", id="ful-tracking_number")
            yield Input(placeholder="tracking link (https://…)", id="ful-tracking_url")
            yield Static("", id="err-tracking_url", classes="field-error")
            yield Static("", id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Mark fulfilled", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ful-carrier", Input).focus()

    def action_save(self) -> None:
        values = [
            self.query_one(f"#ful-{name}", Input).value
            for name in ("carrier", "tracking_number", "tracking_url")
        ]
        self.query_one("#err-tracking_url", Static).update("")
        self.run_save(lambda: self.save(*values))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()
