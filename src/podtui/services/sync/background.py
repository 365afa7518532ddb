"""The incremental sync that runs every N minutes while the app is open, on its own thread.

It never touches the screen: after each round it calls `on_done(reports)` (the app posts that to
the UI thread). `run_now()` wakes it early (the "sync now" key); `stop()` ends it at the next
pause. Each round syncs every store incrementally and carries tracking back; a store that fails
is recorded on its row and does not stop the others.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from podtui.db import Database
from podtui.domain.models import utcnow
from podtui.services.connections.reach import REAL, Reach
from podtui.services.sync.context import SyncOptions, SyncReport
from podtui.services.sync.pull import sync_stores

Done = Callable[[list[SyncReport]], None]


class BackgroundSync:
    """Sync all stores now-ish (after `first_delay` seconds), then every `interval_minutes`."""

    def __init__(
        self,
        db: Database,
        *,
        interval_minutes: float,
        on_done: Done | None = None,
        first_delay: float = 5.0,
        push: bool = True,
        reach: Reach = REAL,
    ) -> None:
        self.db = db
        self.reach = reach
        self.interval = max(0.05, interval_minutes) * 60.0
        self.on_done = on_done
        self.first_delay = first_delay
        self.push = push
        self.next_at: datetime | None = None
        self.running = False
        self.rounds = 0
        self.last_reports: list[SyncReport] = []
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="podtui-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_now(self) -> None:
        """Sync at once (if a round is running, another follows it)."""
        self._wake.set()

    def _pause(self, seconds: float) -> None:
        self.next_at = utcnow() + timedelta(seconds=seconds)
        self._wake.wait(seconds)
        self._wake.clear()

    def _loop(self) -> None:
        self._pause(self.first_delay)
        while not self._stop.is_set():
            self.running = True
            try:
                reports = sync_stores(
                    self.db, None, SyncOptions(), push=self.push, reach=self.reach
                )
            except Exception as exc:  # the database went away; say so and try next time
                reports = [SyncReport(store="(all stores)", store_id=0, error=str(exc))]
            finally:
                self.running = False
            self.rounds += 1
            self.last_reports = reports
            if self.on_done is not None and not self._stop.is_set():
                with contextlib.suppress(Exception):  # the app is closing
                    self.on_done(reports)
            if self._stop.is_set():
                break
            self._pause(self.interval)
