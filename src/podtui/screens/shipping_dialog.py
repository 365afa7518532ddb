"""The shipping-address editor: every field, checked as you leave it and again on save."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import ClassVar

import pycountry
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from podtui import keymap
from podtui.domain.address import (
    ADDRESS_FIELDS,
    FIELD_LABELS,
    ShippingAddress,
    clean_address,
    country_name,
    normalise_country,
    validate_address,
    validate_field,
)
from podtui.domain.wording import count, items_are
from podtui.screens.dialog_base import RetryOffer, ServiceDialog
from podtui.services.items.order_detail import OrderDetail
from podtui.services.items.shipping import AT_VENDOR_STATUSES


@lru_cache(maxsize=1)
def country_choices() -> list[str]:
    """ "Germany (DE)" for every ISO 3166 country, for completing the country field by typing."""
    return sorted(f"{c.name} ({c.alpha_2})" for c in pycountry.countries)


class ShippingDialog(ServiceDialog[object]):
    """Edits the order's address; nothing is saved until every field is valid."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "Cancel"),
        *keymap.bindings("form"),
        *ServiceDialog.RETRY_BINDINGS,
    ]
    KEY_SCOPES = ("form", "confirm")  # confirm: the retry offer's y and n

    def __init__(
        self,
        detail: OrderDetail,
        *,
        save: Callable[[ShippingAddress], object],
        focus: str | None = None,
        retry: RetryOffer | None = None,
    ) -> None:
        super().__init__(retry=retry)
        self.detail = detail
        self.save = save
        self.focus_field = focus if focus in ADDRESS_FIELDS else "name"
        self.original = ShippingAddress.from_order(detail.order)
        self.at_vendor = [d.id for d in detail.items if d.status in AT_VENDOR_STATUSES]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="wide"):
            yield Label(f"Shipping address of {self.detail.order.name}", id="dialog-title")
            if self.at_vendor:
                yield Static(
                    f"{items_are(self.at_vendor)} already at the vendor: this edit does not "
                    "change the vendor's copy of the address.",
                    id="ship-warning",
                )
            with VerticalScroll(id="ship-form"):
                for name in ADDRESS_FIELDS:
                    with Horizontal(classes="ship-row"):
                        yield Label(FIELD_LABELS[name], classes="ship-label")
                        value = getattr(self.original, name)
                        if name == "country":
                            shown = f"{country_name(value)} ({value})" if value else ""
                            yield Input(
                                shown if normalise_country(value) else value,
                                id=f"ship-{name}",
                                suggester=SuggestFromList(country_choices(), case_sensitive=False),
                                classes="ship-input",
                            )
                        else:
                            yield Input(value, id=f"ship-{name}", classes="ship-input")
                    yield Static("", id=f"err-{name}", classes="field-error")
            yield Static("", id="dialog-error")
            yield Static(
                "tab next field · → accepts a country suggestion · enter save", id="dialog-hint"
            )
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save address", id="save", variant="primary")

    def on_mount(self) -> None:
        for error in self.query(".field-error").results(Static):
            error.display = False
        field = self.query_one(f"#ship-{self.focus_field}", Input)
        field.focus()
        field.select_all()  # what the operator types replaces the refused value

    def address(self) -> ShippingAddress:
        """The address as typed; the country field's "Name (CC)" read back as its code."""
        values = {name: self.query_one(f"#ship-{name}", Input).value for name in ADDRESS_FIELDS}
        country = values["country"].strip()
        if country.endswith(")") and "(" in country:
            code = country.rsplit("(", 1)[1].rstrip(")").strip()
            if normalise_country(code):
                values["country"] = code
        return ShippingAddress(**values)

    def set_field_error(self, name: str, reason: str | None) -> None:
        error = self.query_one(f"#err-{name}", Static)
        error.update(reason or "")
        error.display = bool(reason)
        self.query_one(f"#ship-{name}", Input).set_class(bool(reason), "invalid-field")

    def show_field_errors(self, fields: dict[str, str]) -> None:
        for name in ADDRESS_FIELDS:
            self.set_field_error(name, fields.get(name))

    @on(Input.Blurred, ".ship-input")
    def _left_field(self, message: Input.Blurred) -> None:
        if self.is_attached:
            name = (message.input.id or "").removeprefix("ship-")
            if name in ADDRESS_FIELDS:
                self.set_field_error(name, validate_field(name, self.address()))

    def action_save(self) -> None:
        if self.offering:
            return
        address = clean_address(self.address())
        problems = validate_address(address)
        self.show_field_errors(problems)
        if problems:
            needs = f"{count(len(problems), 'field')} need{'s' if len(problems) == 1 else ''}"
            self.show_error(f"Not saved: {needs} fixing.")
            first = next(iter(problems))
            self.query_one(f"#ship-{first}", Input).focus()
            return
        self.run_save(lambda: self.save(address))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
