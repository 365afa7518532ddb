"""The Textual application: pushes the order list at once, opens the database in the background.

Start-up paints the list from a plain read connection while the ORM, Alembic and the migration
check load in a worker, so the first rows show about as fast as an empty Textual app would.
Writers (bulk actions) wait for that worker through `database()`.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App
from textual.binding import BindingType

from podtui import keymap
from podtui.clock import SYSTEM_CLOCK, AppClock
from podtui.config import Config
from podtui.screens.commands import ActionCommands, OrderCommands
from podtui.screens.messages import Notice, NoticeLog
from podtui.screens.orders import OrdersScreen
from podtui.services.connections.reach import REAL
from podtui.services.listing.reader import ListReader
from podtui.widgets.order_table import OrderTable

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from podtui.db import Database
    from podtui.services.connections.reach import Reach


class PodTUI(App[None]):
    """podtui's app object: `PodTUI(db, config)` or `PodTUI(config=cfg, url=url)`."""

    TITLE = "podtui"
    CSS_PATH = str(Path(__file__).with_name("podtui.tcss"))  # absolute: subclasses live elsewhere
    # Under 32 rows or 100 columns (80x24 among them) dialogs and the details lay out compactly.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("app")
    COMMANDS = App.COMMANDS | {ActionCommands, OrderCommands}

    def __init__(
        self,
        db: Database | None = None,
        config: Config | None = None,
        *,
        url: str | None = None,
        clock: AppClock | None = None,
        watch_interval: float = 1.0,
        reach: Reach | None = None,
        freeze_heap: bool = False,
    ) -> None:
        super().__init__()
        # `podtui run` and `podtui demo` own their process and set this: see _settle_heap.
        # Tests leave it off: a test process runs hundreds of apps, and frozen objects are
        # never freed.
        self.freeze_heap = freeze_heap
        self._heap_settled = False
        if db is None and url is None:
            raise ValueError("PodTUI needs an open Database or a database URL")
        self.config_ = config or Config()
        self.url: str = db.url if db is not None else url  # type: ignore[assignment]
        self._db = db
        self._db_error: str | None = None
        self._db_ready = threading.Event()
        self._opening = False
        self._db_ready_at: float | None = time.monotonic() if db is not None else None
        if db is not None:
            self._db_ready.set()
        engine = db.engine if db is not None and not db.is_sqlite else None
        self.reader = ListReader(self.url, engine=engine)
        self.reader.turnaround_days = dict(self.config_.turnaround_days)  # rows flag lateness
        # The time and every timer that starts background work: tests hand in a ManualClock.
        self.clock: AppClock = clock or SYSTEM_CLOCK
        self.now: Callable[[], datetime] = self.clock.now
        self.notices = NoticeLog()  # what was notified, after the toasts go: `I` shows it
        # Where stores and vendors are reached: the real APIs, or what `podtui demo` hands in.
        self.reach: Reach = reach or REAL
        self.watch_interval = watch_interval
        self.keymap_overrides: dict[str, str] = dict(self.config_.keymap)
        if self.config_.theme in self.available_themes:
            self.theme = self.config_.theme

    @property
    def database_ready(self) -> bool:
        return self._db_ready.is_set() and self._db is not None

    @property
    def database_ready_at(self) -> float | None:
        """When (time.monotonic) the database was open and migrated; None: not yet."""
        return self._db_ready_at

    def database(self, timeout: float = 120.0) -> Database:
        """The open, migrated database (blocks a worker thread until the start-up opened it)."""
        if not self._db_ready.wait(timeout) or self._db is None:
            raise RuntimeError(self._db_error or "the database is still opening")
        return self._db

    @property
    def db(self) -> Database | None:
        return self._db

    def on_mount(self) -> None:
        self.set_keymap(self.keymap_overrides)
        for problem in keymap.check_keymap(self.keymap_overrides):
            # markup=False: "[keymap]" is the config's section, not a style.
            self.notify(problem, severity="warning", timeout=10, markup=False)
        self.push_screen(
            OrdersScreen(self.reader, now=self.now, watch_interval=self.watch_interval)
        )
        self._start_submissions()
        if self._db is None:
            # Loading the ORM and Alembic takes a second of CPU; doing it while the first
            # rows paint would slow that paint. Open once they are shown (or soon anyway:
            # an empty or new database shows no rows).
            self.clock.after(self, 1.5, self._open_database_once, name="open-database")
        else:
            self.call_after_refresh(self._start_renderer)
            self.call_after_refresh(self._start_sync)
        self._start_vendor_poll()

    def on_order_table_rows_shown(self, _message: OrderTable.RowsShown) -> None:
        self.call_after_refresh(self._open_database_once)
        if self._db is not None:
            self.call_after_refresh(self._settle_heap)  # opened before: nothing else to wait for

    def _settle_heap(self) -> None:
        """Once the list shows and the database is open: freeze what is loaded out of the GC.

        Everything loaded by then (Textual, the ORM, Alembic, the first screen) lives as long
        as the app; left in the collector's way, each full collection walks it all: a 60-120
        ms stall, six of them in a 1,000-item bulk send (bench/send_frames.py), and 100-200 ms
        in the middle of a keypress on the order list.
        """
        if self.freeze_heap and not self._heap_settled:
            self._heap_settled = True
            gc.freeze()

    def on_order_table_window_failed(self, _message: OrderTable.WindowFailed) -> None:
        self._open_database_once()  # a database that is not migrated yet cannot be read

    def _open_database_once(self) -> None:
        if self._db is None and not self._opening:
            self._opening = True
            self._open_database()

    @work(thread=True, group="open-database", exit_on_error=False)
    def _open_database(self) -> None:
        from podtui.db import open_database  # the ORM and Alembic load here, after first paint
        from podtui.domain.errors import DomainError

        try:
            self._db = open_database(self.url)
        except DomainError as exc:  # a folder, a read-only file: already in plain words
            self._db_error = f"Cannot open the database: {exc}"
            self._db_ready.set()
            self.call_from_thread(self.notify, self._db_error, severity="error", timeout=30)
            return
        except Exception as exc:
            self._db_error = f"Cannot open the database: {type(exc).__name__}: {exc}"
            self._db_ready.set()
            self.call_from_thread(self.notify, self._db_error, severity="error", timeout=30)
            return
        self._db_ready_at = time.monotonic()
        self._db_ready.set()
        self.call_from_thread(self._database_opened)

    def _database_opened(self) -> None:
        self._settle_heap()
        for screen in self.screen_stack:
            if isinstance(screen, OrdersScreen):
                screen.refresh_list()
        self._start_renderer()
        self._start_sync()

    # -- sending: start-up recovery and the automatic submission countdown ---------------------

    SUBMIT_TICK_SECONDS: ClassVar[float] = 60.0

    def _start_submissions(self) -> None:
        """Reconcile sends a crash left in Sending, then send countdown items as they come due."""
        # The first one after the first paint and the list settle; then every minute.
        self.clock.after(self, 5.0, self._submission_tick, name="submissions-start")
        self.clock.every(self, self.SUBMIT_TICK_SECONDS, self._submission_tick, name="submissions")

    @work(thread=True, group="submissions", exit_on_error=False)
    def _submission_tick(self) -> None:
        from podtui.services.connections.vendors import connector
        from podtui.services.sending import countdown, recovery

        lines: list[str] = []
        connect = connector(self.reach)
        try:
            db = self.database()
            # Sends stuck in Sending for minutes belong to a process that died: reconcile them.
            report = recovery.recover(db, connect=connect)
            if report.found or report.resent or report.failed:
                lines.append(report.summary())
        except Exception as exc:  # the timer must keep running, and the countdown with it
            lines.append(f"Recovery broke: {type(exc).__name__}: {exc}")
        try:
            outcome = countdown.send_due(self.database(), now=self.now(), connect=connect)
            if outcome.done or outcome.failed:
                lines.append(
                    f"Automatic submission: {len(outcome.done)} sent, {len(outcome.failed)} failed"
                )
        except Exception as exc:  # the timer must keep running; say what broke
            lines.append(f"Automatic submission broke: {type(exc).__name__}: {exc}")
        if lines:
            self.call_from_thread(self._submissions_ran, "\n".join(lines))

    def _submissions_ran(self, text: str) -> None:
        self.notify(text, timeout=10, severity="error" if "broke" in text else "information")
        orders = self._orders_screen()
        if orders is not None:
            orders.refresh_list()

    def on_unmount(self) -> None:
        self.reader.close()
        if self.renderer is not None:
            self.renderer.stop()
        if self.sync is not None:
            self.sync.stop(timeout=0.5)

    # -- print-file renders (issue 7) ---------------------------------------------------------

    renderer: Any = None  # the BackgroundRenderer, once the database is open and renders are on

    def _start_renderer(self) -> None:
        """Render queued print files in `[render] workers` processes while the app runs."""
        from podtui.config import render_workers
        from podtui.domain.personalization import PersonalizationConfig

        try:
            processes = render_workers(self.config_)
            section = self.config_.extra.get("personalization")
            pconfig = PersonalizationConfig.from_section(section) if processes > 0 else None
        except Exception as exc:  # a bad setting: the list works, renders wait for a fix
            self.notify(f"Not rendering: {exc}", severity="error", timeout=15)
            return
        if processes <= 0 or self._db is None or self.renderer is not None:
            return
        from podtui.services.render.runner import BackgroundRenderer

        self.renderer = BackgroundRenderer(self._db, processes=processes, pconfig=pconfig)
        self.renderer.start()

    def action_render_queue(self) -> None:
        from podtui.screens.render_queue import RenderQueueScreen

        if self._db is None:
            self.notify("The database is still opening; try again in a moment.")
            return
        if not isinstance(self.screen, RenderQueueScreen):
            self.push_screen(RenderQueueScreen(self._db, renderer=self.renderer))

    # -- vendor status polling (issue 6) ------------------------------------------------------

    def _start_vendor_poll(self) -> None:
        """Ask vendors about open orders every `[sync] vendor_poll_minutes` while the app runs."""
        minutes = self.config_.vendor_poll_minutes
        if minutes > 0:
            self.clock.every(self, minutes * 60.0, self._poll_vendors, name="vendor-poll")

    @work(thread=True, exclusive=True, group="vendor-poll", exit_on_error=False)
    def _poll_vendors(self) -> None:
        if self._db is None:
            return  # still opening: the next tick asks
        from podtui.services.sending.vendor_status import poll_vendors

        try:
            report = poll_vendors(self._db, reach=self.reach)
        except Exception as exc:  # a locked database, a broken config: say so, ask next time
            self.call_from_thread(
                self.notify, f"Vendor poll failed: {exc}", severity="error", timeout=15
            )
            return
        if report.changed or report.errors:
            severity = "warning" if report.errors else "information"
            self.call_from_thread(self.notify, f"Vendors: {report.headline()}", severity=severity)
        orders = self._orders_screen()
        if report.changed and orders is not None:
            self.call_from_thread(orders.refresh_list)

    @work(thread=True, group="test-order", exit_on_error=False)
    def place_test_order(self, store: str) -> None:
        """The palette's "Place test order at <store>": place it, sync it in, say what came."""
        from podtui.services.sync.test_order import place_test_order

        try:
            placed = place_test_order(self.database(), store, reach=self.reach)
        except Exception as exc:  # the store refused, or cannot: say so plainly
            self.call_from_thread(
                self.notify, f"Test order at {store}: {exc}", severity="error", timeout=15
            )
            return
        self.call_from_thread(
            self.notify, f"Test order {placed.store_order_id} placed at {store} (TEST badge)"
        )
        orders = self._orders_screen()
        if orders is not None:
            self.call_from_thread(orders.refresh_list)

    # -- store sync (issue 5) -----------------------------------------------------------------

    sync: Any = None  # the BackgroundSync, once the database is open

    def _start_sync(self) -> None:
        """Sync every store incrementally every `[sync] interval_minutes`, off the UI thread."""
        import os

        if self._db is None or self.sync is not None:
            return
        if os.environ.get("PODTUI_BACKGROUND_SYNC", "1").strip().lower() in ("0", "no", "off"):
            return
        from podtui.services.sync.background import BackgroundSync

        def done(reports: list[Any]) -> None:
            self.call_from_thread(self._synced, reports)

        self.sync = BackgroundSync(
            self._db,
            interval_minutes=self.config_.sync_interval_minutes,
            on_done=done,
            reach=self.reach,
        )
        self.sync.start()

    def _synced(self, reports: list[Any]) -> None:
        """A background round finished: say what came in and which stores keep failing."""
        from podtui.screens.sync_status import SyncStatusScreen
        from podtui.services.sync.status import FAILING_AFTER

        new = sum(r.orders_created for r in reports)
        changed = sum(r.orders_updated for r in reports)
        if new or changed:
            self.notify(f"Synced: {new} new orders, {changed} changed at the stores")
            orders = self._orders_screen()
            if orders is not None:
                orders.refresh_list()
        # Say so once per problem: a push that keeps failing is not news every round.
        seen: set[str] = self.__dict__.setdefault("_sync_problems_told", set())
        fresh = {p for r in reports for p in r.problem_reasons} - seen
        seen |= fresh
        if fresh:
            self.notify(f"{len(fresh)} new sync problems: press y to see them", severity="warning")
        for r in reports:
            if not r.ok and r.failures_in_row == FAILING_AFTER:  # once, as it starts failing
                self.notify(
                    f"{r.store}: the last {r.failures_in_row} syncs failed ({r.error}). "
                    "Press y for details.",
                    severity="error",
                    timeout=20,
                )
        if isinstance(self.screen, SyncStatusScreen):
            self.screen.reload()

    def action_sync_status(self) -> None:
        from podtui.screens.sync_status import SyncStatusScreen

        if self._db is None:
            self.notify("The database is still opening; try again in a moment.")
            return
        if isinstance(self.screen, SyncStatusScreen):
            return
        background = self.sync
        self.push_screen(
            SyncStatusScreen(
                self._db,
                interval_minutes=self.config_.sync_interval_minutes,
                next_at=(lambda: background.next_at) if background is not None else lambda: None,
                sync_now=background.run_now if background is not None else None,
                now=self.now,
                reach=self.reach,
            )
        )

    # -- connections (issue 5) -------------------------------------------------------------------

    def action_connections(self) -> None:
        from podtui.screens.connections import ConnectionsScreen

        if self._db is None:
            self.notify("The database is still opening; try again in a moment.")
            return
        if not isinstance(self.screen, ConnectionsScreen):
            self.push_screen(ConnectionsScreen(self._db))

    def action_catalogue(self) -> None:
        from podtui.screens.catalogue import CatalogueScreen

        if self._db is None:
            self.notify("The database is still opening; try again in a moment.")
            return
        if not isinstance(self.screen, CatalogueScreen):
            self.push_screen(CatalogueScreen(self._db))

    # -- app-wide actions ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help":
            return self._help_applies()
        return True

    def _help_applies(self) -> bool | None:
        """`?` is a priority key: not over the help itself, nor where a field takes the `?`."""
        from textual.widgets import Input, TextArea

        from podtui.screens.help import HelpModal

        if isinstance(self.screen, HelpModal):
            return False  # its own ? closes it
        focused = self.focused
        # None: shown dimmed in the footer, and the key goes on to the field as a character.
        if isinstance(focused, Input) or (isinstance(focused, TextArea) and not focused.read_only):
            return None
        return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast, kept in the messages log too: a toast goes after a few seconds."""
        self.notices.add(Notice(self.now(), message, title, severity, markup))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def action_messages(self) -> None:
        from podtui.screens.messages import MessagesModal

        self.push_screen(MessagesModal(self.notices))

    def action_help(self) -> None:
        from textual.screen import ModalScreen

        from podtui.screens.help import HelpModal, dialog_keys

        screen = self.screen
        own = list(getattr(screen, "KEY_SCOPES", []))
        if isinstance(screen, ModalScreen):
            # A dialog answers to its own keys only (and the palette): list those.
            self.push_screen(HelpModal(own, self.keymap_overrides, dialog_keys(screen)))
            return
        self.push_screen(HelpModal(["app", *own], self.keymap_overrides))

    def open_order(self, order_id: int, item_id: int | None, name: str = "") -> None:
        """Open the order details, with the cursor on `item_id` when given."""
        from podtui.screens.order_detail import OrderDetailScreen

        # One details screen at a time: opening another order replaces the one shown (and
        # whatever was opened over it), so back always leads to the list.
        stack = self.screen_stack
        open_at = next((i for i, s in enumerate(stack) if isinstance(s, OrderDetailScreen)), None)
        if open_at is not None:
            for _ in range(len(stack) - open_at):
                self.pop_screen()
        self.push_screen(OrderDetailScreen(order_id, item_id=item_id))

    def show_view(self, filter_text: str) -> None:
        from podtui.domain.errors import DomainError
        from podtui.services.listing.filters import parse_filter

        orders = self._orders_screen()
        if orders is None:
            return
        try:
            orders.set_filter(parse_filter(filter_text))
        except DomainError as exc:
            self.notify(f"That view no longer reads: {exc}", severity="error")

    def save_view(self, name: str, filter_text: str) -> None:
        from podtui.domain.errors import DomainError
        from podtui.services.listing.views import save_view

        try:
            path = save_view(name, filter_text)
        except (DomainError, OSError) as exc:
            self.notify(f"Could not save the view: {exc}", severity="error")
            return
        self.config_.views[name] = filter_text
        self.notify(f"Saved view {name!r} in {path}")

    def _orders_screen(self) -> OrdersScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, OrdersScreen):
                return screen
        return None
