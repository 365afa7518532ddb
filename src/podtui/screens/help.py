"""`?`: every key of the screen, read from the binding registry, and the filter language."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.console import Console
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from podtui.keymap import KeyAction, display_keys, effective_keys, in_scopes
from podtui.services.listing.filters import FIELD_HELP


def dialog_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """A dialog's own keys, (keys, what they do), for those the registry does not list."""
    rows = []
    for binding in Binding.make_bindings(type(screen).BINDINGS):
        if binding.id or not binding.description:
            continue  # the registry's (listed by scope) or a key with nothing to say
        rows.append((binding.key_display or display_keys(binding.key), binding.description))
    return rows


def keys_table(
    scopes: list[str], keymap: Mapping[str, str], dialog: Sequence[tuple[str, str]] = ()
) -> Table:
    table = Table(box=None, expand=True, pad_edge=False, show_header=True, header_style="bold")
    table.add_column("key", no_wrap=True, width=14)
    table.add_column("does", ratio=3)
    table.add_column(Text("id (for [keymap])"), style="dim", no_wrap=True)
    if dialog:
        table.add_row(Text("This dialog", style="bold underline"), "", "")
        for keys, does in dialog:
            table.add_row(keys, does, "")
    by_group: dict[str, list[KeyAction]] = {}  # in the order groups first appear
    for entry in in_scopes(scopes):
        by_group.setdefault(entry.group, []).append(entry)
    for group, entries in by_group.items():
        table.add_row(Text(group, style="bold underline"), "", "")
        for entry in entries:
            keys = display_keys(effective_keys(entry, keymap))
            table.add_row(keys, entry.description, Text(entry.id))
    return table


def filter_table() -> Table:
    table = Table(box=None, expand=True, pad_edge=False, show_header=False)
    table.add_column("field", no_wrap=True, width=14, style="bold")
    table.add_column("matches", ratio=1)
    for name, text in FIELD_HELP.items():
        table.add_row(f"{name}:", text)
    table.add_row(
        "words",
        "#1001 or 1001: an order; bob@: an e-mail; any other word, any part of it: the order, "
        "customer, e-mail, city, SKU, product title or tracking number",
    )
    return table


class HelpModal(ModalScreen[None]):
    """The keys of the screen below it, and the filter fields."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape,q,question_mark", "close", "Close")]

    def __init__(
        self,
        scopes: list[str],
        keymap: Mapping[str, str],
        dialog: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(classes="dialog")
        self.scopes = scopes
        self.keymap = keymap
        self.dialog = list(dialog)  # the keys of the dialog below, when it is one

    @property
    def text(self) -> str:
        """The help as plain text (what the screen shows)."""
        console = Console(width=110, record=True, file=io.StringIO(), color_system=None)
        console.print(keys_table(self.scopes, self.keymap, self.dialog))
        console.print(filter_table())
        return console.export_text()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box", classes="wide tall"):
            yield Label("Keys", id="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(keys_table(self.scopes, self.keymap, self.dialog))
                yield Label(
                    "Filter line ( / ): field:value terms and words, combined",
                    classes="help-heading",
                )
                yield Static(filter_table())
            yield Static(
                'Rebind any id in the config file: [keymap] "orders.send" = "ctrl+e"',
                id="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
