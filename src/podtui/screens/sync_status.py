"""The sync screen: per store the last sync, the next one and a warning when syncs keep failing;
below, the sync problems (store payloads that could not be read, tracking that could not be
pushed), each with its raw text to read and copy.

It reads through thread workers and posts what it read back; it never queries on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, TextArea

from podtui import keymap
from podtui.domain.models import utcnow
from podtui.domain.wording import count
from podtui.screens.import_dialog import ImportDialog
from podtui.services.connections.reach import REAL, Reach
from podtui.services.sync.import_orders import (
    ImportProgress,
    ImportRequest,
    ImportRun,
    ImportSummary,
)
from podtui.services.sync.status import (
    ProblemRow,
    StoreSyncState,
    ago,
    dismiss_problem,
    open_problems,
    store_states,
    until,
)
from podtui.widgets.key_footer import KeyFooter
from podtui.widgets.table_fill import refill

if TYPE_CHECKING:
    from podtui.db import Database


class SyncStatusScreen(Screen[None]):
    """Stores' sync state and the sync problems; esc goes back."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("sync")
    KEY_SCOPES = ("sync",)
    DEFAULT_CSS = """
    SyncStatusScreen #sync-title, SyncStatusScreen #problems-title { height: 1; padding: 0 1;
        text-style: bold; }
    SyncStatusScreen #sync-stores { height: auto; max-height: 12; }
    SyncStatusScreen #sync-problems { height: 1fr; }
    SyncStatusScreen #problem-raw { height: 1fr; }
    """

    class Loaded(Message):
        """The stores' state and the problems were read."""

        def __init__(self, states: list[StoreSyncState], problems: list[ProblemRow]) -> None:
            super().__init__()
            self.states = states
            self.problems = problems

    def __init__(
        self,
        db: Database,
        *,
        interval_minutes: float,
        next_at: Callable[[], datetime | None] = lambda: None,
        sync_now: Callable[[], None] | None = None,
        now: Callable[[], datetime] = utcnow,
        reach: Reach = REAL,
    ) -> None:
        super().__init__(id="sync-screen")
        self.db = db
        self.interval_minutes = interval_minutes
        self.next_at = next_at
        self.sync_now = sync_now
        self.now = now
        self.reach = reach  # where the import reaches the stores (the demo hands its sandboxes)
        self.states: list[StoreSyncState] = []
        self.problems: list[ProblemRow] = []

    def compose(self) -> ComposeResult:
        yield Static("Stores", id="sync-title")
        stores: DataTable[str] = DataTable(id="sync-stores", cursor_type="row")
        stores.add_columns("Store", "Kind", "Last sync", "Next", "State")
        yield stores
        yield Static("Sync problems", id="problems-title")
        problems: DataTable[str] = DataTable(id="sync-problems", cursor_type="row")
        problems.add_columns("Store", "Order", "Reason", "Seen")
        yield problems
        yield TextArea("", id="problem-raw", read_only=True, soft_wrap=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#sync-problems", DataTable).focus()

    # -- reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self._read()

    @work(thread=True, exclusive=True, group="sync-status")
    def _read(self) -> None:
        states = store_states(
            self.db,
            interval_minutes=self.interval_minutes,
            now=self.now(),
            next_at=self.next_at(),
        )
        self.post_message(self.Loaded(states, open_problems(self.db)))

    def on_sync_status_screen_loaded(self, message: Loaded) -> None:
        self.states, self.problems = message.states, message.problems
        now = self.now()
        stores = self.query_one("#sync-stores", DataTable)
        store_rows = []
        for s in self.states:
            if s.failing:
                state = f"⚠ {s.failures} syncs failed in a row: {s.error or ''}"
            elif s.failures:
                state = f"last sync failed: {s.error or ''}"
            elif s.last_ok_at is None:
                state = "not synced yet"
            else:
                state = "ok"
            if s.open_problems:
                state += f" · {count(s.open_problems, 'problem')}"
            when = until(s.next_sync_at, now) if s.next_sync_at else "-"
            cells = (s.name, s.kind, ago(s.last_sync_at, now), when, state)
            store_rows.append((str(s.store_id), cells))
        refill(stores, store_rows)
        refill(
            self.query_one("#sync-problems", DataTable),
            (
                (str(p.id), (p.store, p.store_order_id or "?", p.reason, ago(p.created_at, now)))
                for p in self.problems
            ),
        )
        title = f"Sync problems ({len(self.problems)})" if self.problems else "No sync problems"
        self.query_one("#problems-title", Static).update(title)
        self._show_raw()
        self.refresh_bindings()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "sync-problems":
            self._show_raw()
        elif 0 <= event.cursor_row < len(self.states):
            # A store's row: its whole state (the table cuts a long error short).
            state = self.states[event.cursor_row]
            self.query_one("#problem-raw", TextArea).load_text(state.line(self.now()))

    def _selected(self) -> ProblemRow | None:
        table = self.query_one("#sync-problems", DataTable)
        if not self.problems or table.cursor_row < 0 or table.cursor_row >= len(self.problems):
            return None
        return self.problems[table.cursor_row]

    def _show_raw(self) -> None:
        problem = self._selected()
        text = "" if problem is None else f"{problem.reason}\n\n{problem.raw}"
        self.query_one("#problem-raw", TextArea).load_text(text)

    # -- actions -------------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh_sync(self) -> None:
        self.reload()

    def action_sync_now(self) -> None:
        if self.sync_now is None:
            self.notify("Background sync is off; run `podtui sync` instead.", severity="warning")
            return
        self.sync_now()
        self.notify("Syncing every store now…")

    def action_import_orders(self) -> None:
        if not self.states:
            self.notify(
                "No stores yet: add one on the Connections screen (C), then import.",
                severity="warning",
            )
            return

        def start(request: ImportRequest, progress: Callable[[ImportProgress], None]) -> ImportRun:
            return ImportRun(self.db, request, reach=self.reach, on_progress=progress)

        names = [s.name for s in self.states]
        self.app.push_screen(ImportDialog(names, start, self.now), self._imported)

    def _imported(self, summary: ImportSummary | None) -> None:
        if summary is not None:
            self.notify(summary.headline())
            self.reload()

    def action_copy_problem(self) -> None:
        problem = self._selected()
        if problem is None:
            self.notify("No sync problem selected.")
            return
        self.app.copy_to_clipboard(f"{problem.reason}\n\n{problem.raw}")
        self.notify(f"Copied the payload of order {problem.store_order_id or '?'} to the clipboard")

    def action_dismiss_problem(self) -> None:
        problem = self._selected()
        if problem is None:
            self.notify("No sync problem selected.")
            return
        self._dismiss(problem.id)

    @work(thread=True, group="sync-status-write")
    def _dismiss(self, problem_id: int) -> None:
        try:
            dismiss_problem(self.db, problem_id)
        except Exception as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.reload)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("copy_problem", "dismiss_problem") and not self.problems:
            return None  # shown, but disabled: nothing to act on
        return True
