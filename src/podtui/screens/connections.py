"""The Connections screen: every store and vendor, whether podtui can talk to it, and its secret.

Lists stores then vendors with their state (connected, failing with the last error, no secret,
sandbox) and the last good sync. Keys (keymap scope "connections"): add a store or a vendor of
any kind (screens/connection_add.py), test the row's connection against its API, replace the
row's secret, read again, and set whether a store's notify-the-customer choices start ticked
(services/connections/store_settings.py). Secrets are typed into a password field, tested
before they are kept, and never shown. Network work runs in a worker
thread; the result comes back as a toast and a fresh table.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from podtui import keymap
from podtui.domain.wording import count, name_with_kind
from podtui.services.connections.connect import (
    STORE_KINDS,
    ConnectionState,
    connection_states,
    where_secrets_live,
)
from podtui.widgets.key_footer import KeyFooter
from podtui.widgets.table_fill import refill

if TYPE_CHECKING:
    from podtui.db import Database
    from podtui.services.connections.add import Added

STATE_STYLE = {
    "connected": "green",
    "sandbox": "cyan",
    "failing": "bold red",
    "no secret": "yellow",
    "not needed": "dim",
}
COLUMNS = ("Name", "Side", "Kind", "State", "Notify", "Last good sync", "Detail")


def _local(moment: datetime) -> str:
    """A stored UTC time as the operator's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class SecretModal(ModalScreen[dict[str, str] | None]):
    """Ask for a store's or vendor's new secret (a password field)."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    def __init__(self, title: str, *, hint: str = "", placeholder: str = "") -> None:
        super().__init__(id="secret-modal", classes="dialog")
        self.title_text = title
        self.hint = hint
        self.placeholder = placeholder or "API token"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label(self.title_text, id="dialog-title")
            yield Input(
                placeholder=self.placeholder,
                password=True,
                id="secret-value",
            )
            yield Static(self.hint, id="dialog-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Test and keep", variant="primary", id="secret-ok")
                yield Button("Cancel", id="secret-cancel")

    def on_mount(self) -> None:
        self.query_one("#secret-value", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._finish()

    @on(Button.Pressed, "#secret-ok")
    def _ok(self) -> None:
        self._finish()

    @on(Button.Pressed, "#secret-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    def _finish(self) -> None:
        secret = self.query_one("#secret-value", Input).value
        if not secret.strip():
            self.query_one("#dialog-error", Static).update(
                "Type the secret first (it is not shown)."
            )
            return
        self.dismiss({"secret": secret})


class ConnectionsScreen(Screen[None]):
    """Stores and vendors and whether podtui can reach them."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("connections")
    KEY_SCOPES = ("connections",)

    def __init__(self, db: Database) -> None:
        super().__init__(id="connections-screen")
        self.db = db
        self.states: list[ConnectionState] = []

    def compose(self) -> ComposeResult:
        yield Static("Connections", id="connections-header")
        yield DataTable(id="connections-table", cursor_type="row", zebra_stripes=True)
        # The Detail column is cut on a narrow terminal: the row under the cursor says it whole.
        yield Static("", id="connection-detail")
        yield Static(f"Secrets live in: {where_secrets_live()}", id="connections-where")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.table
        table.add_columns(*COLUMNS)
        self.reload()
        table.focus()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#connections-table", DataTable)

    def reload(self) -> None:
        self.states = connection_states(self.db, self.app.reach)  # type: ignore[attr-defined]
        table = self.table
        row = table.cursor_row
        rows = []
        for state in self.states:
            when = _local(state.last_sync) if state.last_sync else "never"
            if state.side == "vendor":
                when = ""
            style = STATE_STYLE.get(state.state, "")
            cells = (
                state.name,
                state.side,
                state.kind,
                f"[{style}]{state.state}[/]" if style else state.state,
                "" if state.notify is None else "on" if state.notify else "off",
                when,
                state.detail,
            )
            rows.append((f"{state.side}:{state.row_id}", cells))
        refill(table, rows)
        stores = sum(1 for s in self.states if s.side == "store")
        self.query_one("#connections-header", Static).update(
            f"Connections · {count(stores, 'store')} · {count(len(self.states) - stores, 'vendor')}"
        )
        if self.states:
            table.move_cursor(row=min(row, len(self.states) - 1))
        self._show_detail()  # a test or a new secret changes the detail, not the cursor row

    @on(DataTable.RowHighlighted, "#connections-table")
    def _show_detail(self) -> None:
        current = self._current()
        text = ""
        if current is not None:
            text = f"{current.name}: {current.state}"
            if current.detail:
                text += f" · {current.detail}"
        self.query_one("#connection-detail", Static).update(text)

    def _current(self) -> ConnectionState | None:
        if not self.states:
            return None
        return self.states[min(self.table.cursor_row, len(self.states) - 1)]

    # -- actions

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh_connections(self) -> None:
        self.reload()

    def action_add_connection(self) -> None:
        from podtui.screens.connection_add import AddConnectionModal

        def done(added: Added | None) -> None:
            if added is not None:
                self._report(added.message, added.warn)

        self.app.push_screen(AddConnectionModal(self.db), done)

    def action_replace_secret(self) -> None:
        state = self._current()
        if state is None:
            return
        if state.state == "not needed":
            self.notify(f"{state.name} has no API: there is no secret to give it.")
            return

        def done(values: dict[str, str] | None) -> None:
            if values:
                self._replace(state, values["secret"])

        title = f"New secret for {name_with_kind(state.name, state.kind)}"
        hint = "Tested against its API before it is kept."
        placeholder = {
            "shopify": "Admin API access token: shpat_...",
            "woocommerce": "consumer key and secret: ck_...:cs_...",
        }.get(state.kind, "API token")
        self.app.push_screen(SecretModal(title, hint=hint, placeholder=placeholder), done)

    def action_toggle_notify(self) -> None:
        state = self._current()
        if state is None:
            return
        if state.notify is None:
            self.notify(f"{state.name} is a vendor: only a store tells the customer.")
            return
        self._set_notify(state.name, not state.notify, state.notify)

    def action_test_connection(self) -> None:
        state = self._current()
        if state is not None:
            self.notify(f"Testing {state.name}…", timeout=2)
            self._test(state)

    # -- workers: network and keyring off the UI thread

    @work(thread=True, exclusive=True, group="connections", exit_on_error=False)
    def _replace(self, state: ConnectionState, secret: str) -> None:
        if state.side == "vendor":
            from podtui.services.connections.connect import connect_vendor

            try:
                result = connect_vendor(
                    self.db,
                    kind=state.kind,
                    name=state.name,
                    secret=secret,
                    base_url=state.url,
                    reach=self.app.reach,  # type: ignore[attr-defined]
                )
            except Exception as exc:  # ApiError, DomainError: never holding the token
                self.app.call_from_thread(
                    self._report, f"{state.name}: not connected, nothing changed. {exc}", True
                )
                return
            self.app.call_from_thread(self._report, result.summary(), not result.stored)
            return
        self._run_connect(state.kind, state.name, state.url, secret, {})

    def _run_connect(
        self, kind: str, name: str, base_url: str, secret: str, settings: dict[str, Any]
    ) -> None:
        from podtui.services.connections.connect import connect_store

        if kind not in STORE_KINDS:
            self.app.call_from_thread(self._report, f"Cannot connect a {kind} store.", True)
            return
        try:
            result = connect_store(
                self.db,
                kind=kind,
                name=name,
                base_url=base_url,
                secret=secret,
                settings=settings,
                reach=self.app.reach,  # type: ignore[attr-defined]
            )
        except Exception as exc:  # ApiError, DomainError: the message never holds the secret
            self.app.call_from_thread(
                self._report, f"{name}: not connected, nothing changed. {exc}", True
            )
            return
        self.app.call_from_thread(self._report, result.summary(), not result.stored)

    @work(thread=True, exclusive=True, group="connection-setting", exit_on_error=False)
    def _set_notify(self, name: str, on: bool, seen: bool) -> None:
        from podtui.domain.errors import DomainError
        from podtui.services.connections.store_settings import set_notify_customer

        try:
            set_notify_customer(self.db, name, on, expected=seen)
        except DomainError as exc:  # changed meanwhile by another operator: said, kept
            self.app.call_from_thread(self._report, str(exc), True)
            return
        word = "on" if on else "off"
        self.app.call_from_thread(
            self._report, f"{name}: notify the customer is {word} by default.", False
        )

    @work(thread=True, exclusive=True, group="connections", exit_on_error=False)
    def _test(self, state: ConnectionState) -> None:
        from podtui.services.connections.connect import test_connection

        ok, message = test_connection(self.db, state, self.app.reach)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._report, message, not ok)

    def _report(self, message: str, problem: bool) -> None:
        self.notify(message, severity="error" if problem else "information", timeout=10)
        self.reload()
