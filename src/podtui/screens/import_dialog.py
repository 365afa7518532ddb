"""The Sync screen's import dialog: every order, a date range or some order ids, from one store
or all; what was typed is checked before anything runs, a progress bar follows the pages as
they are written, esc asks before it stops the import, and a summary closes it.

The import runs in a thread worker (services/sync/import_orders.py): the screen keeps answering
keys; the worker posts its progress and its end back as messages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Select,
    Static,
)

from podtui import keymap
from podtui.domain.errors import DomainError
from podtui.services.sync.import_orders import (
    ImportMode,
    ImportProgress,
    ImportRequest,
    ImportRun,
    ImportSummary,
    import_request,
)

Start = Callable[[ImportRequest, Callable[[ImportProgress], None]], ImportRun]
MODES: tuple[tuple[ImportMode, str], ...] = (
    ("all", "Every order"),
    ("range", "Orders created in a date range"),
    ("ids", "These order ids"),
)
EVERY_STORE = ""
FIELD_INPUTS = {"date_from": "#import-from", "date_to": "#import-to", "ids": "#import-ids"}


class ModeSet(RadioSet):
    """The import's three ways; enter on one also moves on to its fields."""

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def action_toggle_button(self) -> None:
        super().action_toggle_button()
        if self._selected is not None:  # the highlighted way, just pressed
            self.post_message(self.Chosen(self._selected))


class ImportProgressed(Message):
    def __init__(self, progress: ImportProgress) -> None:
        super().__init__()
        self.progress = progress


class ImportFinished(Message):
    """The import ended: its summary, or why it never started (nothing was written)."""

    def __init__(self, summary: ImportSummary | None, refused: Exception | None = None) -> None:
        super().__init__()
        self.summary = summary
        self.refused = refused


class ImportDialog(ModalScreen[ImportSummary | None]):
    """Import orders from the stores; dismisses with the summary (None when nothing ran)."""

    # "Stop the import?" is a yes/no question: every confirm's y and n answer it (the registry's,
    # so [keymap] rebinds them here too).
    BINDINGS: ClassVar[list[BindingType]] = [
        ("escape", "close", "Close / stop"),
        *keymap.bindings("confirm"),
    ]
    KEY_SCOPES = ("confirm",)
    DEFAULT_CSS = """
    ImportDialog #import-form { height: auto; }
    ImportDialog #import-mode { width: 100%; height: auto; }
    ImportDialog .import-row { height: auto; }
    ImportDialog .import-row Label { width: 14; padding-top: 1; }
    ImportDialog .import-row Input { width: 1fr; }
    ImportDialog #import-store { width: 1fr; }
    ImportDialog #import-progress { margin-top: 1; }
    ImportDialog #import-status { height: auto; max-height: 12; }
    ImportDialog #import-error { color: $text-error; height: auto; }
    """

    def __init__(self, stores: Sequence[str], start: Start, now: Callable[[], datetime]) -> None:
        super().__init__(id="import-dialog", classes="dialog")
        self.stores = list(stores)
        self.start = start
        self.now = now
        self.mode: ImportMode = "all"
        self.run: ImportRun | None = None
        self.running = False
        self.asking = False  # "Stop the import?" is on screen
        self.finished = False
        self.summary: ImportSummary | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box"):
            yield Label("Import orders from the stores", id="dialog-title")
            with Vertical(id="import-form"):
                with ModeSet(id="import-mode"):
                    for n, (_mode, label) in enumerate(MODES):
                        yield RadioButton(label, value=n == 0)
                with Horizontal(classes="import-row", id="import-range"):
                    yield Label("From, to")
                    yield Input(placeholder="2026-11-01", id="import-from")
                    yield Input(placeholder="2026-11-30 (empty: today)", id="import-to")
                with Horizontal(classes="import-row", id="import-ids-row"):
                    yield Label("Order ids")
                    yield Input(placeholder="1042, 1043 (the store's numbers)", id="import-ids")
                with Horizontal(classes="import-row"):
                    yield Label("Store")
                    options = [
                        ("Every store", EVERY_STORE),
                        *((name, name) for name in self.stores),
                    ]
                    yield Select(options, value=EVERY_STORE, allow_blank=False, id="import-store")
            yield Static("", id="import-what")
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static("", id="import-status")
            yield Static("", id="import-error")
            with Horizontal(id="dialog-buttons"):
                yield Button("Cancel", id="import-cancel")
                yield Button("Import", id="import-start", variant="primary")
                yield Button("Close", id="import-close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#import-close").display = False
        self.query_one("#import-what").display = False
        self._show_fields()
        self.query_one(ModeSet).focus()

    # -- the form ------------------------------------------------------------------------------

    def _show_fields(self) -> None:
        self.query_one("#import-range").display = self.mode == "range"
        self.query_one("#import-ids-row").display = self.mode == "ids"

    @on(RadioSet.Changed, "#import-mode")
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        self.mode = MODES[event.index][0]
        self._show_fields()
        self._say("")

    @on(ModeSet.Chosen)
    def _mode_chosen(self, event: ModeSet.Chosen) -> None:
        self.mode = MODES[event.index][0]
        self._show_fields()
        first = {"all": "#import-start", "range": "#import-from", "ids": "#import-ids"}
        self.call_after_refresh(self.query_one(first[self.mode]).focus)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#import-start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#import-cancel")
    @on(Button.Pressed, "#import-close")
    def _close_pressed(self) -> None:
        self.action_close()

    def _say(self, text: str) -> None:
        self.query_one("#import-error", Static).update(text)

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def action_start(self) -> None:
        if self.running or self.finished:
            return
        store = self.query_one("#import-store", Select).value
        try:
            request = import_request(
                self.mode,
                now=self.now(),
                stores=(str(store),) if store and store != EVERY_STORE else (),
                date_from=self._value("#import-from"),
                date_to=self._value("#import-to"),
                ids=self._value("#import-ids"),
            )
        except DomainError as exc:
            self._refused(exc)  # nothing ran: the operator corrects and presses enter again
            return
        self._say("")
        self.running = True
        self._lock_form(True)
        self.query_one("#import-what", Static).update(f"Importing {request.describe()}.")
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self.run = self.start(request, self._progressed)
        self._import(self.run)

    def _lock_form(self, locked: bool) -> None:
        """While it runs the form gives its room to the progress and the summary."""
        self.query_one("#import-form").display = not locked
        self.query_one("#import-what").display = locked
        self.query_one("#import-start").display = not locked
        if locked:
            self.query_one("#import-cancel", Button).focus()

    def _progressed(self, progress: ImportProgress) -> None:
        """From the import's thread: post, never touch a widget."""
        self.post_message(ImportProgressed(progress))

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def _import(self, run: ImportRun) -> None:
        try:
            summary = run.run()
        except DomainError as exc:
            self.post_message(ImportFinished(None, exc))
        except Exception as exc:  # a bug or a lost database: said, never a frozen dialog
            self.post_message(ImportFinished(None, DomainError(f"The import failed: {exc}")))
        else:
            self.post_message(ImportFinished(summary))

    # -- progress and the end --------------------------------------------------------------------

    def on_import_progressed(self, message: ImportProgressed) -> None:
        p = message.progress
        bar = self.query_one("#import-progress", ProgressBar)
        if p.phase == "checking" or p.pages == 0:
            bar.update(total=None, progress=0)
        else:
            bar.update(total=p.pages_total, progress=p.pages)
        self.query_one("#import-status", Static).update(p.line())

    def on_import_finished(self, message: ImportFinished) -> None:
        self.running = False
        self.asking = False
        self.refresh_bindings()
        bar = self.query_one("#import-progress", ProgressBar)
        if message.summary is None:
            # Refused before anything ran: the form comes back with the reason.
            bar.display = False
            self.query_one("#import-status", Static).update("")
            self._lock_form(False)
            self._refused(message.refused or DomainError("The import did not start."))
            return
        self.finished = True
        self.summary = message.summary
        if bar.total is None:
            bar.update(total=1, progress=1)  # no animation once it is over
        self._say("")
        self.query_one("#import-status", Static).update("\n".join(message.summary.lines()))
        self.query_one("#import-cancel").display = False
        close = self.query_one("#import-close", Button)
        close.display = True
        close.focus()

    def _refused(self, exc: Exception) -> None:
        """Say why (the message alone), and put the cursor in the field to correct."""
        self._say(str(exc.args[0]) if exc.args else str(exc))
        fields = getattr(exc, "fields", {})
        target = next((FIELD_INPUTS[f] for f in fields if f in FIELD_INPUTS), None)
        if target is None:
            target = {"all": "#import-start", "range": "#import-from", "ids": "#import-ids"}[
                self.mode
            ]
        self.call_after_refresh(self.query_one(target).focus)

    # -- closing and stopping -----------------------------------------------------------------

    def action_close(self) -> None:
        if self.asking:
            self.action_stop_no()
        elif self.running:
            self.asking = True
            self.refresh_bindings()
            yes, no = (keymap.bound_key(self.app, f"confirm.{answer}") for answer in ("yes", "no"))
            self._say(
                "Stop the import? Orders already imported stay; the page in flight is "
                f"dropped. {yes} stops · {no} goes on"
            )
        else:
            self.dismiss(self.summary)

    def action_stop_yes(self) -> None:
        if self.asking and self.running and self.run is not None:
            self.asking = False
            self.refresh_bindings()
            self._say("")
            self.query_one("#import-status", Static).update("Stopping…")
            self.run.stop()

    def action_stop_no(self) -> None:
        if self.asking:
            self.asking = False
            self.refresh_bindings()
            self._say("")

    def action_yes(self) -> None:
        self.action_stop_yes()

    def action_answer_no(self) -> None:
        self.action_stop_no()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("yes", "answer_no", "stop_yes", "stop_no"):
            return self.asking  # y and n are letters while the form is being typed
        return True

    def on_unmount(self) -> None:
        if self.running and self.run is not None:
            self.run.stop()  # the app is closing: stop at once, keep what came
