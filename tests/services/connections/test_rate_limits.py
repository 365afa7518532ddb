"""A vendor's rate limit kept in the database holds across every podtui that sends on it.

Each limiter here stands for one process: its own `Database` (engine, connections) on the one
SQLite file, in its own thread with its own event loop, all on one virtual clock.
"""

from __future__ import annotations

import asyncio
import bisect
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from podtui.db import Database
from podtui.services.connections.rate_limits import HEADROOM, SharedRateLimiter
from tests.services.connections.virtual_time import VirtualTime

NAME = "vendor:1"


def most_in_any_window(grants: list[float], window: float) -> int:
    """The most grants in any half-open window [t, t + window) (one starting at each grant)."""
    ordered = sorted(grants)
    return max(bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered))


def run_senders(
    url: str,
    *,
    senders: int,
    per_minute: float,
    burst: int,
    seconds: float,
    tasks: int = 1,
) -> list[list[float]]:
    """`senders` limiters (threads, each its own Database) taking turns for `seconds`."""
    clock = VirtualTime(senders)
    grants: list[list[float]] = [[] for _ in range(senders)]
    errors: list[BaseException] = []
    until = clock.time() + seconds

    def sender(k: int) -> None:
        db = Database(url)
        limiter = SharedRateLimiter(
            db, NAME, per_minute, burst=burst, clock=clock.time, sleep=clock.sleep
        )

        async def one() -> None:
            while clock.time() < until:
                await limiter.acquire()
                grants[k].append(clock.time())

        async def main() -> None:
            await asyncio.gather(*(one() for _ in range(tasks)))

        try:
            asyncio.run(main())
        except BaseException as exc:
            errors.append(exc)
        finally:
            db.dispose()
            clock.finished()

    threads = [threading.Thread(target=sender, args=(k,)) for k in range(senders)]
    for thread in threads:
        thread.start()
    clock.run()
    for thread in threads:
        thread.join()
    assert errors == []
    return grants


@pytest.mark.parametrize("burst", [1, 3])
def test_two_limiters_on_one_database_never_grant_more_than_the_rate(
    db: Database, burst: int
) -> None:
    grants = run_senders(db.url, senders=2, per_minute=60, burst=burst, seconds=180)
    every = [t for mine in grants for t in mine]
    # Paced a burst and 3 % under the rate: never more than that in any minute...
    pace = 60 * HEADROOM - burst
    assert most_in_any_window(every, 60.0) <= int(pace) + burst <= 60 * HEADROOM
    assert most_in_any_window(every, 1.0) <= burst
    # ... and the two together still get all of that pace, each a share of it.
    assert len(every) >= int(pace * 3)
    assert all(len(mine) >= 10 for mine in grants), [len(mine) for mine in grants]


def test_three_senders_with_concurrent_workers_share_one_rate(db: Database) -> None:
    grants = run_senders(db.url, senders=3, per_minute=120, burst=2, seconds=120, tasks=3)
    every = [t for mine in grants for t in mine]
    pace = 120 * HEADROOM - 2
    assert most_in_any_window(every, 60.0) <= int(pace) + 2 <= 120 * HEADROOM
    assert len(every) >= int(pace * 2)


def test_a_retry_after_told_to_one_sender_holds_every_sender(db: Database) -> None:
    clock = VirtualTime(workers=1)
    first = SharedRateLimiter(db, NAME, 600, burst=5, clock=clock.time, sleep=clock.sleep)
    other_db = Database(db.url)  # another process on the same file
    second = SharedRateLimiter(other_db, NAME, 600, burst=5, clock=clock.time, sleep=clock.sleep)
    start = clock.time()
    seen: list[float] = []

    async def main() -> None:
        await first.acquire()
        first.pause(30.0)  # the vendor answered 429 with Retry-After: 30
        await first.acquire()  # the pause is written with the next turn
        seen.append(clock.time())
        await second.acquire()
        seen.append(clock.time())

    def worker() -> None:
        try:
            asyncio.run(main())
        finally:
            clock.finished()

    thread = threading.Thread(target=worker)
    thread.start()
    clock.run()
    thread.join()
    other_db.dispose()
    assert seen[0] >= start + 30.0
    assert seen[1] >= start + 30.0 + 0.1  # one turn after the pause, at 10 a second


def test_the_limit_is_one_row_per_name_in_the_database(db: Database, tmp_path: Path) -> None:
    clock = VirtualTime(workers=1)
    limiter = SharedRateLimiter(db, "vendor:7", 60, clock=clock.time, sleep=clock.sleep)

    def worker() -> None:
        try:
            asyncio.run(limiter.acquire())
        finally:
            clock.finished()

    thread = threading.Thread(target=worker)
    thread.start()
    clock.run()
    thread.join()
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT name, next_free FROM rate_limit")).all()
    assert rows == [("vendor:7", pytest.approx(clock.time() + 1.0))]
