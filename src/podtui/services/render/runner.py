"""The TUI's own renderer: the render worker on a background thread, its renders in processes.

`BackgroundRenderer(db, processes=N).start()` drains the job table the way `podtui worker`
does, so approving an item in the list renders it without a second terminal. The renders run
in the worker's process pool (outside the app's process); this thread only claims jobs and
records results. It keeps the last events for the queue screen and never raises into the app.
A job never stops it (the worker fails that job and goes on); an error between jobs (the
database busy or away) is reported as a `restarting` event and the worker starts again after
`restart_after` seconds, longer each time up to a minute; only a worker whose render processes
cannot run at all (RenderWorkerError) records why and stops.
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
MAX_RESTART_AFTER = 60.0


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
        restart_after: float = 5.0,
    ) -> None:
        self.db = db
        self.restart_after = restart_after
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
        pause = self.restart_after
        try:
            while not self._stop.is_set():
                worker = RenderWorker(
                    self.db,
                    processes=self.processes,
                    pconfig=self.pconfig,
                    poll_interval=self.poll_interval,
                    on_event=self._record,
                )
                try:
                    worker.run(should_stop=self._stop.is_set)
                    return
                except RenderWorkerError as exc:
                    self.error = str(exc)
                except Exception as exc:  # not a job's: the database, the machine; try again
                    self.running_since.clear()
                    # The raw error is what there is to say: no job, no item to hold.
                    said = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                    self._record(
                        WorkerEvent(
                            "restarting",
                            None,
                            None,
                            f"renders paused by an error between jobs ({said}); "
                            f"starting again in {pause:g} s",
                        )
                    )
                    self._stop.wait(pause)
                    pause = min(pause * 2, MAX_RESTART_AFTER)
                    continue
                break
        finally:
            self.running_since.clear()
        if self.error is not None:
            self._record(WorkerEvent("stopped", None, None, self.error))
