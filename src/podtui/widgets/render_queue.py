"""The render queue: counts per state, a progress bar and the jobs worth a look.

`RenderQueuePanel(db)` polls the job table from a thread worker (never the UI thread) and
redraws when the snapshot arrives. With `run_renders=True` it also runs the render worker
itself in a background thread, which feeds a process pool outside the app's process; each
finished job arrives as a `RenderEventReported` message. `RenderQueueScreen` wraps it in a
screen of its own.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, ProgressBar, Static
from textual.worker import get_current_worker

from podtui.db import Database
from podtui.services.render import DONE, FAILED, QUEUED, RUNNING, QueueSnapshot, queue_snapshot
from podtui.services.render_worker import RenderWorker, WorkerEvent


class RenderQueuePanel(Vertical):
    """Live view of the render queue (and, optionally, the worker that drains it)."""

    DEFAULT_CSS = """
    RenderQueuePanel { height: 1fr; }
    RenderQueuePanel #render-counts { height: 1; }
    RenderQueuePanel #render-progress { height: 1; }
    RenderQueuePanel #render-last { height: 1; color: $text-muted; }
    """

    class QueueRefreshed(Message):
        """A fresh snapshot of the job table arrived."""

        def __init__(self, snapshot: QueueSnapshot) -> None:
            super().__init__()
            self.snapshot = snapshot

    class RenderEventReported(Message):
        """The embedded worker finished, held or requeued a job."""

        def __init__(self, event: WorkerEvent) -> None:
            super().__init__()
            self.event = event

    def __init__(
        self,
        db: Database,
        *,
        run_renders: bool = False,
        processes: int = 2,
        interval: float = 2.0,
        id: str | None = "render-queue",
    ) -> None:
        super().__init__(id=id)
        self.db = db
        self.run_renders = run_renders
        self.processes = processes
        self.interval = interval
        self.snapshot: QueueSnapshot | None = None
        self._done_at_start: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Render queue: loading…", id="render-counts")
        yield ProgressBar(total=None, show_eta=False, id="render-progress")
        yield Static("", id="render-last")
        table: DataTable[str] = DataTable(id="render-jobs", cursor_type="row")
        table.add_columns("Job", "State", "Order", "Item", "Product", "Tries", "Note")
        yield table

    def on_mount(self) -> None:
        self.poll()
        self.set_interval(self.interval, self.poll)
        if self.run_renders:
            self._render_loop()

    def poll(self) -> None:
        self._fetch()

    @work(thread=True, exclusive=True, group="render-queue-poll")
    def _fetch(self) -> None:
        with self.db.read() as session:
            snapshot = queue_snapshot(session)
        self.post_message(self.QueueRefreshed(snapshot))

    @work(thread=True, exclusive=True, group="render-worker")
    def _render_loop(self) -> None:
        me = get_current_worker()

        def report(event: WorkerEvent) -> None:
            self.post_message(self.RenderEventReported(event))

        worker = RenderWorker(self.db, processes=self.processes, on_event=report)
        worker.run(should_stop=lambda: me.is_cancelled)

    def on_render_queue_panel_queue_refreshed(self, message: QueueRefreshed) -> None:
        self.show(message.snapshot)

    def on_render_queue_panel_render_event_reported(self, message: RenderEventReported) -> None:
        event = message.event
        if event.kind != "claimed":
            self.query_one("#render-last", Static).update(
                f"{event.kind}: job {event.job_id} · {event.message}"
            )
            self.poll()

    def show(self, snapshot: QueueSnapshot) -> None:
        """Redraw counts, progress and the job list from `snapshot`."""
        self.snapshot = snapshot
        counts = snapshot.counts
        done = counts.get(DONE, 0)
        if self._done_at_start is None:
            self._done_at_start = done
        finished = done - self._done_at_start
        self.query_one("#render-counts", Static).update(
            f"Render queue · {counts.get(QUEUED, 0):,} queued · {counts.get(RUNNING, 0):,} "
            f"rendering · {counts.get(FAILED, 0):,} held · {done:,} done"
        )
        bar = self.query_one("#render-progress", ProgressBar)
        if snapshot.pending or finished:
            bar.update(total=finished + snapshot.pending, progress=finished)
        else:
            bar.update(total=None)
        table = self.query_one("#render-jobs", DataTable)
        table.clear()
        for row in snapshot.jobs:
            table.add_row(
                str(row.job_id),
                row.state,
                row.order_name,
                str(row.item_id),
                row.title,
                str(row.attempts),
                row.error or "",
                key=str(row.job_id),
            )


class RenderQueueScreen(Screen[None]):
    """The render queue on a screen of its own."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="render_queue.back"),
        Binding("r", "refresh_queue", "Refresh", id="render_queue.refresh"),
    ]

    def __init__(self, db: Database, *, run_renders: bool = False) -> None:
        super().__init__()
        self.db = db
        self.run_renders = run_renders

    def compose(self) -> ComposeResult:
        yield RenderQueuePanel(self.db, run_renders=self.run_renders)
        yield Footer()

    def action_refresh_queue(self) -> None:
        self.query_one(RenderQueuePanel).poll()
