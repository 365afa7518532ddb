"""Virtual time for worker threads: it moves on only when every worker is asleep.

Each worker thread runs its own event loop and sleeps through `VirtualTime.sleep`; the test's
thread calls `run()`, which waits until every worker sleeps (or has finished), then moves the
time to the earliest wake-up and lets those workers go. So a worker that is not asleep always
sees the time it was woken at, no wall-clock time passes in the test's reckoning, and a slow
machine changes nothing but how long the test takes.
"""

from __future__ import annotations

import threading

START = 1_800_000_000.0  # a time since the epoch, as `time.time()` gives


class DeadlockError(AssertionError):
    """The workers stopped sleeping and finishing: something waits outside virtual time."""


class VirtualTime:
    def __init__(self, workers: int, start: float = START) -> None:
        self.now = start
        self._active = workers
        self._asleep: dict[int, float] = {}  # thread id -> when it wakes
        self._cond = threading.Condition()

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Block this worker (its loop has nothing else to run) until the time has come."""
        me = threading.get_ident()
        with self._cond:
            self._asleep[me] = self.now + max(0.0, seconds)
            self._cond.notify_all()
            while me in self._asleep:
                if not self._cond.wait(timeout=60):
                    raise DeadlockError("no one moved the time on")

    def finished(self) -> None:
        """Called by a worker as it ends."""
        with self._cond:
            self._active -= 1
            self._cond.notify_all()

    def run(self) -> None:
        """Move the time on, wake-up by wake-up, until every worker has finished."""
        with self._cond:
            while True:
                while self._active and len(self._asleep) < self._active:
                    if not self._cond.wait(timeout=60):
                        raise DeadlockError(
                            f"{self._active - len(self._asleep)} worker(s) never slept"
                        )
                if not self._active:
                    return
                self.now = max(self.now, min(self._asleep.values()))
                for thread, wake in list(self._asleep.items()):
                    if wake <= self.now:
                        del self._asleep[thread]
                self._cond.notify_all()
