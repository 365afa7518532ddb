"""The app's clock: the time it is, and the timers that start the app's background work.

Every timer that makes the app do something on its own (recovery and the countdown, the vendor
poll, the database watcher, the details screen's change check, the render queue's poll, opening
the database after the first paint) is set through the app's `AppClock`, never straight on
Textual. `SystemClock` hands them to Textual's timers. Tests hand the app a `ManualClock` and fire
timers themselves (`await clock.fire("watch")`, `await clock.advance(60)`), so no timer goes off
in the middle of a test because the machine was slow, and none is waited for by the wall clock.
Timers that only pace what the operator sees (a debounce, a blink) stay on Textual.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from textual.dom import DOMNode
from textual.message_pump import MessagePump

Callback = Callable[[], Any]


class Handle(Protocol):
    """A set timer; `stop()` cancels it."""

    def stop(self) -> None: ...


class AppClock(Protocol):
    """What time it is, and timers owned by a widget, screen or the app."""

    def now(self) -> datetime: ...

    def every(self, owner: MessagePump, seconds: float, callback: Callback, *, name: str) -> Handle:
        """Call `callback` every `seconds` while `owner` runs."""
        ...

    def after(self, owner: MessagePump, seconds: float, callback: Callback, *, name: str) -> Handle:
        """Call `callback` once, `seconds` from now, if `owner` still runs."""
        ...


class SystemClock:
    """The real time, and Textual's own timers."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def every(self, owner: MessagePump, seconds: float, callback: Callback, *, name: str) -> Handle:
        return owner.set_interval(seconds, callback, name=name)

    def after(self, owner: MessagePump, seconds: float, callback: Callback, *, name: str) -> Handle:
        return owner.set_timer(seconds, callback, name=name)


SYSTEM_CLOCK = SystemClock()


@dataclass(eq=False)
class ManualTimer:
    """One timer of a ManualClock: due at `due` seconds of the clock's own time."""

    owner: MessagePump
    name: str
    seconds: float
    callback: Callback
    repeat: bool
    due: float
    stopped: bool = False

    def stop(self) -> None:
        self.stopped = True

    @property
    def alive(self) -> bool:
        return not self.stopped and self.owner.is_running


class ManualClock:
    """A clock that moves only when told to: for tests, which fire the app's timers themselves."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self.elapsed = 0.0  # seconds since `start`
        self.timers: list[ManualTimer] = []

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.elapsed)

    def every(
        self, owner: MessagePump, seconds: float, callback: Callback, *, name: str
    ) -> ManualTimer:
        return self._add(owner, seconds, callback, name, repeat=True)

    def after(
        self, owner: MessagePump, seconds: float, callback: Callback, *, name: str
    ) -> ManualTimer:
        return self._add(owner, seconds, callback, name, repeat=False)

    def _add(
        self, owner: MessagePump, seconds: float, callback: Callback, name: str, *, repeat: bool
    ) -> ManualTimer:
        timer = ManualTimer(owner, name, seconds, callback, repeat, self.elapsed + seconds)
        self.timers.append(timer)
        return timer

    def named(self, name: str) -> list[ManualTimer]:
        """The live timers called `name`."""
        return [t for t in self.timers if t.name == name and t.alive]

    async def fire(self, name: str) -> int:
        """Run every live timer called `name` now, as if it had come due; how many ran."""
        ran = 0
        for timer in self.named(name):
            await self._run(timer)
            ran += 1
        return ran

    async def advance(self, seconds: float) -> int:
        """Move the time on by `seconds`, running the timers that come due, in order."""
        end = self.elapsed + seconds
        ran = 0
        while True:
            due = sorted((t for t in self.timers if t.alive and t.due <= end), key=lambda t: t.due)
            if not due:
                break
            timer = due[0]
            self.elapsed = max(self.elapsed, timer.due)
            await self._run(timer)
            ran += 1
        self.elapsed = end
        return ran

    async def _run(self, timer: ManualTimer) -> None:
        if timer.repeat:
            timer.due = self.elapsed + timer.seconds
        else:
            timer.stopped = True
        result = timer.callback()
        if inspect.isawaitable(result):
            await result


def clock_of(node: DOMNode) -> AppClock:
    """The clock of the app `node` runs in (the system clock for apps that bring none)."""
    clock = getattr(node.app, "clock", None)
    return clock if clock is not None else SYSTEM_CLOCK
