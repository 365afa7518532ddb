"""Change an item's variant (a size exchange): `V` on the details, a pick of the product's others.

The pick lists the variants podtui has seen in orders or mapped (services/items/variant.py);
enter chooses. An approved (Ready) item then asks y/n, No focused: it goes back to approval and
its print file is retired. The change runs as one use-case off the UI thread; a refusal (the
status rule, someone else's change) is a toast and nothing is written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from podtui.domain.status import ItemStatus
from podtui.services import transaction
from podtui.services.items.variant import VariantChoice, change_variant, variant_choices

if TYPE_CHECKING:
    from podtui.services.items.order_detail import ItemDetail


class VariantDialog(ModalScreen[VariantChoice | None]):
    """The product's other variants; enter picks one, esc leaves the item as it is."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    def __init__(self, d: ItemDetail, choices: list[VariantChoice]) -> None:
        super().__init__(classes="dialog")
        self.d = d
        self.choices = choices

    def compose(self) -> ComposeResult:
        item = self.d.item
        now = " · ".join(p for p in (item.variant_title, item.sku) if p) or item.variant_id
        with Vertical(id="dialog-box", classes="wide"):
            yield Label(f"Change the variant of item {self.d.id}", id="dialog-title")
            yield Static(f"{item.title or 'The item'} is now {now}. Change it to:",
                         id="dialog-question")  # fmt: skip
            yield OptionList(
                *(Option(c.label(), id=c.variant_id) for c in self.choices), id="variant-list"
            )
            yield Static("↑↓ choose · enter change · esc cancel", id="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        chosen = next((c for c in self.choices if c.variant_id == event.option.id), None)
        self.dismiss(chosen)


class VariantChange:
    """The details' `V`: read the choices, ask, change. Mixed into DetailActions."""

    def do_change_variant(self, d: ItemDetail) -> None:
        self._variant_choices(d)

    @work(thread=True, exclusive=True, group="detail-variant", exit_on_error=False)
    def _variant_choices(self, d: ItemDetail) -> None:
        db = self.app.database()  # type: ignore[attr-defined]
        try:
            choices = transaction.read(db, lambda s: variant_choices(s, d.id))
        except Exception as exc:
            self.app.call_from_thread(  # type: ignore[attr-defined]
                self.notify,  # type: ignore[attr-defined]
                f"Cannot list the variants: {exc}",
                severity="error",
            )
            return
        self.app.call_from_thread(self._pick_variant, d, choices)  # type: ignore[attr-defined]

    def _pick_variant(self, d: ItemDetail, choices: list[VariantChoice]) -> None:
        screen: Any = self
        if not choices:
            screen.notify(
                f"No other variant of {d.item.title or 'this product'} has been seen in an order "
                "or mapped: map the other size in the Catalogue (M), then change it here.",
                severity="warning",
                timeout=8,
            )
            return

        def picked(choice: VariantChoice | None) -> None:
            if choice is not None:
                self._change_to(d, choice)

        screen.app.push_screen(VariantDialog(d, choices), picked)

    def _change_to(self, d: ItemDetail, choice: VariantChoice) -> None:
        from podtui.screens.confirm_dialog import ConfirmDialog

        screen: Any = self
        name = choice.title or choice.sku or choice.variant_id

        def use_case(session: Any) -> object:
            return change_variant(
                session, d.id, choice.variant_id, expected=d.status, expected_version=d.item.version
            )

        done = f"Item {d.id} is now {name}."
        if d.status is not ItemStatus.READY:
            screen.run_use_case(use_case, done)
            return
        now = d.item.variant_title or d.item.sku or d.item.variant_id
        screen.app.push_screen(
            ConfirmDialog(
                f"Change item {d.id} to {name}",
                f"Change {d.item.title or 'the item'} from {now} to {name}? It was approved: it "
                "goes back to Waiting approval, its print file is retired, and approving it "
                "again renders the new size.",
                yes=f"Change to {name}",
                save=lambda _answer: screen.write(use_case),
            ),
            screen.dialog_closed(done + " It waits for approval again."),
        )
