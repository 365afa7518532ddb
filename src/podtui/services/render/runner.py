"""The TUI's own renderer: the render worker on a background thread, its renders in processes.

`BackgroundRenderer(db, processes=N).start()` drains the job table the way `podtui worker`
does, so approving an item in the list renders it without a second terminal. The renders run
in the worker's process pool (outside the app's process); this thread only claims jobs and
records results. It keeps the last events for the queue screen and never raises into the app:
a worker that cannot go on records why and stops.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from podtui.db import Database
from podtui.domain.personalization import PersonalizationConfig
from podtui.services.render.worker import RenderWorker, RenderWorkerError, WorkerEvent

RECENT_EVENTS = 50


@dataclass(frozen=True)
class TimedEvent:
    """A worker event and when (time.time) it happened."""

    at: float
    event: WorkerEvent


class BackgroundRenderer:
    """One render worker for the app's lifetime; `stop()` requeues what it still holds."""

    def __init__(
        self,
        db: Database,
        *,
        processes: int,
        pconfig: PersonalizationConfig | None = None,
        on_event: Callable[[WorkerEvent], None] | None = None,
        poll_interval: float = 1.0,
    ) -> None:
        self.db = db
        self.processes = processes
        self.pconfig = pconfig
        self.on_event = on_event
        self.poll_interval = poll_interval
        self.recent: deque[TimedEvent] = deque(maxlen=RECENT_EVENTS)
        self.event_count = 0  # events so far (recent keeps only the last ones)
        self.running_since: dict[int, float] = {}  # job id -> when this worker claimed it
        self.error: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.alive:
            return
        self._stop.clear()
        self.error = None
        self._thread = threading.Thread(target=self._run, name="podtui-renderer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the worker to stop and wait (a render in flight finishes or is requeued)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _record(self, event: WorkerEvent) -> None:
        if event.job_id is not None:
            if event.kind == "claimed":
                self.running_since[event.job_id] = time.time()
            else:
                self.running_since.pop(event.job_id, None)
        self.recent.append(TimedEvent(time.time(), event))
        self.event_count += 1
        if self.on_event is not None:
            self.on_event(event)

    def _run(self) -> None:
        try:
            worker = RenderWorker(
                self.db,
                processes=self.processes,
                pconfig=self.pconfig,
                poll_interval=self.poll_interval,
                on_event=self._record,
            )
            worker.run(should_stop=self._stop.is_set)
        except RenderWorkerError as exc:
            self.error = str(exc)
        except Exception as exc:  # the app goes on without renders; the screen says why
            self.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.running_since.clear()
        if self.error is not None:
            self._record(WorkerEvent("stopped", None, None, self.error))
