"""A vendor's rate limit shared by every podtui on one database: the app, `submit --due` in cron,
a second operator, a second machine on PostgreSQL.

Each limit is one row of `rate_limit`: `next_free`, the time (seconds since the epoch) at which
the bucket is next empty, the "theoretical arrival time" of the generic cell rate algorithm. A
turn is due when `next_free - now <= (burst - 1) * interval`; taking it moves `next_free` to
`max(next_free, now) + interval`, with the interval that of `0.97 * per_minute - burst`. So the
turns granted in any window of a minute never exceed `0.97 * per_minute`, however many processes
ask, leaving room for requests that reach the vendor late. A turn is taken in one short write
transaction (`BEGIN IMMEDIATE` on SQLite) by a compare-and-set `UPDATE ... WHERE name = :name AND
next_free = :seen`, which settles a race on PostgreSQL as well; a caller who is early sleeps until
its turn could come and asks again.

A `Retry-After` one caller is told holds every process: `pause` notes it at once without
touching the database (it is called in the event loop) and the next turn writes it into the
row, moving `next_free` past the pause. Time comes from an injectable clock, so tests run on a
virtual one; processes on several machines share a PostgreSQL and need their clocks in step
(NTP), since each measures the time itself.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from podtui.adapters.http import MakeLimiter, bucket_size
from podtui.adapters.redact import get_logger

if TYPE_CHECKING:
    from podtui.db import Database
    from podtui.domain.models import Vendor

log = get_logger(__name__)
Clock = Callable[[], float]
HEADROOM = 0.97  # of the vendor's rate, for requests that arrive later than their turn
Sleep = Callable[[float], Awaitable[Any]]

_READ = text("SELECT next_free FROM rate_limit WHERE name = :name")
_CREATE = text(
    "INSERT INTO rate_limit (name, next_free) VALUES (:name, 0) ON CONFLICT (name) DO NOTHING"
)
_TAKE = text("UPDATE rate_limit SET next_free = :new WHERE name = :name AND next_free = :seen")


def vendor_limit_name(vendor: Vendor) -> str:
    """The row that holds `vendor`'s rate."""
    return f"vendor:{vendor.id}"


class SharedRateLimiter:
    """One limit's turns, taken from its row in the database (see the module's doc)."""

    def __init__(
        self,
        db: Database,
        name: str,
        per_minute: float,
        *,
        burst: int | None = None,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.db = db
        self.name = name
        self.capacity = bucket_size(per_minute, burst)
        # Paced under the vendor's rate by a burst and 3 %: a minute then holds at most
        # 0.97 * per_minute turns. The 3 % is for requests that reach the vendor later
        # than their turn (a busy machine holds a process between its turn and its send):
        # bench/pg_senders.py saw 601 and then 602 in a minute at the vendor for 600, at
        # load 13-30, with a margin of the burst alone.
        paced = max(per_minute * HEADROOM - self.capacity, per_minute / 2)
        self.rate = paced / 60.0
        self.interval = 60.0 / paced
        self.tolerance = (self.capacity - 1.0) * self.interval
        self._clock = clock
        self._sleep = sleep
        self._paused_until = 0.0  # a Retry-After not yet written into the row
        self._last_alone = 0.0  # the last turn taken without the database (it was locked)
        self._lock = asyncio.Lock()  # this process's callers ask the database one at a time

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                wait = await asyncio.to_thread(self._take_turn)
                if wait <= 0.0:
                    return
                await self._sleep(wait)

    def _take_turn(self) -> float:
        """Take a turn now (0.0), or say how long to wait before asking again."""
        try:
            while True:
                with self.db.write() as session:
                    conn = session.connection()
                    seen = conn.execute(_READ, {"name": self.name}).scalar()
                    if seen is None:
                        conn.execute(_CREATE, {"name": self.name})
                        seen = conn.execute(_READ, {"name": self.name}).scalar_one()
                    now = self._clock()
                    paused = self._paused_until + self.tolerance if self._paused_until else 0.0
                    start = max(float(seen), now, paused)
                    early = start - self.tolerance - now
                    if early > 1e-9:  # the tolerance stops a spin on float rounding
                        if paused > seen:  # a Retry-After: hold every process, not only this one
                            self._compare_and_set(conn, seen, paused)
                        return early
                    if self._compare_and_set(conn, seen, start + self.interval):
                        return 0.0
                # Another process took the turn between our read and write: look again.
        except OperationalError as exc:
            # The database is locked past its busy timeout or gone: pace this process alone
            # rather than fail a send over the bookkeeping of its rate.
            log.warning("rate limit %s not shared for one turn: %s", self.name, exc)
            return 0.0 if self._fallback_turn() else self.interval

    def _compare_and_set(self, conn: Any, seen: float, new: float) -> bool:
        taken = conn.execute(_TAKE, {"name": self.name, "seen": seen, "new": new}).rowcount == 1
        if taken and new >= self._paused_until + self.tolerance:
            self._paused_until = 0.0  # written: the row holds the pause for every process now
        return bool(taken)

    def _fallback_turn(self) -> bool:
        now = self._clock()
        if now - self._last_alone >= self.interval:
            self._last_alone = now
            return True
        return False


@dataclass(frozen=True)
class SharedLimits:
    """Makes the limiters of the vendors on `db`: one row per vendor, shared by every process."""

    db: Database
    clock: Clock = time.time
    sleep: Sleep = field(default=asyncio.sleep)

    def for_vendor(self, vendor: Vendor) -> MakeLimiter:
        """What `vendor`'s adapter builds its limiter with, from its own rate and burst."""
        name = vendor_limit_name(vendor)

        def make(per_minute: float, burst: int | None) -> SharedRateLimiter:
            return SharedRateLimiter(
                self.db, name, per_minute, burst=burst, clock=self.clock, sleep=self.sleep
            )

        return make
