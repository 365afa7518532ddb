"""The render-queue screen: what is queued, rendering, failed and done, with progress.

Opened from anywhere with the `app.render_queue` key; it reads the app's open database and
shows the app's background renderer (or says that renders happen elsewhere).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable

from podtui import keymap
from podtui.domain.errors import DomainError
from podtui.services import transaction
from podtui.services.items import actions
from podtui.services.render.runner import BackgroundRenderer
from podtui.widgets.key_footer import KeyFooter
from podtui.widgets.render_queue import RenderQueuePanel

if TYPE_CHECKING:
    from podtui.db import Database


class RetryFinished(Message):
    """A retry of a failed render was queued, or refused with why."""

    def __init__(self, text: str, *, error: bool = False) -> None:
        super().__init__()
        self.text = text
        self.error = error


class RenderQueueScreen(Screen[None]):
    """The render queue on a screen of its own: R retries a failed job, enter opens its order."""

    BINDINGS: ClassVar[list[BindingType]] = keymap.bindings("render_queue")
    KEY_SCOPES = ("render_queue",)

    def __init__(
        self,
        db: Database,
        *,
        renderer: BackgroundRenderer | None = None,
        interval: float = 1.0,
    ) -> None:
        super().__init__(id="render-queue-screen")
        self.db = db
        self.renderer = renderer
        self.interval = interval

    def compose(self) -> ComposeResult:
        yield RenderQueuePanel(self.db, renderer=self.renderer, interval=self.interval)
        yield KeyFooter()

    @property
    def panel(self) -> RenderQueuePanel:
        return self.query_one(RenderQueuePanel)

    def action_refresh_queue(self) -> None:
        self.panel.poll()

    def action_back(self) -> None:
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry_job":  # dimmed on a job that did not fail
            job = self.panel.current_job() if self.is_mounted else None
            return True if job is not None and job.state == "failed" else None
        return True

    @on(DataTable.RowHighlighted)
    @on(RenderQueuePanel.QueueRefreshed)
    def _row_moved(self) -> None:
        # A new snapshot may change the job under the cursor without moving the cursor.
        self.refresh_bindings()

    def action_retry_job(self) -> None:
        job = self.panel.current_job()
        if job is None or job.state != "failed":
            return
        self._retry(job.job_id, f"{job.order_name} {job.title}".strip())

    @work(thread=True, group="render-retry", exit_on_error=False)
    def _retry(self, job_id: int, name: str) -> None:
        try:
            transaction.write(self.db, lambda s: actions.retry_render(s, job_id))
        except DomainError as exc:
            self.post_message(RetryFinished(str(exc), error=True))
            return
        self.post_message(RetryFinished(f"{name}: queued to render again."))

    def on_retry_finished(self, message: RetryFinished) -> None:
        self.notify(message.text, severity="error" if message.error else "information")
        self.panel.poll()

    @on(DataTable.RowSelected)
    def _row_chosen(self) -> None:
        self.action_open_job_order()

    def action_open_job_order(self) -> None:
        job = self.panel.current_job()
        if job is not None and job.order_id is not None:
            self.app.open_order(job.order_id, job.item_id, job.order_name)  # type: ignore[attr-defined]
