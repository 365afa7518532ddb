"""The order list as a virtual table: it paints only the rows on screen and fetches them lazily.

The table keeps a small contiguous cache of rows around the viewport. Moving past its edge asks
for the next window by keyset (after the last row's sort key, or before the first), jumps far
away by offset, and prefetches a page ahead so page-down paints from memory. Fetches run in
thread workers through a `WindowSource` (the services' ListReader.window) and post the rows back.

One widget in one module on purpose (over 600 lines): the row cache, the cursor and the fetch
state machine change together, and splitting them would spread one invariant over three files.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from podtui import keymap
from podtui.domain.status import ItemStatus
from podtui.services.listing.query import ListRow, MarkSet, Resolved, WindowRequest
from podtui.services.listing.reader import WindowResult
from podtui.widgets.order_columns import MARK_WIDTH, SORT_COLUMN, Column, fit, layout

WindowSource = Callable[[Resolved, WindowRequest, Resolved | None], WindowResult]
CACHE_PAGES = 8  # rows kept around the viewport, in screens


_Read = tuple["OrderTable.WindowFailed | None", "OrderTable.WindowLoaded"]


class _Handover:
    """The first read's result, handed to the waiting screen or, once it gave up, posted."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._gave_up = False
        self._result: _Read | None = None

    def give(self, failed: OrderTable.WindowFailed | None, loaded: OrderTable.WindowLoaded) -> bool:
        """From the reading thread: True when the waiter takes it (nothing to post)."""
        with self._lock:
            if self._gave_up:
                return False
            self._result = (failed, loaded)
        self._done.set()
        return True

    def take(self, timeout: float) -> _Read | None:
        """From the screen: the result if it came within `timeout`, else None (it is posted)."""
        self._done.wait(timeout)
        with self._lock:
            if self._result is None:
                self._gave_up = True
            return self._result


@dataclass(frozen=True)
class PaintRecord:
    """What the table last painted (benches read it to time key-to-paint)."""

    generation: int
    top: int
    complete: bool  # every visible row was loaded
    at: float


class OrderTable(ScrollView, can_focus=True):
    """A keyboard-driven virtual list of order items (or orders) with marks."""

    first_read_wait: ClassVar[float] = 0.1  # seconds the first read may hold the first frame

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("table")
    COMPONENT_CLASSES = {
        "order-table--header",
        "order-table--cursor",
        "order-table--marked",
        "order-table--cursor-marked",
        "order-table--placeholder",
        "order-table--failed",
        "order-table--held",
        "order-table--dim",
    }
    DEFAULT_CSS = """
    OrderTable { height: 1fr; overflow-x: hidden; overflow-y: scroll; }
    OrderTable > .order-table--header { text-style: bold; color: $text-accent; }
    OrderTable > .order-table--cursor { background: $block-cursor-blurred-background; }
    OrderTable:focus > .order-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    OrderTable > .order-table--marked { background: $accent 25%; }
    OrderTable > .order-table--cursor-marked { background: $accent 60%; }
    OrderTable > .order-table--placeholder { color: $text-disabled; }
    OrderTable > .order-table--failed { color: $text-error; }
    OrderTable > .order-table--held { color: $text-warning; }
    OrderTable > .order-table--dim { color: $text-muted; }
    """

    cursor: reactive[int] = reactive(0, always_update=False, repaint=False)

    class CursorMoved(Message):
        """The row under the cursor changed (None: nothing loaded there)."""

        def __init__(self, row: ListRow | None) -> None:
            super().__init__()
            self.row = row

    class MarksChanged(Message):
        """The marks changed; `all_marked` when `*` marked everything the filter matches."""

        def __init__(self, all_marked: bool = False) -> None:
            super().__init__()
            self.all_marked = all_marked

    class WindowLoaded(Message):
        def __init__(
            self, generation: int, request: WindowRequest, start: int, result: WindowResult
        ) -> None:
            super().__init__()
            self.generation = generation
            self.request = request
            self.start = start
            self.result = result

    class RowsShown(Message):
        """The first rows of a query are on screen (the app opens the ORM after this)."""

    class WindowFailed(Message):
        """A window could not be read; the screen tells the operator."""

        def __init__(self, error: str, asked_at: float) -> None:
            super().__init__()
            self.error = error
            self.asked_at = asked_at  # time.monotonic() when the fetch was asked for

    def __init__(self, *, id: str | None = None, now: Callable[[], datetime] | None = None) -> None:
        super().__init__(id=id)
        self.source: WindowSource | None = None
        self.now = now or (lambda: datetime.now(UTC))
        self.resolved: Resolved | None = None
        self.generation = 0
        self.total: int | None = None
        self.marks = MarkSet()
        self._start = 0
        self._rows: list[ListRow] = []
        self._exhausted_end = False
        self._inflight: tuple[int, WindowRequest] | None = None
        self._follow_item: int | None = None  # after a reload, keep the cursor on this row
        self._layout: list[tuple[Column, int]] = []
        self._strips: dict[tuple[object, ...], Strip] = {}
        self._styles: dict[str, Style] = {}
        self.last_paint: PaintRecord | None = None
        self._holding = False
        self._shown_once = False
        self._waited_once = False  # the first read only: see _request
        self._posted: tuple[object, ...] = ()
        self.fetching = False
        self._after_rows: list[Callable[[], None]] = []  # keys pressed before the rows came

    # -- data ---------------------------------------------------------------------------------

    def load(self, resolved: Resolved, total: int | None = None) -> None:
        """Show a new query from its first row."""
        self.resolved = resolved
        self.generation += 1
        self.total = total
        self._start = 0
        self._rows = []
        self._exhausted_end = False
        self._inflight = None
        self._follow_item = None
        # Keep the old rows on screen until the new ones arrive (a few ms, usually): no frame
        # of placeholders in between, and the new rows are the next thing painted.
        self._holding = True
        self.cursor = 0
        self.scroll_to(y=0, animate=False, immediate=True)
        self._strips.clear()
        self._ensure_window()
        generation = self.generation
        if total == 0:
            self._stop_holding(generation)  # known empty: no rows are coming to wait for
        else:
            self.set_timer(0.25, lambda: self._stop_holding(generation))

    def _stop_holding(self, generation: int) -> None:
        """The new rows are slow to come: show placeholders rather than stale rows."""
        if self._holding and generation == self.generation:
            self._holding = False
            self._update_virtual_size()
            self.refresh()
            self._post_cursor()

    def reload(self) -> None:
        """Fetch the rows on screen again (the database changed), keeping cursor and position."""
        if self.resolved is None:
            return
        top = self.top
        anchor = self.row_at(top)
        current = self.current_row
        self._follow_item = current.item_ids[0] if current is not None else None
        self.generation += 1
        self._strips.clear()  # an order's own columns change without an item version bump
        self._inflight = None
        if anchor is None or top == 0:
            self._request(WindowRequest("first", self._page_rows() * 3), 0, replace=True)
        else:
            self._request(
                WindowRequest("at", self._page_rows() * 3, key=anchor.key), top, replace=True
            )

    def set_total(self, total: int) -> None:
        """The exact row count, from the count query that follows each new filter."""
        if total == self.total:
            return
        self.total = total
        if self._start + len(self._rows) > total:
            del self._rows[max(0, total - self._start) :]
        self._update_virtual_size()
        if self.cursor >= total:
            self.cursor = max(0, total - 1)
        self.refresh()
        self._ensure_window()
        if total == 0:
            self._stop_holding(self.generation)

    @property
    def row_count(self) -> int:
        """Rows the scroll range covers: the exact total, or what is known so far."""
        if self.total is not None:
            return self.total
        known = self._start + len(self._rows)
        return known if self._exhausted_end else known + self._page_rows()

    @property
    def top(self) -> int:
        return int(self.scroll_y)

    def row_at(self, index: int) -> ListRow | None:
        offset = index - self._start
        if 0 <= offset < len(self._rows):
            return self._rows[offset]
        return None

    @property
    def current_row(self) -> ListRow | None:
        return self.row_at(self.cursor)

    @property
    def rows_on_their_way(self) -> bool:
        """The cursor's row is not here yet, but a read that brings it is in flight."""
        return self.current_row is None and self._inflight is not None

    def when_rows(self, action: Callable[[], None]) -> bool:
        """While the rows are on their way, keep `action` (a key pressed too early) to run once
        they are shown, on the row they bring; False when no rows are coming."""
        if not self.rows_on_their_way:
            return False
        self._after_rows.append(action)
        return True

    def _run_after_rows(self) -> None:
        if self._after_rows and not self.rows_on_their_way:
            waiting, self._after_rows = self._after_rows, []
            for action in waiting:
                self.call_after_refresh(action)  # the rows are painted first

    @property
    def loaded_rows(self) -> list[ListRow]:
        return list(self._rows)

    def _page_rows(self) -> int:
        height = self.size.height
        if height == 0:
            # Not laid out yet (the first read is asked for at mount): the terminal's height
            # bounds the table's, and one read of that many rows paints the whole first
            # screen, where a 1-row guess took a second read before the first full frame.
            height = self.app.size.height
        return max(1, height - 1)

    def _update_virtual_size(self) -> None:
        size = Size(self._width, self.row_count + 1)
        if size == self.virtual_size:
            return
        # Setting virtual_size the usual way lays out the whole screen (~10 ms at every new
        # count). The scrollbar is always shown (overflow-y: scroll), so nothing else moves:
        # store the size and update the scrollbar alone.
        self.set_reactive(OrderTable.virtual_size, size)
        self._scroll_update(size)

    # -- fetching -----------------------------------------------------------------------------

    def _ensure_window(self) -> None:
        """Ask for the rows the viewport (and a page either side) needs, one fetch at a time."""
        if self.resolved is None or self.source is None or self._inflight is not None:
            return
        page = self._page_rows()
        top = self.top
        want_from = max(0, top - page)
        want_to = top + 2 * page
        if self.total is not None:
            want_to = min(want_to, self.total)
        start, end = self._start, self._start + len(self._rows)
        if not self._rows and (self.total == 0 or self._exhausted_end):
            return  # an empty list: nothing to fetch until the query or the data changes
        if not self._rows:
            if top == 0 or self.total is None:
                # One screen first (fast to read and build), the pages around it after.
                self._request(WindowRequest("first", page + 2), 0, replace=True)
            elif self.total - top <= 3 * page:
                self._request(WindowRequest("last", 3 * page), self.total, replace=True)
            else:
                self._request(
                    WindowRequest("offset", 3 * page, offset=want_from), want_from, replace=True
                )
            return
        visible_from, visible_to = top, top + page
        if visible_to > end and visible_from > end + page:
            self._jump(want_from)  # far below what is loaded
        elif visible_from < start - page and visible_to < start:
            self._jump(want_from)  # far above
        elif want_to > end and not self._exhausted_end:
            self._request(
                WindowRequest("after", max(2 * page, want_to - end + page), key=self._rows[-1].key),
                end,
            )
        elif want_from < start:
            limit = min(start, max(2 * page, start - want_from + page))
            self._request(WindowRequest("before", limit, key=self._rows[0].key), start - limit)

    def _jump(self, offset: int) -> None:
        page = self._page_rows()
        if self.total is not None and self.total - offset <= 3 * page:
            self._request(WindowRequest("last", 3 * page), self.total, replace=True)
        else:
            self._request(WindowRequest("offset", 3 * page, offset=offset), offset, replace=True)

    def _request(self, request: WindowRequest, start: int, *, replace: bool = False) -> None:
        source, resolved = self.source, self.resolved
        if source is None or resolved is None:
            return
        generation = self.generation
        marks_base = self.marks.base
        self._inflight = (generation, request)
        self.fetching = True

        asked_at = time.monotonic()
        # The very first read is waited for, briefly: it takes a few ms, and rows that come
        # before the first frame paint in it (the list opens with its rows, not a blank
        # table and then the rows a frame later). A slower read goes on in the background.
        handover = _Handover() if not self._waited_once else None
        self._waited_once = True

        def fetch() -> None:
            failed: OrderTable.WindowFailed | None = None
            try:
                result = source(resolved, request, marks_base)
            except Exception as exc:  # the database is away, locked, or the file vanished
                failed = self.WindowFailed(f"{type(exc).__name__}: {exc}", asked_at)
                result = WindowResult([], False)
            loaded = self.WindowLoaded(generation, request, start, result)
            if handover is not None and handover.give(failed, loaded):
                return
            if failed is not None:
                self.post_message(failed)
            self.post_message(loaded)

        if handover is None:
            self.run_worker(fetch, thread=True, group="window", exit_on_error=False)
            return
        # A thread of its own: a Textual worker would only start once the loop runs again.
        threading.Thread(target=fetch, name="first-window", daemon=True).start()
        taken = handover.take(self.first_read_wait)
        if taken is not None:
            failed, loaded = taken
            if failed is not None:
                self.post_message(failed)
            self.on_order_table_window_loaded(loaded)

    def on_order_table_window_loaded(self, message: WindowLoaded) -> None:
        message.stop()
        if self._inflight is not None and self._inflight[0] == message.generation:
            self._inflight = None
        self.fetching = self._inflight is not None
        if message.generation != self.generation:
            self._ensure_window()
            return
        self._apply(message.request, message.start, message.result)
        self._run_after_rows()
        if self._visible_loaded():
            # Prefetch after the frame is out: a worker building rows would contend for the
            # GIL with the paint.
            self.fetching = True
            self.call_after_refresh(self._prefetch)
        else:
            self._ensure_window()

    def _prefetch(self) -> None:
        self.fetching = self._inflight is not None
        self._ensure_window()

    def _visible_loaded(self) -> bool:
        """Whether every row on screen is in the cache (so nothing shows as a placeholder)."""
        top = self.top
        last = min(self.row_count, top + self._page_rows())
        if last <= top:
            return True
        return self._start <= top and last <= self._start + len(self._rows)

    def _apply(self, request: WindowRequest, start: int, result: WindowResult) -> None:
        rows = result.rows
        shown_complete = self._visible_loaded() and not self._holding
        self._holding = False
        kind = request.kind
        if kind in ("first", "at", "offset"):
            if kind == "first":
                start = 0
            self._start, self._rows = start, rows
            self._exhausted_end = result.exhausted
            if result.exhausted and (kind == "first" or self.total is not None):
                self._fix_total(start + len(rows))
        elif kind == "last":
            total = self.total if self.total is not None else start
            self._start, self._rows = max(0, total - len(rows)), rows
            self._exhausted_end = True
        elif kind == "after":
            if self._start + len(self._rows) != start:
                return  # the cache moved meanwhile; _ensure_window asks again
            self._rows.extend(rows)
            if result.exhausted:
                self._exhausted_end = True
                self._fix_total(start + len(rows))
        elif kind == "before":
            if not self._rows or start + request.limit != self._start:
                return
            self._rows[:0] = rows
            self._start -= len(rows)
            if result.exhausted and self._start != 0:
                self._shift(-self._start)  # rows came or went above: renumber from 0
        self._trim()
        if self._follow_item is not None:
            follow, self._follow_item = self._follow_item, None
            for index, row in enumerate(self._rows):
                if follow in row.item_ids:
                    self.cursor = self._start + index
                    break
        self._update_virtual_size()
        if not self._shown_once and self._rows:
            self._shown_once = True
            self._send(self.RowsShown())
        # A prefetch beyond the screen changes nothing visible: no repaint for it.
        if kind not in ("after", "before") or not shown_complete:
            self.refresh()
        self._post_cursor()

    def _send(self, message: Message) -> None:
        """Post a message as the table's own. The first read is applied inside the screen's
        mount, and a message made there counts as the screen's: Textual stops its bubbling at
        the screen, and the app never heard that the rows were shown."""
        self.post_message(message.set_sender(self))

    def _fix_total(self, total: int) -> None:
        if self.total != total:
            self.total = total
            self._update_virtual_size()

    def _shift(self, delta: int) -> None:
        self._start += delta
        self.cursor = max(0, self.cursor + delta)
        self.scroll_to(y=max(0, self.scroll_y + delta), animate=False, immediate=True)

    def _trim(self) -> None:
        keep = CACHE_PAGES * self._page_rows()
        if len(self._rows) <= keep:
            return
        centre = self.top - self._start
        lo = max(0, min(centre - keep // 2, len(self._rows) - keep))
        if lo + keep < len(self._rows):
            del self._rows[lo + keep :]
            self._exhausted_end = False
        if lo:
            del self._rows[:lo]
            self._start += lo

    # -- cursor -------------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_to_cursor()
        self._post_cursor()

    def _post_cursor(self) -> None:
        if self._holding:
            return  # the new rows are not here yet; _apply posts when they are
        row = self.current_row
        key = (
            self.generation,
            self.cursor,
            row.item_ids if row else None,
            row.version if row else None,
        )
        if key != self._posted:  # one message per real change, not per window that arrives
            self._posted = key
            self._send(self.CursorMoved(row))

    def _scroll_to_cursor(self) -> None:
        page = self._page_rows()
        top = self.top
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, immediate=True)

    def move_cursor(self, delta: int) -> None:
        last = max(0, self.row_count - 1)
        self.cursor = min(last, max(0, self.cursor + delta))

    def watch_scroll_y(self, old: float, new: float) -> None:
        if self._holding:
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.position = new
        else:
            super().watch_scroll_y(old, new)
        if round(old) != round(new):
            self._ensure_window()

    @property
    def _width(self) -> int:
        """The cells a row may use: the widget less its scrollbar."""
        return self.scrollable_content_region.width

    def on_resize(self, _event: events.Resize) -> None:
        self._layout = layout(self._width)
        self._update_virtual_size()
        self._strips.clear()
        self.refresh()
        self._scroll_to_cursor()
        self._ensure_window()

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self.cursor = min(max(0, self.row_count - 1), self.top + event.y - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(1)

    def action_cursor_up(self) -> None:
        self.move_cursor(-1)

    def action_page_down(self) -> None:
        page = self._page_rows()
        self.scroll_to(y=self.scroll_y + page, animate=False, immediate=True)
        self.move_cursor(page)

    def action_page_up(self) -> None:
        page = self._page_rows()
        self.scroll_to(y=max(0, self.scroll_y - page), animate=False, immediate=True)
        self.move_cursor(-page)

    def action_top(self) -> None:
        self.cursor = 0

    def action_bottom(self) -> None:
        self.cursor = max(0, self.row_count - 1)

    # -- marks --------------------------------------------------------------------------------

    def is_row_marked(self, row: ListRow) -> bool:
        return all(self.marks.is_marked(i, i in row.base_ids) for i in row.item_ids)

    def _set_row_mark(self, row: ListRow, marked: bool) -> None:
        for item_id in row.item_ids:
            self.marks.set(item_id, item_id in row.base_ids, marked)

    def action_toggle_mark(self) -> None:
        row = self.current_row
        if row is None:
            self.when_rows(self.action_toggle_mark)
            return
        self._set_row_mark(row, not self.is_row_marked(row))
        self._refresh_row(self.cursor)
        self.post_message(self.MarksChanged())
        self.move_cursor(1)

    def action_mark_range(self, delta: int) -> None:
        row = self.current_row
        if row is None:
            self.when_rows(lambda: self.action_mark_range(delta))
            return
        self._set_row_mark(row, True)
        self._refresh_row(self.cursor)
        self.move_cursor(delta)
        row = self.current_row
        if row is not None:
            self._set_row_mark(row, True)
            self._refresh_row(self.cursor)
        self.post_message(self.MarksChanged())

    def action_mark_all(self) -> None:
        if self.resolved is None:
            return
        self.marks.mark_all(self.resolved)
        # Every loaded row came from this very query, so each matches the new base.
        for row in self._rows:
            row.base_ids = frozenset(row.item_ids)
        self._strips.clear()
        self.refresh()
        self.post_message(self.MarksChanged(all_marked=True))

    def clear_marks(self) -> None:
        self.marks.clear()
        self._strips.clear()
        self.refresh()
        self.post_message(self.MarksChanged())

    def set_marks(self, marks: MarkSet) -> None:
        self.marks = marks
        self._strips.clear()
        self.refresh()
        self.post_message(self.MarksChanged())

    # -- painting -----------------------------------------------------------------------------

    def _refresh_row(self, index: int) -> None:
        if self._holding:
            return
        y = index - self.top + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_focus(self) -> None:
        self.notify_style_update()
        self.refresh()

    def on_blur(self) -> None:
        self.notify_style_update()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def _style(self, name: str) -> Style:
        """A component style (or the widget's own for ""), cached until the styles change."""
        style = self._styles.get(name)
        if style is None:
            if name:
                style = self.get_component_rich_style(f"order-table--{name}", partial=True)
            else:
                style = self.rich_style
            self._styles[name] = style
        return style

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        self.last_paint = PaintRecord(
            self.generation, self.top, self._visible_loaded(), time.perf_counter()
        )
        return lines

    def render_line(self, y: int) -> Strip:
        width = self._width
        if not self._layout:
            self._layout = layout(width)
        if y == 0:
            return self._header_strip(width)
        index = self.top + y - 1
        if index >= self.row_count:
            return Strip.blank(width, self._style(""))
        row = self.row_at(index)
        if row is None:
            text = fit("  …", width)
            return Strip([Segment(text, self._style("") + self._style("placeholder"))], width)
        marked = self.is_row_marked(row)
        cursor = index == self.cursor
        minute = int(self.now().timestamp() // 60)
        cache_key = (row.item_ids, row.version, width, cursor, marked, minute)
        strip = self._strips.get(cache_key)
        if strip is None:
            strip = self._row_strip(row, width, cursor, marked)
            if len(self._strips) > 1500:
                self._strips.clear()
            self._strips[cache_key] = strip
        return strip

    def _header_strip(self, width: int) -> Strip:
        style = self._style("") + self._style("header")
        sort_col = SORT_COLUMN.get(self.resolved.sort, "") if self.resolved else ""
        arrow = ("▼" if self.resolved and self.resolved.descending else "▲") if sort_col else ""
        segments = [Segment(" " * MARK_WIDTH, style)]
        for n, (column, w) in enumerate(self._layout):
            title = column.title + (arrow if column.key == sort_col else "")
            text = title.rjust(w)[:w] if column.right else fit(title, w)
            segments.append(Segment(text + (" " if n < len(self._layout) - 1 else ""), style))
        return Strip(segments).adjust_cell_length(width, style)

    def _row_strip(self, row: ListRow, width: int, cursor: bool, marked: bool) -> Strip:
        base = self._style("")
        if cursor and marked:
            base += self._style("cursor-marked")
        elif cursor:
            base += self._style("cursor")
        elif marked:
            base += self._style("marked")
        dim = not row.archived and row.status in (ItemStatus.IGNORED, ItemStatus.CANCELED)
        if row.archived or dim:
            base += self._style("dim")
        now = self.now()
        # One segment per run of cells in the same style (usually three): the fewer segments,
        # the less every later step of the frame (crop, filters, compositing) has to do.
        segments: list[Segment] = []
        run: list[str] = ["● " if marked else "  "]
        last = len(self._layout) - 1
        for n, (column, w) in enumerate(self._layout):
            text = column.cell(row, now)
            text = text.rjust(w)[-w:] if column.right else fit(text, w)
            if n < last:
                text += " "
            special = None
            if column.key == "status" and row.status is ItemStatus.FAILED:
                special = base + self._style("failed")
            elif column.key == "status" and row.status is ItemStatus.ON_HOLD:
                special = base + self._style("held")
            if special is None:
                run.append(text)
            else:
                segments.append(Segment("".join(run), base))
                segments.append(Segment(text, special))
                run = []
        if run:
            segments.append(Segment("".join(run), base))
        return Strip(segments).adjust_cell_length(width, base)
