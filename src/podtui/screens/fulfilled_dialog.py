"""Mark an item fulfilled by hand: carrier, tracking number and link, all optional."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, Static

from podtui.screens.form_dialog import FormDialog
from podtui.services.items.order_detail import ItemDetail


class FulfilledDialog(FormDialog):
    """Carrier and tracking make a shipment record; left empty, the item is only marked."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    def __init__(self, d: ItemDetail, *, save: Callable[[str, str, str], object]) -> None:
        super().__init__(f"Mark item {d.id} fulfilled", "Mark fulfilled")
        self.d = d
        self.save = save

    def fields(self) -> ComposeResult:
        yield Static(
            f"{self.d.item.title}, quantity {self.d.item.quantity}. Carrier and tracking are "
            "optional; with them the store can be told.",
            id="dialog-question",
        )
        yield Input(placeholder="carrier (USPS, DHL …)", id="ful-carrier")
        yield Input(placeholder="tracking number", id="ful-tracking_number")
        yield Input(placeholder="tracking link (https://…)", id="ful-tracking_url")
        yield Static("", id="err-tracking_url", classes="field-error")

    def job(self) -> Callable[[], object]:
        values = [
            self.query_one(f"#ful-{name}", Input).value
            for name in ("carrier", "tracking_number", "tracking_url")
        ]
        return lambda: self.save(*values)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
