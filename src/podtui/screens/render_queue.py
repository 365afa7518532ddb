"""The render-queue screen: what is queued, rendering, failed and done, with progress.

Opened from anywhere with the `app.render_queue` key; it reads the app's open database and
shows the app's background renderer (or says that renders happen elsewhere).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen

from podtui import keymap
from podtui.services.render.runner import BackgroundRenderer
from podtui.widgets.key_footer import KeyFooter
from podtui.widgets.render_queue import RenderQueuePanel

if TYPE_CHECKING:
    from podtui.db import Database


class RenderQueueScreen(Screen[None]):
    """The render queue on a screen of its own; esc goes back."""

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
