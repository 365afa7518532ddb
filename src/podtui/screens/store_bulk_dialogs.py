"""What the list's store keys ask before their plan: where the orders' store status goes (O),
and the note to post (m). Saving plans the operation (services/store_ops/bulk.py) off the UI
thread; bad input stays on the dialog with its reason, and the y/n question comes next."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Checkbox, RadioButton, RadioSet, Static, TextArea

from podtui.domain.store_status import VERBS
from podtui.screens.form_dialog import FormDialog, form_bindings, notify_box
from podtui.services.store_ops.bulk import BULK_MOVES

NEXT = "Next ({save})"


def _orders(n: int) -> str:
    return f"{n:,} order{'' if n == 1 else 's'}"


class BulkStoreStatusDialog(FormDialog):
    """Where the orders go at their stores; each store takes the moves it allows from there."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings()
    FOCUS = "RadioSet"

    def __init__(self, orders: int, *, save: Callable[[str], object]) -> None:
        super().__init__(f"Store status of {_orders(orders)}", NEXT)
        self.save = save

    def fields(self) -> ComposeResult:
        yield Static(
            "WooCommerce: processing, on hold, completed. Shopify: close, reopen. An order "
            "whose store does not allow it from where it is, is skipped (and named).",
            id="dialog-question",
        )
        with RadioSet(id="status-to"):
            for n, target in enumerate(BULK_MOVES):
                yield RadioButton(VERBS.get(target, target), value=n == 0, id=f"to-{target}")

    def job(self) -> Callable[[], object]:
        pressed = self.query_one(RadioSet).pressed_button
        to = (pressed.id or "to-").removeprefix("to-") if pressed else ""
        return lambda: self.save(to)


class BulkStoreNoteDialog(FormDialog):
    """The note posted to each order at its store: private, or to the customer where it can."""

    BINDINGS: ClassVar[list[BindingType]] = form_bindings()
    FOCUS = "TextArea"
    HINT = "{save} next · esc cancel"

    def __init__(
        self, orders: int, *, to_customer: bool, save: Callable[[str, bool], object]
    ) -> None:
        super().__init__(f"Note to the stores of {_orders(orders)}", NEXT)
        self.to_customer = to_customer
        self.save = save

    def fields(self) -> ComposeResult:
        yield TextArea("", id="store-note-body")
        yield Static("", id="err-body", classes="field-error")
        yield notify_box(
            self.to_customer, "note-customer", "To the customer (WooCommerce e-mails it)"
        )

    def job(self) -> Callable[[], object]:
        body = self.query_one(TextArea).text
        to_customer = self.query_one("#note-customer", Checkbox).value
        return lambda: self.save(body, to_customer)
