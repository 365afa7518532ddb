"""Runs the order list's reads on plain DB-API connections, from worker threads, never the UI's.

SQLite reads use the standard library's `sqlite3` on a small pool of read-only connections
(WAL lets them read while another process writes); PostgreSQL reads borrow raw connections from
SQLAlchemy's pool. `ChangeWatcher` tells the list when another connection committed, cheaply.
"""

from __future__ import annotations

import contextlib
import json
import queue
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from podtui.domain.order_status import order_state
from podtui.domain.status import ItemStatus
from podtui.services.listing import query as order_query
from podtui.services.listing.query import (
    ITEM_COLUMNS,
    OPEN_STATUSES,
    ORDER_COLUMNS,
    POSTGRESQL,
    RANKED_SORTS,
    SQLITE,
    TABS,
    Dialect,
    ListQuery,
    ListRow,
    Lookups,
    MarkSet,
    Resolved,
    Sql,
    WindowRequest,
    can_walk,
    count_sql,
    due_offset_sql,
    indexed_where,
    item_where,
    late_counts_sql,
    marks_count_sql,
    marks_where,
    parse_ts,
    place_text,
    resolve,
    row_checks,
    status_counts_sql,
    submit_text,
    window_sql,
)
from podtui.services.listing.ranked import Segment, ranked_window, segment_groups

READ_CACHE_KIB = 8192  # per pooled connection: a window touches a few dozen pages, and a
# count scanning an index gains little from keeping it (the OS caches the file anyway)


class Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


def sqlite_path(url: str) -> Path | None:
    """The file of a `sqlite:///` URL, or None for any other database."""
    for prefix in ("sqlite+pysqlite:///", "sqlite:///"):
        if url.startswith(prefix):
            path = url[len(prefix) :].split("?", 1)[0]
            return Path(path) if path and path != ":memory:" else None
    return None


def _contains(haystack: str | None, needle: str | None) -> bool:
    return haystack is not None and needle is not None and needle in haystack.lower()


def _search(needle: str | None, *haystacks: str | None) -> bool:
    return needle is not None and any(h is not None and needle in h.lower() for h in haystacks)


def _connect_sqlite(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
    # The per-row twin of the trigram index's case-insensitive substring match.
    conn.create_function("podtui_contains", 2, _contains, deterministic=True)
    conn.create_function("podtui_search", -1, _search, deterministic=True)  # the search box's
    conn.execute("PRAGMA query_only=1")
    conn.execute(f"PRAGMA cache_size=-{READ_CACHE_KIB}")
    # Sorts too big for the cache go to a temporary file, not the heap: RSS stays bounded.
    conn.execute("PRAGMA temp_store=FILE")
    return conn


@dataclass(frozen=True)
class WindowResult:
    """Rows of one window, in list order; `exhausted` says the fetch reached the list's end."""

    rows: list[ListRow]
    exhausted: bool


@dataclass(frozen=True)
class TabCounts:
    """Per tab id: how many items it shows, and how many of them are past their store's promise
    (`late`, empty when no promise was asked about)."""

    items: dict[str, int]
    late: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BreakdownRow:
    vendor_id: int | None
    status: ItemStatus
    count: int


class ListReader:
    """The order list's read side: windows, counts, marks, lookups, for one database."""

    POOL_SIZE = 4

    def __init__(self, url: str, engine: Any | None = None) -> None:
        self.url = url
        self._path = sqlite_path(url)
        self._engine = engine
        if self._path is None and engine is None:
            from podtui.db import make_engine  # PostgreSQL only: SQLite never pays the import

            self._engine = make_engine(url)
        self.dialect: Dialect = SQLITE if self._path is not None else POSTGRESQL
        self._pool: queue.LifoQueue[Any] = queue.LifoQueue()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False
        self._lookups: Lookups | None = None
        self.turnaround_days: dict[str, float] = {}  # store name -> promised days (config)

    # -- connections --------------------------------------------------------------------------

    def _new_connection(self) -> Any:
        if self._path is not None:
            return _connect_sqlite(self._path)
        assert self._engine is not None
        conn = self._engine.raw_connection()
        # Reads only, and no transaction left open between windows: autocommit on the driver's
        # own connection (the pool's proxy would only take the attribute for itself).
        conn.driver_connection.autocommit = True
        # Like SQLite's query_only: a read connection can never write, whatever runs on it.
        conn.driver_connection.execute("SET default_transaction_read_only = on")
        return conn

    def listen(self, channel: str) -> Any:
        """PostgreSQL: a connection of its own (outside the pool) LISTENing on `channel`."""
        assert self._engine is not None and not self.dialect.is_sqlite
        proxy = self._engine.raw_connection()
        conn = proxy.driver_connection
        proxy.detach()  # kept for as long as the watcher lives, never handed back to the pool
        conn.autocommit = True
        conn.execute(f"LISTEN {channel}")
        return conn

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A pooled read connection for the calling thread's use."""
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._new_connection()
            with self._lock:
                self._all.append(conn)
        try:
            yield conn
        finally:
            with self._lock:
                keep = not self._closed and self._pool.qsize() < self.POOL_SIZE
                if keep:
                    self._pool.put(conn)
                else:
                    self._all.remove(conn)
            if not keep:
                conn.close()

    @contextmanager
    def snapshot(self) -> Iterator[Cursor]:
        """A cursor whose statements all read one consistent state of the database."""
        with self.connection() as conn:
            cur = conn.cursor()
            cur.execute("BEGIN" if self.dialect.is_sqlite else "BEGIN READ ONLY")
            try:
                yield cur
            finally:
                cur.execute("COMMIT")
                cur.close()

    def _all_rows(self, sql: str, params: Sequence[Any]) -> list[Any]:
        with self.connection() as conn:
            cur = conn.cursor()
            try:
                cur.execute(sql, params)
                return list(cur.fetchall())
            finally:
                cur.close()

    def close(self) -> None:
        """Close the idle connections; one a worker is reading on closes when it is handed
        back (closing an SQLite connection under a running statement crashes the process)."""
        idle: list[Any] = []
        with self._lock:
            self._closed = True
            with contextlib.suppress(queue.Empty):
                while True:
                    idle.append(self._pool.get_nowait())
            for conn in idle:
                self._all.remove(conn)
        for conn in idle:
            with contextlib.suppress(Exception):  # closing at exit: nothing to do about it
                conn.close()
        if self._path is None and self._engine is not None:
            self._engine.dispose()

    # -- lookups ------------------------------------------------------------------------------

    def lookups(self, *, fresh: bool = False) -> Lookups:
        """Vendors and stores, cached until `fresh` (the list asks again when the db changes)."""
        if self._lookups is None or fresh:
            vendors = {
                row[0]: (row[1], row[2])
                for row in self._all_rows("SELECT id, name, kind FROM vendor ORDER BY name", ())
            }
            stores = {row[0]: row[1] for row in self._all_rows("SELECT id, name FROM store", ())}
            self._lookups = Lookups(vendors=vendors, stores=stores)
        return self._lookups

    def cached_lookups(self) -> Lookups:
        """The lookups read so far, without touching the database (safe on the UI thread)."""
        return self._lookups or Lookups()

    def resolve(self, query: ListQuery, now: datetime) -> Resolved:
        return resolve(query, self.lookups(), now)

    def sources(self) -> list[str]:
        """The order sources present in the database (for the filter panel's picker)."""
        rows = self._all_rows('SELECT DISTINCT source FROM "order" ORDER BY source', ())
        return [row[0] for row in rows if row[0]]

    # -- windows ------------------------------------------------------------------------------

    def window(
        self, r: Resolved, req: WindowRequest, marks_base: Resolved | None = None
    ) -> WindowResult:
        """Fetch one window of rows; with `marks_base`, say per item whether `*` marked it."""
        if r.sort in RANKED_SORTS and not r.per_order:
            groups = segment_groups(r, self.lookups(), self.turnaround_days)

            def fetch(part: Resolved, inner: WindowRequest) -> tuple[list[ListRow], bool]:
                got = self._window(part, inner, marks_base)
                return got.rows, got.exhausted

            def merged_offset(group: list[Segment], offset: int, limit: int) -> list[ListRow]:
                days = [
                    (seg.resolved.store_ids[0], seg.shift / timedelta(days=1))
                    for seg in group
                    if seg.resolved.store_ids
                ]
                every = replace(group[0].resolved, store_ids=tuple(s for s, _ in days))
                sql, params = due_offset_sql(self.dialect, every, days, offset, limit, marks_base)
                found = self._all_rows(sql, params)
                lookups, with_base = self.lookups(), marks_base is not None
                return [self._item_row(rec, with_base, lookups) for rec in found]

            rows, exhausted = ranked_window(
                self.dialect, groups, req, r.descending, fetch, self.count, merged_offset
            )
            return WindowResult(rows=rows, exhausted=exhausted)
        return self._window(r, req, marks_base)

    def _window(self, r: Resolved, req: WindowRequest, marks_base: Resolved | None) -> WindowResult:
        lookups = self.lookups()
        with self.snapshot() as cur:
            raw: list[Any] = []
            if can_walk(r, req):
                # A short walk first (a common match fills the window from it at once),
                # then the long one; a rare match then drives from its own index.
                longest = order_query.WALK_ROWS
                for bound in (min(longest, max(400, 8 * req.limit)), longest):
                    sql, params, backwards = window_sql(
                        self.dialect, r, req, marks_base, walk=True, walk_rows=bound
                    )
                    cur.execute(sql, params)
                    raw = list(cur.fetchall())
                    if len(raw) >= req.limit:
                        break
            if len(raw) < req.limit:  # not walked, or the walk fell short: drive from the matches
                sql, params, backwards = window_sql(self.dialect, r, req, marks_base)
                cur.execute(sql, params)
                raw = list(cur.fetchall())
            if r.per_order:
                rows = self._order_rows(cur, r, raw, marks_base, lookups)
            else:
                rows = [self._item_row(rec, marks_base is not None, lookups) for rec in raw]
        if backwards:
            rows.reverse()
        return WindowResult(rows=rows, exhausted=len(raw) < req.limit)

    def _item_row(self, rec: Sequence[Any], with_base: bool, lookups: Lookups) -> ListRow:
        (item_id, order_id, title, variant, qty, status, vendor_id, submitted_at, auto_at,
         created, version, archived, name, customer, city, state, country, total, currency,
         payment, source, test, store_id) = rec[:23]  # fmt: skip
        n = 23
        in_base = False
        if with_base:
            in_base = bool(rec[n])
            n += 1
        st = ItemStatus(status)
        return ListRow(
            key=tuple(rec[n:]),
            order_id=order_id,
            item_ids=(item_id,),
            base_ids=frozenset((item_id,)) if in_base else frozenset(),
            order_name=name,
            created_at=parse_ts(created),
            title=title,
            variant=variant,
            quantity=qty,
            status=st,
            status_text=st.label,
            customer=customer,
            place=place_text(city, state, country),
            total=total,
            currency=currency,
            payment_method=payment,
            vendor_id=vendor_id,
            vendor=lookups.vendor_name(vendor_id),
            source=source,
            submit=submit_text(st, submitted_at),
            auto_submit_at=parse_ts(auto_at)
            if auto_at is not None and st is ItemStatus.READY
            else None,
            version=version,
            archived=bool(archived),
            test=bool(test),
            store_id=store_id,
            late_at=self._late_at(store_id, st, created, lookups),
        )

    def _late_at(
        self, store_id: int | None, status: ItemStatus, created: Any, lookups: Lookups
    ) -> datetime | None:
        days = self.turnaround_days.get(lookups.stores.get(store_id or -1, ""))
        if days is None or status not in OPEN_STATUSES:
            return None
        return parse_ts(created) + timedelta(days=days)

    def _late_cutoffs(self, now: datetime) -> list[tuple[int, datetime]]:
        """(store id, cutoff) for each store that promises a turnaround: older items are late."""
        by_name = {name: sid for sid, name in self.lookups().stores.items()}
        return [
            (by_name[name], now - timedelta(days=days))
            for name, days in self.turnaround_days.items()
            if name in by_name
        ]

    def _order_rows(
        self,
        cur: Cursor,
        r: Resolved,
        raw: list[Any],
        marks_base: Resolved | None,
        lookups: Lookups,
    ) -> list[ListRow]:
        if not raw:
            return []
        sql = Sql(self.dialect)
        base_col = ""
        if marks_base is not None:
            base_col = f", CASE WHEN ({item_where(sql, marks_base)}) THEN 1 ELSE 0 END"
        ids = sql.in_ids("i.order_id", [rec[0] for rec in raw])
        # Checked row by row: these orders hold a handful of items, and the title index's
        # match list would be far bigger. (After `ids`: parameters follow the text's order.)
        cond = " AND ".join([*indexed_where(sql, r), row_checks(sql, r)]) or "1 = 1"
        cur.execute(
            f"SELECT {ITEM_COLUMNS}, {ORDER_COLUMNS}{base_col} "
            f'FROM order_item i JOIN "order" o ON o.id = i.order_id WHERE {ids} AND {cond} '
            "ORDER BY i.id",
            sql.params,
        )
        items: dict[int, list[ListRow]] = {}
        for rec in cur.fetchall():
            row = self._item_row(rec, marks_base is not None, lookups)
            items.setdefault(row.order_id, []).append(row)
        # The order's status folds all of its produced items, not just those the filter shows.
        every = Sql(self.dialect)
        of_orders = every.in_ids("order_id", [rec[0] for rec in raw])
        produced = every.p(every.d.flag(True))
        cur.execute(
            f"SELECT order_id, status FROM order_item WHERE {of_orders} AND managed = {produced}",
            every.params,
        )
        statuses: dict[int, list[ItemStatus]] = {}
        for order_id, status in cur.fetchall():
            statuses.setdefault(order_id, []).append(ItemStatus(status))
        rows: list[ListRow] = []
        for rec in raw:
            order_id = rec[0]
            its = items.get(order_id, [])
            if not its:
                continue  # changed between the two reads; the next refresh settles it
            first = its[0]
            state = order_state(statuses.get(order_id, []), archived=first.archived)
            title = first.title if len(its) == 1 else f"{first.title} +{len(its) - 1} more"
            vendors = sorted({it.vendor for it in its if it.vendor})
            rows.append(
                ListRow(
                    key=tuple(rec[2:]),
                    order_id=order_id,
                    item_ids=tuple(it.item_ids[0] for it in its),
                    base_ids=frozenset().union(*(it.base_ids for it in its)),
                    order_name=first.order_name,
                    created_at=parse_ts(rec[1]),
                    title=title,
                    variant=first.variant if len(its) == 1 else "",
                    quantity=sum(it.quantity for it in its),
                    status=None,
                    status_text=state.short(),
                    customer=first.customer,
                    place=first.place,
                    total=first.total,
                    currency=first.currency,
                    payment_method=first.payment_method,
                    vendor_id=first.vendor_id,
                    vendor=", ".join(vendors),
                    source=first.source,
                    submit="Failed"
                    if any(it.submit == "Failed" for it in its)
                    else ("Submitted" if all(it.submit for it in its) else ""),
                    auto_submit_at=min(
                        (it.auto_submit_at for it in its if it.auto_submit_at), default=None
                    ),
                    version=sum(it.version for it in its),
                    archived=first.archived,
                    test=first.test,
                    store_id=first.store_id,
                    late_at=min((it.late_at for it in its if it.late_at), default=None),
                )
            )
        return rows

    # -- counts -------------------------------------------------------------------------------

    def count(self, r: Resolved) -> int:
        sql, params = count_sql(self.dialect, r)
        return int(self._all_rows(sql, params)[0][0])

    def tab_counts(self, r: Resolved, now: datetime | None = None) -> TabCounts:
        """Items per tab under the filter `r` (seen without a tab): All, each status, Archived;
        with `now`, also how many of them are late per tab (see late_counts_sql)."""
        sql, params = status_counts_sql(self.dialect, r)
        per_status: dict[str, int] = {}
        for status, n in self._all_rows(sql, params):
            per_status[status] = per_status.get(status, 0) + int(n)
        items = {tab.id: per_status.get(tab.id, 0) for tab in TABS if tab.status is not None}
        items["all"] = sum(items.values())
        archived_tab = TABS[-1]
        items["archived"] = (
            items["all"] if r.archived == "only" else self.count(r.for_tab(archived_tab))
        )
        found = self._late_per_status(r, now) if now is not None else {}
        late = {tab.id: found.get(tab.id, 0) for tab in TABS if tab.status is not None}
        late["all"] = sum(found.values())
        late["archived"] = 0  # an archived order is nobody's work: never late
        return TabCounts(items, late)

    def _late_per_status(self, r: Resolved, now: datetime) -> dict[str, int]:
        """Open items under `r` past their store's promise, per status (archived and unmanaged
        items are nobody's work: never late)."""
        cutoffs = self._late_cutoffs(now)
        wanted = [s.value for s in OPEN_STATUSES if r.statuses is None or s.value in r.statuses]
        if not cutoffs or not wanted or r.archived == "only" or r.unmanaged == "only":
            return {}
        narrowed = replace(r, statuses=tuple(wanted), archived="hide", unmanaged="hide")
        sql, params = late_counts_sql(self.dialect, narrowed, cutoffs)
        late: dict[str, int] = {}
        for status, n in self._all_rows(sql, params):
            late[status] = late.get(status, 0) + int(n)
        return late

    def count_marks(self, marks: MarkSet) -> int:
        if marks.base is None and not marks.included:
            return 0
        sql, params = marks_count_sql(self.dialect, marks)
        return int(self._all_rows(sql, params)[0][0])

    def count_marks_where(
        self, marks: MarkSet, extra_where: str, extra_params: Sequence[Any]
    ) -> int:
        """Marked items that also meet `extra_where` (SQL on `order_item AS i`)."""
        sql = Sql(self.dialect)
        text = (
            f"SELECT count(*) FROM order_item i WHERE ({marks_where(sql, marks)}) "
            f"AND ({extra_where})"
        )
        return int(self._all_rows(text, [*sql.params, *extra_params])[0][0])

    def count_marks_hidden(self, marks: MarkSet, shown: Resolved) -> int:
        """Marked items the list does not show under `shown` (marked, then filtered away)."""
        if marks.is_empty:
            return 0
        sql = Sql(self.dialect)
        return self.count_marks_where(marks, f"NOT ({item_where(sql, shown)})", sql.params)

    def marks_breakdown(self, marks: MarkSet) -> list[BreakdownRow]:
        """Marked items counted per (vendor, status): what a bulk action's question is made of."""
        sql = Sql(self.dialect)
        text = (
            "SELECT i.vendor_id, i.status, count(*) FROM order_item i "
            f"WHERE {marks_where(sql, marks)} GROUP BY i.vendor_id, i.status"
        )
        return [
            BreakdownRow(row[0], ItemStatus(row[1]), int(row[2]))
            for row in self._all_rows(text, sql.params)
        ]

    def iter_marked_ids(
        self,
        marks: MarkSet,
        extra_where: str = "",
        extra_params: Sequence[Any] = (),
        *,
        column: str = "i.id",
        chunk: int = 2000,
    ) -> Iterator[list[int]]:
        """The marked ids (or their order ids, with `column`), in chunks, by keyset on the id."""
        last = -1
        while True:
            sql = Sql(self.dialect)
            cond = marks_where(sql, marks)
            params = [*sql.params, *extra_params]
            where = f"({cond})" + (f" AND ({extra_where})" if extra_where else "")
            ph = self.dialect.placeholder
            text = (
                f"SELECT DISTINCT {column} FROM order_item i WHERE {where} AND {column} > {ph} "
                f"ORDER BY {column} LIMIT {ph}"
            )
            ids = [int(row[0]) for row in self._all_rows(text, [*params, last, chunk])]
            if not ids:
                return
            yield ids
            if len(ids) < chunk:
                return
            last = ids[-1]

    # -- single rows --------------------------------------------------------------------------

    def item_reason(self, item_id: int) -> str | None:
        """Why a failed or held item is where it is, as the vendor or operator said it."""
        ph = self.dialect.placeholder
        with self.snapshot() as cur:
            cur.execute(f"SELECT status, hold_reason FROM order_item WHERE id = {ph}", [item_id])
            row = cur.fetchone()
            if row is None:
                return None
            status = ItemStatus(row[0])
            if status is ItemStatus.ON_HOLD:
                return row[1] or "On hold (no reason given)"
            if status is not ItemStatus.FAILED:
                return None
            cur.execute(
                "SELECT s.error_code, s.error_message, s.http_status FROM submission s "
                f"JOIN submission_item si ON si.submission_id = s.id WHERE si.item_id = {ph} "
                "ORDER BY s.id DESC LIMIT 1",
                [item_id],
            )
            sub = cur.fetchone()
            cur.execute(
                f"SELECT type, params FROM event WHERE item_id = {ph} AND type IN ({ph}, {ph}) "
                "ORDER BY id DESC LIMIT 1",
                [item_id, "reason_resolved", "submit_failed"],
            )
            newest = cur.fetchone()
            if newest is not None and newest[0] == "reason_resolved":
                fixed = json.loads(newest[1]) if isinstance(newest[1], str) else newest[1]
                label = (fixed or {}).get("label") or "refused field"
                from podtui.domain.rejection import resolved_note

                return resolved_note(label)
            if sub is not None and (sub[0] or sub[1]):
                code = f" [{sub[0]}]" if sub[0] else ""
                http = f" (HTTP {sub[2]})" if sub[2] else ""
                return f"{sub[1] or 'no message'}{code}{http}"
            cur.execute(
                f"SELECT params FROM event WHERE item_id = {ph} AND to_status = {ph} "
                "ORDER BY id DESC LIMIT 1",
                [item_id, status.value],
            )
            ev = cur.fetchone()
        params = ev[0] if ev else None
        if isinstance(params, str):
            params = json.loads(params)
        if isinstance(params, dict):
            for key in ("reason", "error", "message"):
                if params.get(key):
                    return str(params[key])
        return "Failed (the vendor gave no reason)"

    def find_orders(self, text: str, limit: int = 20) -> list[tuple[int, str, str]]:
        """Orders whose name starts with `text` (or whose store id is it): (id, name, customer)."""
        bare = text.strip().lstrip("#")
        if not bare:
            return []
        named = "#" + bare
        ph = self.dialect.placeholder
        end = named[:-1] + chr(ord(named[-1]) + 1)
        rows = self._all_rows(
            f'SELECT id, name, customer_name FROM "order" WHERE (name >= {ph} AND name < {ph}) '
            f"OR store_order_id = {ph} ORDER BY name LIMIT {ph}",
            [named, end, bare, limit],
        )
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


CHANGES_CHANNEL = "podtui_changes"  # notified by migration 0011's triggers, once per commit


class ChangeWatcher:
    """Says whether any other connection committed since the last look, without a query.

    SQLite: `PRAGMA data_version` moves when another connection commits to the file.
    PostgreSQL: a connection of its own LISTENs on `podtui_changes`, which the triggers of
    migration 0011 notify once per committed transaction that touched orders, items or events,
    from any machine; a look drains what arrived. A lost connection is reopened, and reopening
    counts as a change (what happened while it was away is unknown).
    """

    def __init__(self, reader: ListReader) -> None:
        self._reader = reader
        self._conn: Any = None
        self._last: int | None = None  # SQLite: data_version at the last look
        self._looked = False  # PostgreSQL: the first look only starts listening

    def _sqlite_changed(self) -> bool:
        if self._conn is None:
            assert self._reader._path is not None
            self._conn = sqlite3.connect(self._reader._path, check_same_thread=False)
        token = int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        if self._last is None:
            self._last = token
            return False
        moved = token != self._last
        self._last = token
        return moved

    def _postgres_changed(self) -> bool:
        fresh = self._conn is None or self._conn.closed
        if fresh:
            self._conn = self._reader.listen(CHANGES_CHANNEL)
        try:
            # One round trip first: every notification committed before this look is then in
            # the connection's backlog (the server signals the listener before the commit
            # returns), so a change made just before a look is never missed. Then take what
            # arrived without waiting for more.
            self._conn.execute("SELECT 1")
            arrived = list(self._conn.notifies(timeout=0))
        except Exception:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
            return True
        first_look, self._looked = not self._looked, True
        return bool(arrived) or (fresh and not first_look)

    def changed(self) -> bool:
        if self._reader.dialect.is_sqlite:
            return self._sqlite_changed()
        return self._postgres_changed()

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None
