"""Add a store or a vendor of any kind: one form whose fields follow the kind chosen.

Stores and API vendors take an address and a secret (a password field, tested against the API
before it is kept); a hot folder takes its folder and queues (checked before anything is kept);
a manual vendor takes a name. The work runs in a worker (services/connections/add.py); a refusal
keeps the form open with the reason and everything typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from podtui.screens.dialog_base import ServiceDialog
from podtui.services.connections.add import FIELDS, KINDS, Added, add_connection

if TYPE_CHECKING:
    from podtui.db import Database

# field -> (label, placeholder per kind, or one for every kind)
LABELS = {
    "url": "Address",
    "name": "Name",
    "account": "Shop/store id",
    "path": "Folder",
    "queues": "Queues",
    "secret": "Secret",
}
PLACEHOLDERS: dict[str, dict[str, str]] = {
    "url": {
        "shopify": "shop name, NAME.myshopify.com or its URL",
        "woocommerce": "the site's address, https://shop.example",
        "printify": "API address (empty: the real API)",
        "printful": "API address (empty: the real API)",
    },
    "name": {"": "what podtui calls it"},
    "account": {"printify": "Printify shop id", "printful": "Printful store id (optional)"},
    "path": {"": "the folder the RIP watches (must exist)"},
    "queues": {"": "queues, comma-separated: dtg, mugs=/mnt/rip/mugs"},
    "secret": {
        "shopify": "Admin API access token: shpat_...",
        "woocommerce": "consumer key and secret: ck_...:cs_...",
        "": "API token",
    },
}


class AddConnectionModal(ServiceDialog[Added]):
    """The form behind the Connections screen's `a`."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "close", "Cancel")]

    def __init__(self, db: Database) -> None:
        super().__init__(id="add-connection")
        self.db = db

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Add a store or vendor", id="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Kind", classes="form-label")
                yield Select(
                    [(label, kind) for kind, label in KINDS],
                    value="shopify",
                    allow_blank=False,
                    compact=True,
                    id="add-kind",
                )
            for field, label in LABELS.items():
                with Horizontal(classes="form-row", id=f"row-{field}"):
                    yield Label(label, classes="form-label")
                    yield Input(id=f"add-{field}", compact=True, password=field == "secret")
            yield Static("", id="dialog-error")
            yield Static("Tested (or checked) before anything is kept.", id="dialog-hint")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="add-cancel")
                yield Button("Add", variant="primary", id="add-ok")

    def on_mount(self) -> None:
        self._show_fields("shopify")
        self.query_one("#add-kind", Select).focus()

    @property
    def kind(self) -> str:
        return str(self.query_one("#add-kind", Select).value)

    def _show_fields(self, kind: str) -> None:
        wanted = FIELDS[kind]
        for field in LABELS:
            self.query_one(f"#row-{field}").display = field in wanted
            hints = PLACEHOLDERS[field]
            self.query_one(f"#add-{field}", Input).placeholder = hints.get(kind, hints.get("", ""))

    @on(Select.Changed, "#add-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        self._show_fields(str(event.value))
        self.show_error("")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == f"add-{FIELDS[self.kind][-1]}":
            self.action_add()
        else:
            self.focus_next()

    @on(Button.Pressed, "#add-ok")
    def action_add(self) -> None:
        values = {f: self.query_one(f"#add-{f}", Input).value for f in FIELDS[self.kind]}
        if "secret" in values and not values["secret"].strip():
            self.show_error("Type the secret first (it is not shown).")
            return
        kind, db = self.kind, self.db
        self.run_save(lambda: add_connection(db, kind=kind, **values))

    @on(Button.Pressed, "#add-cancel")
    def _cancel(self) -> None:
        self.action_close()
