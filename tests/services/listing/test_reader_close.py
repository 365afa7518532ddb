"""Closing the list's reader while a worker still reads (the app quitting during a count) must
not close that worker's connection under it: with SQLite that crashed the whole process."""

from __future__ import annotations

import threading

from podtui.db import Database
from podtui.services.listing.reader import ListReader


def test_close_leaves_a_connection_in_use_to_its_reader_and_closes_it_after(
    db: Database,
) -> None:
    reader = ListReader(db.url)
    with reader.connection():
        pass  # one idle connection in the pool
    reading = threading.Event()
    closed = threading.Event()
    seen: list[object] = []

    def worker() -> None:
        with reader.connection() as conn:
            reading.set()
            closed.wait(10)
            cur = conn.cursor()
            cur.execute("SELECT count(*) FROM vendor")  # still open: the close left it
            seen.append(cur.fetchone()[0])
            cur.close()
            seen.append(conn)

    thread = threading.Thread(target=worker)
    thread.start()
    assert reading.wait(10)
    reader.close()
    closed.set()
    thread.join(10)
    assert seen[0] == 0
    conn = seen[1]
    try:  # handed back after the close: closed then, not pooled again
        conn.cursor().execute("SELECT 1")  # type: ignore[attr-defined]
        still_open = True
    except Exception:
        still_open = False
    assert not still_open
    assert reader._pool.qsize() == 0
