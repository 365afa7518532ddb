"""The render queue: counts per state, a progress bar and the jobs worth a look.

`RenderQueuePanel(db)` polls the job table from a thread worker (never the UI thread) and
redraws when the snapshot arrives: running jobs (with how long they have been rendering),
queued ones, failed ones with their reason, and the last finished ones. Given the app's
`BackgroundRenderer` it also says how many processes render and what the worker did last;
with `run_renders=True` (no app renderer) it runs a render worker itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import get_current_worker

from podtui.clock import clock_of
from podtui.services import transaction
from podtui.services.render.jobs import (
    DONE,
    FAILED,
    QUEUED,
    RUNNING,
    JobRow,
    QueueSnapshot,
    queue_snapshot,
)
from podtui.services.render.runner import BackgroundRenderer
from podtui.services.render.worker import RenderWorker, WorkerEvent
from podtui.widgets.table_fill import refill

if TYPE_CHECKING:
    from podtui.db import Database

STATE_LABELS = {RUNNING: "rendering", QUEUED: "queued", FAILED: "failed", DONE: "done"}


def _age(moment: datetime | None, now: datetime) -> str:
    """'12 s', '4 min', '3 h': how long ago `moment` was."""
    if moment is None:
        return ""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


class RenderQueuePanel(Vertical):
    """Live view of the render queue (and of the worker that drains it, when there is one)."""

    DEFAULT_CSS = """
    RenderQueuePanel { height: 1fr; }
    RenderQueuePanel #render-counts { height: 1; }
    RenderQueuePanel #render-worker { height: 1; color: $text-muted; }
    RenderQueuePanel #render-progress { height: 1; }
    RenderQueuePanel #render-last { height: 1; color: $text-muted; }
    """

    class QueueRefreshed(Message):
        """A fresh snapshot of the job table arrived (or why it could not be read)."""

        def __init__(self, snapshot: QueueSnapshot | None, error: str = "") -> None:
            super().__init__()
            self.snapshot = snapshot
            self.error = error

    class RenderEventReported(Message):
        """The worker finished, held or requeued a job."""

        def __init__(self, event: WorkerEvent) -> None:
            super().__init__()
            self.event = event

    def __init__(
        self,
        db: Database,
        *,
        renderer: BackgroundRenderer | None = None,
        run_renders: bool = False,
        processes: int = 2,
        interval: float = 2.0,
        id: str | None = "render-queue",
    ) -> None:
        super().__init__(id=id)
        self.db = db
        self.renderer = renderer
        self.run_renders = run_renders and renderer is None
        self.processes = processes
        self.interval = interval
        self.snapshot: QueueSnapshot | None = None
        self.error = ""
        self._done_at_start: int | None = None
        self._seen_events = 0

    def compose(self) -> ComposeResult:
        yield Static("Render queue: loading…", id="render-counts")
        yield Static(self._worker_line(), id="render-worker")
        bar = ProgressBar(total=None, show_eta=False, id="render-progress")
        bar.display = False  # shown once a snapshot says there is work
        yield bar
        yield Static("", id="render-last")
        table: DataTable[str] = DataTable(id="render-jobs", cursor_type="row")
        table.add_columns("Job", "State", "Time", "Order", "Item", "Product", "Tries", "Note")
        yield table

    def on_mount(self) -> None:
        self.poll()
        clock_of(self).every(self, self.interval, self.poll, name="render-queue")
        if self.run_renders:
            self._render_loop()

    def poll(self) -> None:
        self._fetch()

    def current_job(self) -> JobRow | None:
        """The job under the table's cursor, as the last snapshot read it."""
        table = self.query_one("#render-jobs", DataTable)
        if self.snapshot is None or not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        shown = [*self.snapshot.jobs, *self.snapshot.finished]
        return next((row for row in shown if str(row.job_id) == key), None)

    @work(thread=True, exclusive=True, group="render-queue-poll", exit_on_error=False)
    def _fetch(self) -> None:
        try:
            snapshot = transaction.read(self.db, queue_snapshot)
        except Exception as exc:  # a busy or closing database: say so, read again next tick
            self.post_message(self.QueueRefreshed(None, f"{type(exc).__name__}: {exc}"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.QueueRefreshed(snapshot))

    @work(thread=True, exclusive=True, group="render-worker", exit_on_error=False)
    def _render_loop(self) -> None:
        me = get_current_worker()

        def report(event: WorkerEvent) -> None:
            self.post_message(self.RenderEventReported(event))

        worker = RenderWorker(self.db, processes=self.processes, on_event=report)
        worker.run(should_stop=lambda: me.is_cancelled)

    def on_render_queue_panel_queue_refreshed(self, message: QueueRefreshed) -> None:
        if message.snapshot is None:
            self.error = message.error
            self.query_one("#render-counts", Static).update(
                escape(f"Render queue: could not read the job table ({message.error})")
            )
            return
        self.error = ""
        self.show(message.snapshot)

    def on_render_queue_panel_render_event_reported(self, message: RenderEventReported) -> None:
        self._show_event(message.event)
        self.poll()

    def _show_event(self, event: WorkerEvent) -> None:
        if event.kind != "claimed":
            job = f"job {event.job_id} · " if event.job_id is not None else ""
            self.query_one("#render-last", Static).update(
                escape(f"{event.kind}: {job}{event.message}")
            )

    def _renderer(self) -> BackgroundRenderer | None:
        """The renderer given, else the app's (it starts once the database is open)."""
        if self.renderer is not None:
            return self.renderer
        found = getattr(self.app, "renderer", None) if self.is_attached else None
        return found if isinstance(found, BackgroundRenderer) else None

    def _worker_line(self) -> str:
        renderer = self._renderer()
        if renderer is not None:
            if renderer.error:
                return escape(f"Renderer stopped: {renderer.error}")
            plural = "es" if renderer.processes != 1 else ""
            return f"Rendering here in {renderer.processes} process{plural}"
        if self.run_renders:
            return f"Rendering here in {self.processes} processes"
        return escape(
            "Not rendering here ([render] workers = 0): `podtui worker` renders the queue"
            " from a terminal or another machine"
        )

    def show(self, snapshot: QueueSnapshot) -> None:
        """Redraw counts, progress and the job list from `snapshot`."""
        self.snapshot = snapshot
        counts = snapshot.counts
        done = counts.get(DONE, 0)
        if self._done_at_start is None:
            self._done_at_start = done
        finished = done - self._done_at_start
        idle = " · idle" if not snapshot.pending else ""
        self.query_one("#render-counts", Static).update(
            f"Render queue{idle} · {counts.get(QUEUED, 0):,} queued · {counts.get(RUNNING, 0):,} "
            f"rendering · {counts.get(FAILED, 0):,} failed · {done:,} done"
        )
        self.query_one("#render-worker", Static).update(self._worker_line())
        renderer = self._renderer()
        if renderer is not None and renderer.event_count != self._seen_events:
            self._seen_events = renderer.event_count
            for timed in reversed(list(renderer.recent)):  # a copy: the worker thread appends
                if timed.event.kind != "claimed":
                    self._show_event(timed.event)
                    break
        # A bar only while there is work: an idle queue has nothing to animate.
        bar = self.query_one("#render-progress", ProgressBar)
        bar.display = bool(snapshot.pending)
        if snapshot.pending:
            bar.update(total=finished + snapshot.pending, progress=finished)
        now = clock_of(self).now()
        table = self.query_one("#render-jobs", DataTable)
        cursor = table.cursor_row
        refill(
            table,
            (
                (
                    str(row.job_id),
                    (
                        str(row.job_id),
                        STATE_LABELS.get(row.state, row.state),
                        self._time(row, now),
                        row.order_name,
                        str(row.item_id),
                        row.title,
                        str(row.attempts),
                        (row.error or "").splitlines()[0] if row.error else "",
                    ),
                )
                for row in [*snapshot.jobs, *snapshot.finished]
            ),
        )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    @staticmethod
    def _time(row: JobRow, now: datetime) -> str:
        if row.state == RUNNING:
            return _age(row.claimed_at, now)
        if row.state in (DONE, FAILED):
            return f"{_age(row.finished_at, now)} ago" if row.finished_at else ""
        return ""
