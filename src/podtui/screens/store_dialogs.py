"""Dialogs of the store side of an order: what goes to the store, asked before it is sent.

Each saves through a service call given by the details screen (services/store_ops); the store's
refusal keeps the dialog open with the store's own reason, as every ServiceDialog does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.store_status import CANCEL_REASONS, VERBS, store_label
from podtui.screens.dialog_base import ServiceDialog
from podtui.screens.form_dialog import FormDialog, form_bindings, notify_box
from podtui.services.store_ops.refunds import RefundLine, check_refund, local_total
from podtui.services.store_ops.status import CancelOptions
from podtui.widgets.line_quantities import LineQuantities

if TYPE_CHECKING:
    from podtui.adapters.stores.base import StoreCustomer

NEXT = "Next ({save})"  # the dialogs whose save goes on to the y/n question


class StoreNoteDialog(FormDialog):
    """A note posted to the order at its store: private, or to the customer where the store
    can (WooCommerce e-mails it). ctrl+y or the button posts it; esc leaves it unsent."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings()
    FOCUS = "TextArea"
    HINT = "{save} post · esc cancel"

    def __init__(
        self,
        order_name: str,
        store_name: str,
        *,
        customer_allowed: bool,
        to_customer: bool,
        save: Callable[[str, bool], object],
    ) -> None:
        super().__init__(f"Note to {store_name} on {order_name}", f"Post to {store_name}")
        self.customer_allowed = customer_allowed
        self.to_customer = to_customer and customer_allowed
        self.save = save

    def fields(self) -> ComposeResult:
        where = (
            "an order note" if self.customer_allowed else "added to the order's note (staff only)"
        )
        yield Static(f"Sent to the store: {where}.", id="dialog-question")
        yield TextArea("", id="store-note-body")
        yield Static("", id="err-body", classes="field-error")
        yield notify_box(
            self.to_customer,
            "note-customer",
            "To the customer (the store e-mails it)"
            if self.customer_allowed
            else "To the customer (this store cannot)",
            disabled=not self.customer_allowed,
        )

    def job(self) -> Callable[[], object]:
        body = self.query_one(TextArea).text
        to_customer = self.query_one("#note-customer", Checkbox).value
        return lambda: self.save(body, to_customer)


class StoreStatusDialog(FormDialog):
    """Where the order's status goes at its store: the moves the store allows from here, and
    for a Shopify cancellation its reason, refund, restock, notify and staff note. ctrl+y or
    the button goes on to the y/n question; esc leaves it as it is."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings()
    FOCUS = "RadioSet"

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
        super().__init__(f"{order_name} at {store_name}: {store_label(current)}", NEXT)
        self.targets = targets
        self.cancel_options = cancel_options
        self.notify_default = notify
        self.save = save

    def fields(self) -> ComposeResult:
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
            yield notify_box(self.notify_default, "cancel-notify")
            yield Input(placeholder="Staff note (optional, not shown to the customer)",
                        id="cancel-note")  # fmt: skip
            yield Static("", id="err-staff_note", classes="field-error")

    def chosen(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return (pressed.id or "to-").removeprefix("to-") if pressed else ""

    def job(self) -> Callable[[], object]:
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
        return lambda: self.save(to, options)


class RefundDialog(FormDialog):
    """A refund: units per line, shipping, an adjustment (+/-) and a restocking fee kept back,
    reason, restock, notify, and whether the money goes back through the payment gateway or is
    only recorded. The total follows what is typed;
    ctrl+y asks the store for its figure and goes on to the y/n question."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings()
    FOCUS = ".refund-qty"

    def __init__(
        self,
        order_name: str,
        store_name: str,
        currency: str,
        lines: list[RefundLine],
        *,
        notify: bool,
        notify_note: tuple[str, str] = ("", ""),
        save: Callable[[dict[str, str], dict[str, Any]], object],
    ) -> None:
        """`notify_note`: (in a line, in full) where the store tells the customer by itself
        (WooCommerce): said instead of a notify choice the store would not keep."""
        super().__init__(f"Refund on {order_name} at {store_name}", NEXT, wide=True)
        self.currency = currency
        self.lines = lines
        self.notify_default = notify
        self.notify_note = notify_note
        self.save = save

    def fields(self) -> ComposeResult:
        yield LineQuantities(
            [(ln.store_line_id, f"{ln.title}  ({ln.units} x {ln.price:.2f})") for ln in self.lines]
        )
        with Horizontal(classes="refund-line"):
            yield Static(f"Shipping ({self.currency})", classes="refund-title")
            yield Input("0.00", id="shipping", classes="refund-qty")
        yield Static("", id="err-shipping", classes="field-error")
        with Horizontal(classes="refund-line"):
            yield Static("Adjustment (+/-)", classes="refund-title")
            yield Input("0.00", id="adjustment", restrict=r"[-+0-9.]*", classes="refund-qty")
            yield Static("Restocking fee", classes="refund-title refund-second")
            yield Input("0.00", id="fee", restrict=r"[0-9.]*", classes="refund-qty")
        with Horizontal(classes="field-errors"):
            yield Static("", id="err-adjustment", classes="field-error")
            yield Static("", id="err-fee", classes="field-error")
        yield Input(placeholder="Reason (kept with the refund at the store)", id="reason")
        yield Static("", id="err-reason", classes="field-error")
        yield Checkbox(
            "Money back through the payment gateway (off: only recorded)",
            True,
            id="refund-gateway",
        )
        with Horizontal(classes="refund-choices"):
            yield Checkbox("Restock the items", False, id="refund-restock")
            short, full = self.notify_note
            if short:
                note = Static(short, id="refund-notify-note", classes="refund-note")
                note.tooltip = full
                yield note
            else:
                yield notify_box(self.notify_default, "refund-notify")
        yield Static("", id="refund-total")

    def on_mount(self) -> None:
        self._show_total()  # then FormDialog's on_mount focuses the first line

    def units(self) -> dict[str, str]:
        return self.query_one(LineQuantities).units()

    def choices(self) -> dict[str, Any]:
        return {
            "shipping": self.query_one("#shipping", Input).value,
            "adjustment": self.query_one("#adjustment", Input).value,
            "fee": self.query_one("#fee", Input).value,
            "reason": self.query_one("#reason", Input).value,
            "through_gateway": self.query_one("#refund-gateway", Checkbox).value,
            "restock": self.query_one("#refund-restock", Checkbox).value,
            "notify": any(box.value for box in self.query("#refund-notify").results(Checkbox)),
        }

    def _show_total(self) -> None:
        try:
            request = check_refund(self.lines, self.units(), **self.choices())
        except ValidationError:
            text = "Total: —"
        else:
            text = f"Total: {local_total(self.lines, request):.2f} {self.currency}"
        self.query_one("#refund-total", Static).update(text)

    @on(Input.Changed)
    def _typed(self) -> None:
        self._show_total()

    def job(self) -> Callable[[], object]:
        units, choices = self.units(), self.choices()
        return lambda: self.save(units, choices)


class CustomerDialog(ServiceDialog[object]):
    """The order's customer at its store: enter on the search asks the store for customers by
    name or e-mail; enter on one picks it (the y/n question comes next); esc leaves it be."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    def __init__(
        self,
        order_name: str,
        store_name: str,
        current: str,
        *,
        search: Callable[[str], list[StoreCustomer]],
    ) -> None:
        super().__init__()
        self.order_name = order_name
        self.store_name = store_name
        self.current = current
        self.search = search
        self.found: list[StoreCustomer] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(f"Customer of {self.order_name} at {self.store_name}", id="dialog-title")
            yield Static(f"Now: {self.current or 'none'}", id="dialog-question")
            yield Input(placeholder="A name or an e-mail, then enter", id="customer-query")
            yield Static("", id="err-query", classes="field-error")
            yield OptionList(id="customer-results")
            yield Static("", id="dialog-error")
            yield Static("enter searches · enter on a customer picks it · esc cancel",
                         id="dialog-hint")  # fmt: skip
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Search", id="search", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#customer-query")
    @on(Button.Pressed, "#search")
    def _ask(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.show_error("Searching…")
        self.query_one("#err-query", Static).update("")
        self._search(self.query_one(Input).value)

    @work(thread=True, exclusive=True, group="customer-search", exit_on_error=False)
    def _search(self, query: str) -> None:
        try:
            found = self.search(query)
        except DomainError as exc:
            self.app.call_from_thread(self._refused, exc)
            return
        except Exception as exc:
            self.app.call_from_thread(self._refused, DomainError(f"{type(exc).__name__}: {exc}"))
            return
        self.app.call_from_thread(self._show, found)

    def _show(self, found: list[StoreCustomer]) -> None:
        self.saving = False
        self.found = found
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options(
            Option(f"{c.name or '(no name)'}  <{c.email}>", id=c.customer_id) for c in found
        )
        results.highlighted = 0
        results.focus()
        self.show_error(f"{len(found)} found: enter picks the one under the cursor.")

    @on(OptionList.OptionSelected, "#customer-results")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        chosen = next((c for c in self.found if c.customer_id == event.option.id), None)
        if chosen is not None:
            self.dismiss(chosen)


class ReturnDialog(FormDialog):
    """A return of fulfilled units: how many of each line came back, and why. ctrl+y goes on
    to the y/n question; esc leaves it be."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings()
    FOCUS = ".refund-qty"

    def __init__(
        self,
        order_name: str,
        store_name: str,
        lines: list[RefundLine],
        *,
        save: Callable[[dict[str, str], str], object],
    ) -> None:
        super().__init__(f"Return on {order_name} at {store_name}", NEXT, wide=True)
        self.lines = lines
        self.save = save

    def fields(self) -> ComposeResult:
        yield LineQuantities([(ln.store_line_id, f"{ln.title}  ({ln.units})") for ln in self.lines])
        yield Input(placeholder="Reason (kept with the return)", id="reason")
        yield Static("", id="err-reason", classes="field-error")

    def job(self) -> Callable[[], object]:
        units = self.query_one(LineQuantities).units()
        reason = self.query_one("#reason", Input).value
        return lambda: self.save(units, reason)
