"""The order list screen: tabs, filter line, the virtual table, marks and bulk actions.

It owns the list's state (tab, filter, sort, per-order view) for the session, and the workers
that read counts, watch the database for other writers and run bulk actions; every read goes
through the ListReader in a thread worker, which posts a message back to this screen.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from podtui import keymap
from podtui.clock import clock_of
from podtui.domain.errors import DomainError
from podtui.domain.status import ItemStatus
from podtui.domain.wording import count
from podtui.screens.store_bulk import StoreBulkFlow
from podtui.services.listing.filters import (
    SORT_DESCENDING,
    SORT_KEYS,
    SORT_LABELS,
    ListFilter,
    SortKey,
    parse_filter,
)
from podtui.services.listing.query import (
    RANKED_SORTS,
    TAB_BY_ID,
    TABS,
    ListQuery,
    ListRow,
    MarkSet,
    Resolved,
    resolve,
)
from podtui.services.listing.reader import ChangeWatcher, ListReader, TabCounts
from podtui.widgets.bulk_progress import BulkProgress
from podtui.widgets.key_footer import KeyFooter
from podtui.widgets.list_header import ListHeader, ReasonLine
from podtui.widgets.order_table import OrderTable
from podtui.widgets.status_tabs import TAB_IDS, StatusTabs

if TYPE_CHECKING:
    from podtui.services.listing.queues import VendorQueue


COUNTS_REMEMBERED = 32


class FilterInput(Input):
    """The `/` filter line; esc puts back the filter it started from."""

    BINDINGS: ClassVar[list[BindingType]] = [("escape", "cancel", "Cancel")]

    class Cancelled(Message):
        pass

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


class CountsRead(Message):
    """Counts of a filter arrived: per tab, and orders when one row per order."""

    def __init__(self, base: Resolved, counts: TabCounts, orders: int | None) -> None:
        super().__init__()
        self.base = base
        self.counts = counts  # with, per tab, the items past their store's promised turnaround
        self.orders = orders


class MarksCounted(Message):
    def __init__(self, serial: int, count: int, hidden: int = 0) -> None:
        super().__init__()
        self.serial = serial
        self.count = count
        self.hidden = hidden  # marked, but not shown by the current filter and tab


class DatabaseChanged(Message):
    """Another connection committed: the list reads its window and counts again."""


class ReasonRead(Message):
    def __init__(self, item_id: int, reason: str | None) -> None:
        super().__init__()
        self.item_id = item_id
        self.reason = reason


class OrdersScreen(StoreBulkFlow):
    """The screen operators live in: every order item, filtered, marked and acted on."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("orders")
    AUTO_FOCUS = "#orders-table"
    # The filter line floats over the table's last rows instead of pushing the table down:
    # opening and closing it then never resizes the table (a resize re-read and re-laid out
    # every row, 60-170 ms on `/` and on enter).
    DEFAULT_CSS = """
    OrdersScreen { layers: default filter; }
    OrdersScreen #filter-bar {
        layer: filter; dock: bottom; margin-bottom: 2; background: $surface;
    }
    """
    KEY_SCOPES = ("orders", "table")  # what `?` and the command palette list for this screen

    def __init__(
        self,
        reader: ListReader,
        *,
        now: Callable[[], datetime],
        query: ListQuery | None = None,
        watch_interval: float = 1.0,
    ) -> None:
        super().__init__(id="orders")
        self.reader = reader
        self.now = now
        self.list_query = query or ListQuery()
        self.resolved: Resolved | None = None
        self.counts: TabCounts | None = None
        self.order_total: int | None = None
        self._counts_base: Resolved | None = None
        # Tab counts per filter, kept until the database changes (flipping between views
        # shows them at once instead of counting a million rows again).
        self._counts_memo: OrderedDict[Resolved, TabCounts] = OrderedDict()
        self._memo_serial = 0  # moves when the database changes
        self._counted_serial: dict[Resolved, int] = {}  # when each count was asked for
        self.marked_count = 0
        self.hidden_marks = 0
        self._marks_serial = 0
        self._mark_base_total: int | None = None
        self._filter_before_edit: ListFilter | None = None
        self._filter_timer: Timer | None = None
        self.watch_interval = watch_interval
        self._stop_watching = threading.Event()
        self._watcher: ChangeWatcher | None = None
        self._watch_lock = threading.Lock()  # one look at a time on the watcher's connection
        self._reason_item: int | None = None  # the item whose reason is read (or being read)
        self._reason_read: int | None = None  # the item whose reason _reason_text holds
        self._reason_text = ""
        self._after_reason: list[Callable[[], None]] = []  # `w` pressed before it was read
        self._recount = False
        self._count_after_rows: tuple[Resolved, ListQuery] | None = None
        self.last_error = ""

    # -- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ListHeader(id="list-header")
        yield StatusTabs(id="status-tabs")
        with Vertical(id="filter-bar"):
            yield FilterInput(
                placeholder="status:ready vendor:printify created:7d mug", id="filter-input"
            )
            yield Static(id="filter-error")
        yield Static(id="list-empty")  # why the list is empty, and what to press
        yield OrderTable(id="orders-table", now=self.now)
        yield ReasonLine(id="reason-panel")
        yield BulkProgress(id="bulk-progress")
        yield KeyFooter()

    @property
    def table(self) -> OrderTable:
        return self.query_one(OrderTable)

    @property
    def tabs(self) -> StatusTabs:
        return self.query_one(StatusTabs)

    def on_mount(self) -> None:
        self.query_one("#filter-bar").display = False
        self.table.source = self.reader.window
        self.tabs.activate(self.list_query.tab, repaint=False)
        self.apply_query(self.list_query)
        self._watcher = ChangeWatcher(self.reader)
        self._look_for_changes()  # the first look only notes where the database stands
        clock_of(self).every(self, self.watch_interval, self._look_for_changes, name="watch")

    # -- the query ----------------------------------------------------------------------------

    def _resolve(self, query: ListQuery) -> Resolved:
        return resolve(query, self.reader.cached_lookups(), self.now())

    def apply_query(self, query: ListQuery) -> bool:
        """Show `query`; returns False (and says why) when its names match nothing."""
        try:
            resolved = self._resolve(query)
        except DomainError as exc:
            self.notify(str(exc), title="Filter", severity="warning")
            return False
        previous_base = self._counts_base
        self.list_query = query
        self.resolved = resolved
        base = self._base_of(query)
        if base != previous_base:
            self._counts_base = base
            self.order_total = None
            remembered = self._counts_memo.get(base)
            if remembered is not None and not query.per_order:
                # Counted before and the database has not changed since: no count to wait for.
                self.counts = remembered
                self._count_after_rows = None
            else:
                # The tabs keep the old counts until the new ones arrive: no flicker.
                self.counts = None
                self._count_after_rows = (base, query)
        elif query.per_order and self.order_total is None:
            self._count_after_rows = (base, query)
        self.table.load(resolved, self._total_for_current())
        if not self.table.marks.is_empty:
            self._count_marks()  # marks the new filter hides are said in the header
        # The header and tabs change with the rows, in the same frame (see _cursor_moved):
        # painting them now would spend the frame the new rows are about to need.
        return True

    def _base_of(self, query: ListQuery) -> Resolved:
        """What the tab counts depend on: the filter seen without tab and sort."""
        without_tab = replace(query, tab="all")
        return replace(self._resolve(without_tab).without_sort(), per_order=query.per_order)

    @property
    def late_count(self) -> int:
        """Late items the header names: those of the filter and the tab shown, from the counts."""
        if self.counts is None:
            return 0
        tab = "all" if self.resolved is not None and self.resolved.tab_note else self.list_query.tab
        return self.counts.late.get(tab, 0)

    def _total_for_current(self) -> int | None:
        tab = self.list_query.tab
        if self.resolved is not None and self.resolved.tab_note:
            tab = "all"  # the filter is not narrowed by the tab: its own count is the total
        if self.list_query.per_order:
            return self.order_total if tab == "all" else None
        return None if self.counts is None else self.counts.items.get(tab)

    def _count(self, base: Resolved, query: ListQuery) -> None:
        self._counted_serial[base] = self._memo_serial
        self._count_worker(base, query)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def _count_worker(self, base: Resolved, query: ListQuery) -> None:
        counts = self.reader.tab_counts(base, self.now())
        orders = None
        if query.per_order and self.resolved is not None:
            orders = self.reader.count(self.resolved)
        if not get_current_worker().is_cancelled:
            self.post_message(CountsRead(base, counts, orders))

    def on_counts_read(self, message: CountsRead) -> None:
        if self._recount:
            self.call_later(self._recount_now)
        self._remember_counts(message.base, message.counts)
        if message.base != self._counts_base:
            return
        self.counts = message.counts
        self.tabs.set_counts(message.counts.items)
        if message.orders is not None:
            self.order_total = message.orders
        total = message.orders if self.list_query.per_order else self._total_for_current()
        if total is not None:
            self.table.set_total(total)
        self.update_header()

    def _remember_counts(self, base: Resolved, counts: TabCounts) -> None:
        if self._memo_serial != self._counted_serial.pop(base, self._memo_serial):
            return  # counted before the database changed: do not keep it
        self._counts_memo[base] = counts
        self._counts_memo.move_to_end(base)
        while len(self._counts_memo) > COUNTS_REMEMBERED:
            self._counts_memo.popitem(last=False)

    def _forget_counts(self) -> None:
        """The database changed: every remembered count may be stale."""
        self._counts_memo.clear()
        self._memo_serial += 1

    def update_header(self) -> None:
        query = self.list_query
        if self.counts is not None:
            self.tabs.set_counts(self.counts.items)  # remembered counts show with the new rows
        self.tabs.activate(query.tab, repaint=False)
        self.tabs.sync()
        tab = TAB_BY_ID.get(query.tab, TABS[0])
        noun = "order" if query.per_order else "item"
        total = self.table.total if self.table.total is not None else self._total_for_current()
        why = self.resolved.tab_note if self.resolved is not None else ""
        label = "Every status" if why else tab.label
        parts = [label, count(total, noun) if total is not None else f"counting {noun}s…"]
        late = self.late_count
        if late:
            parts.append(f"{late:,} late" + (" items" if query.per_order else ""))
        if self.marked_count:
            marked = f"{self.marked_count:,} marked"
            if self.hidden_marks:
                marked += f" ({self.hidden_marks:,} hidden by the filter)"
            parts.append(marked)
        text = query.filter.text()
        if text:
            parts.append(text)
        if why:
            parts.append(f"({why})")
        header = " · ".join(parts)
        if self.bulk_running:
            header += "  [working…]"
        self.query_one(ListHeader).show(header)
        self._show_empty(total, label)

    def _show_empty(self, total: int | None, tab_label: str) -> None:
        """An empty list says why: no store yet, no order yet, or a filter that matches nothing."""
        hint = self.query_one("#list-empty", Static)
        if total != 0:
            hint.display = False
            return
        filtered = not self.list_query.filter.is_empty or self.list_query.tab != "all"
        stores = sorted(self.reader.cached_lookups().stores.values())

        def key(action_id: str) -> str:  # as bound now: the config may rebind any of them
            return keymap.bound_key(self.app, action_id)

        if not stores:
            text = (
                f"No orders yet: podtui has no store. Press {key('app.connections')}, then "
                f"{key('connections.add')}, to connect a Shopify or WooCommerce store (or run "
                f"`podtui connect shopify --help`); then {key('app.sync')} shows its sync. "
                "docs/first-day.md walks the whole first day."
            )
        elif filtered:
            typed = self.list_query.filter.text()
            where = f"{typed!r} on {tab_label}" if typed else tab_label
            text = (
                f"Nothing matches {where}. {key('orders.back')} clears the filter; "
                f"{key('orders.prev_tab')} and {key('orders.next_tab')} change the tab; "
                f"{key('orders.filter')} types another filter."
            )
        else:
            text = (
                f"No orders yet from {', '.join(stores)}. {key('app.sync')} shows each "
                f"store's sync, and {key('sync.now')} there syncs now."
            )
        hint.update(Text(text))  # plain text: "[ and ]" is not markup
        hint.display = True

    # -- watching the database ----------------------------------------------------------------

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _look_for_changes(self) -> None:
        """Has another writer committed since the last look? Then read everything again."""
        watcher = self._watcher
        if watcher is None or self._stop_watching.is_set():
            return
        try:
            with self._watch_lock:
                changed = watcher.changed()
            if changed:
                self.reader.lookups(fresh=True)
                self.post_message(DatabaseChanged())
        except Exception:  # the file is busy or being migrated: look again next tick
            pass

    def on_unmount(self) -> None:
        self._stop_watching.set()
        self._stop_bulk.set()
        if self._watcher is not None:
            self._watcher.close()

    def on_database_changed(self, _message: DatabaseChanged) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        """Read the window, the counts and the marks again, keeping cursor and marks."""
        self._forget_counts()
        # A vendor or store named by the filter may have vanished: keep showing what we had.
        with contextlib.suppress(DomainError):
            self.resolved = self._resolve(self.list_query)
        if self.resolved is not None:
            self.table.resolved = self.resolved
        self.table.reload()
        # A database that changes every second (a render worker, a sync) must not queue a
        # count behind a count: while one is running, the next change recounts instead.
        if self._busy("counts"):
            self._recount = True  # after the running count lands
        else:
            self._recount_now()
        if not self._busy("marks"):
            self._count_marks()
        row = self.table.current_row
        if row is not None and row.item_id == self._reason_item:
            self._read_reason(row.item_id)

    def _recount_now(self) -> None:
        self._recount = False
        base = self._base_of(self.list_query)
        self._counts_base = base
        self._count(base, self.list_query)

    def _busy(self, group: str) -> bool:
        return any(w.group == group and not w.is_finished for w in self.workers)

    # -- table events -------------------------------------------------------------------------

    @on(OrderTable.CursorMoved)
    def _cursor_moved(self, message: OrderTable.CursorMoved) -> None:
        row = message.row
        if self._count_after_rows is not None:
            # Count once the new rows are painted: a count scanning an index at the same
            # time would compete with the query and the frame the rows need.
            base, query = self._count_after_rows
            self._count_after_rows = None
            self.call_after_refresh(self._count, base, query)
        self.update_header()
        self._refresh_keys()
        if (
            row is not None
            and row.item_id is not None
            and row.status in (ItemStatus.FAILED, ItemStatus.ON_HOLD)
        ):
            if row.item_id != self._reason_item:
                self._reason_item = row.item_id
                self._read_reason(row.item_id)
        else:
            self._reason_item = self._reason_read = None
            self._reason_text = ""
            self.query_one(ReasonLine).show_reason("", "")

    @work(thread=True, exclusive=True, group="reason", exit_on_error=False)
    def _read_reason(self, item_id: int) -> None:
        self.post_message(ReasonRead(item_id, self.reader.item_reason(item_id)))

    def on_reason_read(self, message: ReasonRead) -> None:
        line = self.query_one(ReasonLine)
        if message.item_id != self._reason_item:
            line.show_reason("", "")
            return
        self._reason_read, self._reason_text = message.item_id, message.reason or ""
        waiting, self._after_reason = self._after_reason, []
        for action in waiting:
            self.call_later(action)
        if not message.reason:
            line.show_reason("", "")
            return
        row = self.table.current_row
        failed = row is not None and row.status is ItemStatus.FAILED
        line.show_reason("failed" if failed else "held", message.reason)

    @on(OrderTable.WindowFailed)
    def _window_failed(self, message: OrderTable.WindowFailed) -> None:
        self.last_error = message.error
        # Asked before the database was opened and migrated: it may simply not exist yet, and
        # the list reads again once it does.
        ready_at = getattr(self.app, "database_ready_at", 0.0)
        if ready_at is not None and message.asked_at >= ready_at:
            self.notify(f"Could not read the list: {message.error}", severity="error")

    @on(OrderTable.MarksChanged)
    def _marks_changed(self, message: OrderTable.MarksChanged) -> None:
        marks = self.table.marks
        if message.all_marked:
            self._mark_base_total = self.table.total
        self.marked_count = marks.count_hint(self._mark_base_total)
        self.update_header()
        self._refresh_keys()
        if marks.base is not None:
            self._count_marks()

    def _count_marks(self) -> None:
        marks = self.table.marks
        self._marks_serial += 1
        if marks.is_empty:
            self.marked_count = 0
            self.hidden_marks = 0
            self.update_header()
            return
        self._count_marks_worker(self._marks_serial, marks.copy(), self.resolved)

    @work(thread=True, exclusive=True, group="marks", exit_on_error=False)
    def _count_marks_worker(self, serial: int, marks: MarkSet, shown: Resolved | None) -> None:
        count = self.reader.count_marks(marks)
        hidden = self.reader.count_marks_hidden(marks, shown) if shown is not None else 0
        self.post_message(MarksCounted(serial, count, hidden))

    def on_marks_counted(self, message: MarksCounted) -> None:
        if message.serial == self._marks_serial:
            self.marked_count = message.count
            self.hidden_marks = message.hidden
            self.update_header()

    # -- filter line --------------------------------------------------------------------------

    def action_filter_line(self) -> None:
        bar = self.query_one("#filter-bar")
        field = self.query_one("#filter-input", FilterInput)
        self._filter_before_edit = self.list_query.filter
        text = self.list_query.filter.text()
        field.value = text + (" " if text else "")
        self.query_one("#filter-error", Static).update("")
        bar.display = True
        field.focus()
        field.cursor_position = len(field.value)

    def _close_filter_line(self) -> None:
        self._filter_before_edit = None
        self.set_focus(self.table)
        self.query_one("#filter-bar").display = False

    @on(Input.Changed, "#filter-input")
    def _filter_typed(self, _message: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.15, self._filter_live)

    def _parse_line(self) -> ListFilter | None:
        text = self.query_one("#filter-input", FilterInput).value
        error = self.query_one("#filter-error", Static)
        try:
            parsed = parse_filter(text, base=self.list_query.filter)
            self._resolve(replace(self.list_query, filter=parsed))
        except DomainError as exc:
            error.update(_escape(str(exc)))
            return None
        error.update("")
        return parsed

    def _filter_live(self) -> None:
        if self._filter_before_edit is None:
            return
        parsed = self._parse_line()
        if parsed is not None and parsed != self.list_query.filter:
            self.apply_query(replace(self.list_query, filter=parsed))

    @on(Input.Submitted, "#filter-input")
    def _filter_submitted(self, _message: Input.Submitted) -> None:
        parsed = self._parse_line()
        if parsed is None:
            return
        if parsed != self.list_query.filter:
            self.apply_query(replace(self.list_query, filter=parsed))
        self._close_filter_line()

    @on(FilterInput.Cancelled)
    def _filter_cancelled(self, _message: FilterInput.Cancelled) -> None:
        before = self._filter_before_edit
        if before is not None and before != self.list_query.filter:
            self.apply_query(replace(self.list_query, filter=before))
        self._close_filter_line()

    def set_filter(self, new: ListFilter) -> None:
        self.apply_query(replace(self.list_query, filter=new))

    # -- list actions -------------------------------------------------------------------------

    def action_back(self) -> None:
        if not self.list_query.filter.is_empty:
            keep_sort = ListFilter().with_sort(
                self.list_query.filter.sort, self.list_query.filter.descending
            )
            self.set_filter(keep_sort)
        elif not self.table.marks.is_empty:
            self.table.clear_marks()
        elif any(isinstance(s, OrdersScreen) for s in self.app.screen_stack[:-1]):
            self.dismiss()  # a list opened over another list; the first one is never left

    @on(StatusTabs.Changed)
    def _tab_changed(self, message: StatusTabs.Changed) -> None:
        if message.tab_id != self.list_query.tab:
            self.apply_query(replace(self.list_query, tab=message.tab_id))

    def action_next_tab(self) -> None:
        self._step_tab(1)

    def action_prev_tab(self) -> None:
        self._step_tab(-1)

    def _step_tab(self, step: int) -> None:
        # From the list's own query, not the tab bar's: a key pressed while the app starts
        # could move the bar and leave the list behind (the bar read "Missing art" over All).
        index = TAB_IDS.index(self.list_query.tab) if self.list_query.tab in TAB_IDS else 0
        tab = TAB_IDS[(index + step) % len(TAB_IDS)]
        if self.apply_query(replace(self.list_query, tab=tab)):
            self.tabs.activate(tab, repaint=False)  # painted with the new rows

    def action_per_order(self) -> None:
        self.apply_query(replace(self.list_query, per_order=not self.list_query.per_order))
        self.notify("One row per order" if self.list_query.per_order else "One row per item")

    def sort_keys(self) -> list[SortKey]:
        """The sorts this view offers (one row per order has no status, vendor or due sort)."""
        return [k for k in SORT_KEYS if not (self.list_query.per_order and k in RANKED_SORTS)]

    def sort_by(self, key: SortKey) -> None:
        """Sort by `key`, in the direction it starts in (newest, biggest first; A to Z)."""
        self.set_filter(self.list_query.filter.with_sort(key, SORT_DESCENDING[key]))
        self.notify(f"Sorted by {SORT_LABELS[key]}")

    def action_next_sort(self) -> None:
        f = self.list_query.filter
        keys = self.sort_keys()
        self.sort_by(keys[(keys.index(f.sort) + 1) % len(keys)] if f.sort in keys else keys[0])

    def action_sort_direction(self) -> None:
        f = self.list_query.filter
        self.set_filter(f.with_sort(f.sort, not f.descending))

    def action_vendor_queues(self) -> None:
        from podtui.screens.vendor_queues import VendorQueueModal

        def picked(queue: VendorQueue | None) -> None:
            if queue is not None:
                self.show_vendor_queue(queue.name)

        self.app.push_screen(VendorQueueModal(self.reader, now=self.now), picked)

    def show_vendor_queue(self, vendor: str) -> None:
        """The Ready tab of one vendor, cursor on top: `*` then marks the whole queue."""
        f = self.list_query.filter
        queue = ListFilter(vendors=(vendor,)).with_sort(f.sort, f.descending)
        self.apply_query(replace(self.list_query, tab="ready", filter=queue))

    def action_open_order(self) -> None:
        row = self.table.current_row
        if row is None:
            self.table.when_rows(self.action_open_order)  # opens the row the read brings
            return
        open_order = getattr(self.app, "open_order", None)
        if open_order is not None:
            open_order(row.order_id, row.item_id, row.order_name)

    def jump_to_order(self, name: str) -> None:
        """Show one order (the command palette's jump when no detail screen exists)."""
        self.set_filter(ListFilter(order=name))
        if self.list_query.tab != "all":
            self.apply_query(replace(self.list_query, tab="all"))

    def action_show_reason(self) -> None:
        row = self.table.current_row
        if row is None and self.table.when_rows(self.action_show_reason):
            return  # the rows are on their way: shown once they, and the reason, are read
        if (
            row is not None
            and row.item_id is not None
            and row.status in (ItemStatus.FAILED, ItemStatus.ON_HOLD)
            and self._reason_read != row.item_id
        ):
            if self._reason_item != row.item_id:
                self._reason_item = row.item_id
                self._read_reason(row.item_id)
            self._after_reason.append(self.action_show_reason)
            return
        if (
            row is None
            or row.item_id is None
            or self._reason_read != row.item_id
            or not self._reason_text
        ):
            self.notify("The row under the cursor has no failure or hold reason.")
            return
        from podtui.screens.text_modal import TextModal

        text = self._reason_text
        self.app.push_screen(TextModal(f"{row.order_name} · item {row.item_id}", text))

    def action_filter_panel(self) -> None:
        from podtui.screens.filter_panel import FilterPanelModal

        def done(result: ListFilter | None) -> None:
            if result is not None:
                self.set_filter(result)

        self.app.push_screen(
            FilterPanelModal(self.list_query.filter, self.reader, now=self.now), done
        )

    def action_views(self) -> None:
        from podtui.screens.views import ViewPickerModal

        views: dict[str, str] = dict(getattr(self.app, "config_", None).views)  # type: ignore[union-attr]

        def chosen(text: str | None) -> None:
            if text is None:
                return
            try:
                self.set_filter(parse_filter(text))
            except DomainError as exc:
                self.notify(f"That view no longer reads: {exc}", severity="error")

        self.app.push_screen(ViewPickerModal(views), chosen)

    def action_save_view(self) -> None:
        from podtui.screens.views import SaveViewDialog

        text = self.list_query.filter.text()
        if not text:
            self.notify("There is no filter to save: type one with / first.")
            return

        def save(name: str | None) -> None:
            if name:
                saver = getattr(self.app, "save_view", None)
                if saver is not None:
                    saver(name, text)

        self.app.push_screen(SaveViewDialog(text), save)

    # -- helpers for tests and benches --------------------------------------------------------

    @property
    def visible_rows(self) -> list[ListRow]:
        table = self.table
        rows = []
        for index in range(table.top, table.top + table.size.height - 1):
            row = table.row_at(index)
            if row is not None:
                rows.append(row)
        return rows


def _escape(text: str) -> str:
    return text.replace("[", r"\[")
