"""Sync orders from the stores: import all, a date range, some ids, or what changed since last time.

One store's sync walks the adapter's pages; each page is upserted in its own transaction (in a
worker thread, so the next pages keep downloading meanwhile), which keeps a long import's progress
when it breaks half way: syncing again picks up where it stopped, since upserts are idempotent.
The store's cursor (the newest change seen) moves only when a listing went through to the end, so
an incremental sync after a failure asks again for everything it may have missed.
Success or failure is written on the store row (last sync, last success, the error, how many syncs
in a row failed) for the TUI's warning.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime

import httpx
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from podtui.adapters.http import ApiError
from podtui.adapters.redact import scrub
from podtui.adapters.stores.base import OrderPage, RawReader, StoreAdapter
from podtui.db import Database
from podtui.domain.errors import DomainError, NotFoundError
from podtui.domain.models import Order, Store, utcnow
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.stores import open_adapter
from podtui.services.sync.context import SyncContext, SyncOptions, SyncReport, as_utc
from podtui.services.sync.store_notes import read_store_notes
from podtui.services.sync.tracking_push import push_tracking
from podtui.services.sync.upsert import apply_deferred, upsert_page

Progress = Callable[[SyncReport, int | None], None]  # report so far, pages expected (or None)
# The ordinary sync (incremental, after a first import) reads the store's notes of the orders it
# changed; ctrl+r reads one order's; a full import, a range or ids read none.
NOTES_MODES = ("incremental",)

__all__ = [
    "SyncOptions",
    "SyncReport",
    "find_stores",
    "sync_store",
    "sync_store_async",
    "sync_stores",
]


def find_stores(db: Database, names: Sequence[str] | None = None) -> list[Store]:
    """The stores to sync: those named (NotFoundError for an unknown name), else every store."""
    with db.read() as session:
        stores = list(session.exec(select(Store).order_by(col(Store.name))).all())
    if not names:
        return stores
    by_name = {s.name.casefold(): s for s in stores}
    missing = [n for n in names if n.casefold() not in by_name]
    if missing:
        known = ", ".join(s.name for s in stores) or "none yet"
        raise NotFoundError(f"No store named {', '.join(missing)} (stores: {known})")
    return [by_name[n.casefold()] for n in names]


async def _pages(
    adapter: StoreAdapter, store: Store, options: SyncOptions
) -> AsyncIterator[OrderPage]:
    if options.mode == "ids":
        yield await adapter.get_orders(list(options.ids))
        return
    if options.mode == "since":
        listing = adapter.list_orders(created_from=options.since, created_to=options.until)
    elif options.mode == "incremental" and store.sync_cursor:
        listing = adapter.list_orders(cursor=store.sync_cursor)
    else:
        listing = adapter.list_orders()
    async for page in listing:
        yield page


def _newer_cursor(old: str | None, new: str | None) -> str | None:
    if not new:
        return old
    if not old:
        return new
    try:
        a, b = as_utc(datetime.fromisoformat(old)), as_utc(datetime.fromisoformat(new))
    except ValueError:
        return new
    assert a is not None and b is not None
    return new if b >= a else old


def _finish(db: Database, report: SyncReport, moves_cursor: bool) -> None:
    """Write how the sync went on the store row."""
    now = utcnow()
    with db.write() as session:
        store = session.get(Store, report.store_id, populate_existing=True)
        if store is None:
            return
        store.last_sync_at = now
        if report.ok:
            store.last_sync_ok_at = now
            store.last_sync_error = None
            store.sync_failures = 0
            if moves_cursor:
                store.sync_cursor = _newer_cursor(store.sync_cursor, report.cursor)
        else:
            store.last_sync_error = report.error
            store.sync_failures = (store.sync_failures or 0) + 1
        report.failures_in_row = store.sync_failures
        session.add(store)


async def _next_page(
    pages: AsyncIterator[OrderPage], stop: asyncio.Event | None
) -> OrderPage | None:
    """The next page, or None when `stop` was set first (the page being fetched is dropped)."""
    if stop is None:
        return await anext(pages)
    if stop.is_set():
        return None
    fetch = asyncio.ensure_future(anext(pages))
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not stop.is_set():
        return fetch.result()
    fetch.cancel()
    with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
        await fetch
    return None


def _write_page(db: Database, ctx: SyncContext, page: OrderPage) -> None:
    """Upsert one page; once more if another process inserted one of its orders meanwhile.

    (On SQLite the write transaction starts IMMEDIATE, so that race cannot happen; on PostgreSQL
    the unique (store, store order id) refuses the second insert, and the retry sees the row.)
    """
    report = ctx.report
    tally = dataclasses.replace(report, problem_reasons=list(report.problem_reasons))
    try:
        with db.write() as session:
            upsert_page(session, ctx, list(page.orders), list(page.problems))
    except IntegrityError:
        for f in dataclasses.fields(tally):  # the counts of the attempt that was rolled back
            setattr(report, f.name, getattr(tally, f.name))
        with db.write() as session:
            upsert_page(session, ctx, list(page.orders), list(page.problems))


def _touched_orders(db: Database, ctx: SyncContext) -> list[tuple[int, str, str]]:
    """(order id, store order id, name) of the orders this sync inserted or changed."""
    wanted = list(ctx.touched)
    with db.read() as session:
        rows = session.exec(
            select(Order.id, Order.store_order_id, Order.name).where(
                Order.store_id == ctx.store_id, col(Order.store_order_id).in_(wanted)
            )
        ).all()
    by_key = {key: (int(i), key, name) for i, key, name in rows if i is not None}
    return [by_key[k] for k in wanted if k in by_key]


def _write_deferred(db: Database, ctx: SyncContext) -> None:
    with db.write() as session:
        apply_deferred(session, ctx)


async def sync_store_async(
    db: Database,
    store: Store,
    options: SyncOptions | None = None,
    *,
    adapter: StoreAdapter | None = None,
    reach: Reach = REAL,
    transport: httpx.AsyncBaseTransport | None = None,
    on_progress: Progress | None = None,
    push: bool = False,
    stop: asyncio.Event | None = None,
) -> SyncReport:
    """Sync one store (then carry tracking to it, with `push`); failures land in `error`.

    Setting `stop` ends it at once: the page in flight is dropped, those written stay (each
    page is whole), `report.stopped` says so, and the store's cursor does not move.
    """
    options = options or SyncOptions()
    started = time.perf_counter()
    with db.read() as session:
        fresh = session.get(Store, store.id)
        if fresh is None:
            raise NotFoundError(f"Store {store.name!r} no longer exists.")
        store = fresh
        ctx = SyncContext.load(session, store, options)
    report = ctx.report
    own_adapter = adapter is None
    try:
        if adapter is None:
            adapter = open_adapter(store, reach=reach, transport=transport)
        ctx.parse_raw = adapter.parse_raw if isinstance(adapter, RawReader) else None
        pages = _pages(adapter, store, options)
        while True:
            waited = time.perf_counter()
            try:
                page = await _next_page(pages, stop)
            except StopAsyncIteration:
                break
            finally:
                report.wait_seconds += time.perf_counter() - waited
            if page is None:
                report.stopped = True
                break
            await asyncio.to_thread(_write_page, db, ctx, page)
            report.cursor = page.cursor or report.cursor
            report.drafts_skipped += page.drafts_skipped
            if on_progress is not None:
                on_progress(report, page.total_pages)
        if ctx.deferred and not report.stopped:
            await asyncio.to_thread(_write_deferred, db, ctx)
        if options.mode in NOTES_MODES and store.sync_cursor and ctx.touched and not report.stopped:
            orders = await asyncio.to_thread(_touched_orders, db, ctx)
            report.store_notes, unread = await read_store_notes(db, adapter, orders)
            report.problem_reasons += unread
        if push and not report.stopped:
            pushed = await push_tracking(db, ctx.store_id, adapter)
            report.tracking_pushed, report.tracking_failed = pushed.pushed, pushed.failed
            report.problem_reasons += pushed.messages
    except ApiError as exc:
        report.error = str(exc)
    except DomainError as exc:
        report.error = str(exc)
    except Exception as exc:  # a bug must not stop the other stores' syncs; it is recorded
        report.error = f"{type(exc).__name__}: {exc}"
    finally:
        if own_adapter and adapter is not None:
            await adapter.aclose()
        report.seconds = time.perf_counter() - started
    # What the store said goes on the store row and the screen: never a secret it echoed.
    report.error = None if report.error is None else scrub(report.error)
    report.problem_reasons = [scrub(r) for r in report.problem_reasons]
    moves_cursor = options.mode in ("incremental", "all") and not report.stopped
    _finish(db, report, moves_cursor=moves_cursor)
    return report


def sync_store(
    db: Database, store: Store, options: SyncOptions | None = None, **kw: object
) -> SyncReport:
    """`sync_store_async` for callers without an event loop (the CLI, a worker thread)."""
    return asyncio.run(sync_store_async(db, store, options, **kw))  # type: ignore[arg-type]


def resync_order(db: Database, order_id: int, **kw: object) -> SyncReport:
    """Pull one order from its store again (the details screen's re-sync key).

    The same upsert as every sync, so the store's changes land on the timeline and the operator's
    local edits are kept beside the store's values. A store that fails raises with its reason.
    """
    with db.read() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFoundError(f"Order {order_id} does not exist.")
        store = session.get(Store, order.store_id)
        if store is None:
            raise NotFoundError(f"The store of order {order.name} no longer exists.")
        name, store_order_id = order.name, order.store_order_id
    report = sync_store(db, store, SyncOptions(mode="ids", ids=(store_order_id,)), **kw)
    if report.error is not None:
        raise DomainError(f"Re-sync of {name} from {store.name} failed: {report.error}")
    if report.problems:
        raise DomainError(
            f"{store.name} sent order {name} in a shape podtui cannot read; see the sync "
            f"problems (y): {'; '.join(report.problem_reasons)}"
        )
    return report


def sync_stores(
    db: Database,
    names: Sequence[str] | None = None,
    options: SyncOptions | None = None,
    *,
    on_progress: Progress | None = None,
    on_start: Callable[[Store], None] | None = None,
    push: bool = False,
    reach: Reach = REAL,
) -> list[SyncReport]:
    """Sync the named stores (all when none), one after the other; a failure does not stop them."""
    reports = []
    for store in find_stores(db, names):
        if on_start is not None:
            on_start(store)
        reports.append(
            asyncio.run(
                sync_store_async(
                    db, store, options, on_progress=on_progress, push=push, reach=reach
                )
            )
        )
    return reports
