"""Split an item of quantity N into parts that add up to N, each becoming its own item."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from podtui import keymap
from podtui.domain.wording import count
from podtui.screens.dialog_base import ServiceDialog
from podtui.services.items.order_detail import ItemDetail

MAX_PARTS = 50


class SplitDialog(ServiceDialog[object]):
    """A row per part; the live sum must equal the item's quantity before save goes ahead."""

    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "Cancel"),
        ("ctrl+n", "add_part", "Add a part"),
        ("ctrl+r", "remove_part", "Remove this part"),
        *keymap.bindings("form"),
    ]
    KEY_SCOPES = ("form",)

    def __init__(self, d: ItemDetail, *, save: Callable[[list[int]], object]) -> None:
        super().__init__()
        self.d = d
        self.quantity = d.item.quantity
        self.save = save
        first = max(1, self.quantity - 1)
        self.initial = [first, self.quantity - first] if self.quantity > 1 else [1]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(f"Split item {self.d.id}: {self.d.item.title}", id="dialog-title")
            yield Static(
                f"Quantity {self.quantity}. Each part becomes an item with its own copy of the "
                "personalization, to edit on its own.",
                id="dialog-question",
            )
            with VerticalScroll(id="split-parts"):
                for quantity in self.initial:
                    yield self._row(quantity)
            yield Static("", id="split-sum")
            yield Static("", id="dialog-error")
            yield Static(
                "ctrl+n add a part · ctrl+r remove this part · enter save", id="dialog-hint"
            )
            with Horizontal(id="dialog-buttons"):
                yield Button("Add part", id="add")
                yield Button("Cancel", id="cancel")
                yield Button("Split", id="save", variant="primary")

    def _row(self, quantity: int) -> Input:
        return Input(str(quantity), type="integer", classes="split-part", placeholder="quantity")

    def on_mount(self) -> None:
        self.query(".split-part").first(Input).focus()
        self._update_sum()

    @property
    def parts(self) -> list[Input]:
        return list(self.query(".split-part").results(Input))

    def quantities(self) -> list[int] | None:
        """The parts as whole numbers, or None when one is empty or not a number."""
        values: list[int] = []
        for field in self.parts:
            try:
                values.append(int(field.value.strip()))
            except ValueError:
                return None
        return values

    def _update_sum(self) -> None:
        values = self.quantities()
        line = self.query_one("#split-sum", Static)
        if values is None:
            line.update(f"[red]Every part needs a whole number (quantity {self.quantity}).[/]")
            return
        total = sum(values)
        left = self.quantity - total
        state = (
            "[green]adds up[/]"
            if left == 0
            else (f"[red]{left} left to place[/]" if left > 0 else f"[red]{-left} too many[/]")
        )
        line.update(f"{count(len(values), 'part')} · sum {total} of {self.quantity} · {state}")

    @on(Input.Changed, ".split-part")
    def _changed(self) -> None:
        if self.last_error and not self.saving:
            self.show_error("")  # a refusal's sum is stale once a part changes; the line is live
        self._update_sum()

    def action_add_part(self) -> None:
        if len(self.parts) >= MAX_PARTS:
            self.show_error(f"At most {count(MAX_PARTS, 'part')} at once.")
            return
        values = self.quantities() or []
        left = max(1, self.quantity - sum(values))
        row = self._row(left)
        self.query_one("#split-parts").mount(row)
        row.focus()
        self._update_sum()

    async def action_remove_part(self) -> None:
        parts = self.parts
        if len(parts) <= 1:
            return
        focused = self.focused if self.focused in parts else parts[-1]
        assert isinstance(focused, Input)
        index = parts.index(focused)
        await focused.remove()
        parts[index - 1 if index else 1].focus()
        self._update_sum()

    def action_save(self) -> None:
        values = self.quantities()
        if values is None:
            self.show_error("Every part needs a whole number.")
            return
        if len(values) < 2:
            self.show_error("A split needs at least 2 parts: ctrl+n adds one.")
            return
        if sum(values) != self.quantity or any(v < 1 for v in values):
            self.show_error(
                f"The parts must be at least 1 each and add up to {self.quantity} "
                f"(they add up to {sum(values)})."
            )
            return
        self.run_save(lambda: self.save(values))

    @on(Input.Submitted, ".split-part")
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#add")
    def _add(self) -> None:
        self.action_add_part()
