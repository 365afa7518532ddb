"""Import orders on request, as the Sync screen asks (`podtui sync --all|--since|--ids` from the
keyboard): the request read and checked before anything runs (a range that ends before it
starts, an order id no store has), then each store synced through the same `sync_store_async`,
with an event per page for a progress bar and a stop that keeps the pages already imported.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Literal

from sqlalchemy import or_
from sqlmodel import col, select

from podtui.adapters.http import ApiError
from podtui.adapters.stores.base import StoreOrderProblem
from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Order, Store
from podtui.domain.wording import count
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.stores import open_adapter
from podtui.services.sync.context import SyncOptions, SyncReport
from podtui.services.sync.pull import find_stores, sync_store_async

ImportMode = Literal["all", "range", "ids"]
MAX_PROBLEM_LINES = 10


@dataclass(frozen=True)
class ImportRequest:
    """Which orders to import, and from which stores (empty: every store)."""

    options: SyncOptions
    stores: tuple[str, ...] = ()

    def describe(self) -> str:
        where = ", ".join(self.stores) if self.stores else "every store"
        o = self.options
        if o.mode == "ids":
            return f"orders {', '.join(o.ids)} from {where}"
        if o.mode == "since" and o.since is not None:
            start = f"{o.since.astimezone():%Y-%m-%d}"
            if o.until is None:
                return f"orders created from {start} on, from {where}"
            last = o.until.astimezone() - timedelta(days=1)
            return f"orders created {start} to {last:%Y-%m-%d}, from {where}"
        return f"every order of {where}"


def _day(text: str, name: str, now: datetime) -> datetime:
    """The start of the local day `text` (YYYY-MM-DD), as an aware time."""
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValidationError(
            f"{text.strip()!r} is not a date like 2026-11-30.",
            {name: "a date like 2026-11-30"},
        ) from None
    return datetime.combine(day, time(), tzinfo=now.astimezone().tzinfo)


def _ids(text: str) -> tuple[str, ...]:
    words = [w.strip().lstrip("#") for w in re.split(r"[\s,;]+", text) if w.strip()]
    if not words:
        raise ValidationError("Type at least one order id.", {"ids": "at least one, like 1042"})
    for word in words:
        if not word.isdigit():
            raise ValidationError(
                f"{word!r} is not an order id (the store's number, like 1042).",
                {"ids": f"'{word}' is not an order id"},
            )
    return tuple(dict.fromkeys(words))


def import_request(
    mode: ImportMode,
    *,
    now: datetime,
    stores: Sequence[str] = (),
    date_from: str = "",
    date_to: str = "",
    ids: str = "",
) -> ImportRequest:
    """Read what the operator typed; ValidationError (naming the field) when it cannot run.

    A range is of whole local days, `date_to` included (empty: up to now).
    """
    if mode == "ids":
        options = SyncOptions(mode="ids", ids=_ids(ids))
    elif mode == "range":
        if not date_from.strip():
            raise ValidationError("Give the first day of the range.", {"date_from": "first day"})
        since = _day(date_from, "date_from", now)
        if since > now:
            raise ValidationError(
                f"The range starts in the future ({since:%Y-%m-%d}): no order is that new yet.",
                {"date_from": "in the future"},
            )
        until = None
        if date_to.strip():
            last = _day(date_to, "date_to", now)
            if last < since:
                raise ValidationError(
                    f"The range ends ({last:%Y-%m-%d}) before it starts ({since:%Y-%m-%d}).",
                    {"date_to": f"{last:%Y-%m-%d} is before it starts"},
                )
            until = last + timedelta(days=1)
        options = SyncOptions(mode="since", since=since, until=until)
    else:
        options = SyncOptions(mode="all")
    return ImportRequest(options, tuple(stores))


@dataclass(frozen=True)
class ImportProgress:
    """Where the import stands: checking ids, or a store's pages imported so far."""

    phase: Literal["checking", "importing"]
    store: str
    store_index: int  # 1-based
    stores: int
    pages: int = 0
    pages_total: int | None = None  # None: the store does not say
    orders: int = 0  # read from this store so far

    def line(self) -> str:
        head = self.store
        if self.stores > 1:
            head += f" ({self.store_index} of {self.stores})"
        if self.phase == "checking":
            return f"{head}: checking the order ids…"
        pages = f"page {self.pages}" + (f" of {self.pages_total}" if self.pages_total else "")
        return f"{head}: {pages} · {count(self.orders, 'order')} read"


@dataclass
class ImportSummary:
    """How the import went: per store, and whether the operator stopped it."""

    reports: list[SyncReport] = field(default_factory=list)
    stopped: bool = False

    @property
    def imported(self) -> int:
        return sum(r.orders_created for r in self.reports)

    @property
    def updated(self) -> int:
        return sum(r.orders_updated for r in self.reports)

    @property
    def problems(self) -> int:
        return sum(r.problems for r in self.reports)

    @property
    def failed(self) -> list[SyncReport]:
        return [r for r in self.reports if not r.ok]

    def headline(self) -> str:
        text = (
            f"Imported {count(self.imported, 'order')}, {self.updated} updated, "
            f"{count(self.problems, 'problem')}"
        )
        if self.stopped:
            text += " (stopped: what came in before is kept)"
        if self.failed:
            text += f"; failed: {', '.join(r.store for r in self.failed)}"
        return text

    def lines(self) -> list[str]:
        """The headline, each store's summary, and the first problems (all are in the list)."""
        out = [self.headline()]
        out += [r.summary() for r in self.reports]
        reasons = [f"{r.store}: {p}" for r in self.reports for p in r.problem_reasons]
        out += reasons[:MAX_PROBLEM_LINES]
        if len(reasons) > MAX_PROBLEM_LINES:
            out.append(f"… and {len(reasons) - MAX_PROBLEM_LINES} more in the sync problems")
        return out


def _missing(problems: Sequence[StoreOrderProblem]) -> set[str]:
    """Ids a store said it lacks: the adapters give those as problems with no payload."""
    return {p.store_order_id for p in problems if not p.raw}


def _known_numbers(db: Database, store_id: int, typed: Sequence[str]) -> dict[str, str]:
    """Typed numbers that name an order podtui has from this store (#1001), to its store id:
    operators know orders by number, and a Shopify order's id is another, longer one."""
    names = [f"#{t}" for t in typed]
    with db.read() as session:
        rows = session.exec(
            select(Order.name, Order.number, Order.store_order_id).where(
                Order.store_id == store_id,
                or_(col(Order.name).in_(names), col(Order.number).in_(list(typed))),
            )
        ).all()
    known: dict[str, str] = {}
    for name, number, store_order_id in rows:
        for t in typed:
            if t not in known and (name == f"#{t}" or number == t):
                known[t] = store_order_id
    return known


class ImportRun:
    """One import: `run()` blocks (call it from a worker thread); `stop()` from any thread."""

    def __init__(
        self,
        db: Database,
        request: ImportRequest,
        *,
        reach: Reach = REAL,
        on_progress: Callable[[ImportProgress], None] | None = None,
    ) -> None:
        self.db = db
        self.request = request
        self.reach = reach
        self.on_progress = on_progress or (lambda _p: None)
        self._stopped = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_now: asyncio.Event | None = None
        self._lock = threading.Lock()
        self._pages = 0  # of the store being imported

    def stop(self) -> None:
        """Stop at once: the page in flight is dropped, those imported stay (each was whole)."""
        with self._lock:
            self._stopped.set()
            if self._loop is not None and self._stop_now is not None:
                with contextlib.suppress(RuntimeError):  # the loop just ended
                    self._loop.call_soon_threadsafe(self._stop_now.set)

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def run(self) -> ImportSummary:
        """Check the request, then import; a DomainError is raised before anything is written."""
        return asyncio.run(self._run())

    async def _run(self) -> ImportSummary:
        with self._lock:
            self._loop = asyncio.get_running_loop()
            self._stop_now = asyncio.Event()
            if self._stopped.is_set():
                self._stop_now.set()
        stores = await asyncio.to_thread(find_stores, self.db, self.request.stores or None)
        if not stores:
            raise DomainError("No stores yet: add one on the Connections screen (C).")
        plan: list[tuple[Store, SyncOptions]] = [(s, self.request.options) for s in stores]
        if self.request.options.mode == "ids":
            plan = await self._check_ids(stores)
        summary = ImportSummary()
        for index, (store, options) in enumerate(plan, start=1):
            if self.stopped:
                break

            def progress(report: SyncReport, pages_total: int | None, index: int = index) -> None:
                self._pages += 1
                self.on_progress(
                    ImportProgress(
                        "importing", report.store, index, len(plan), self._pages, pages_total,
                        report.orders_seen,
                    )
                )  # fmt: skip

            self._pages = 0
            self.on_progress(ImportProgress("importing", store.name, index, len(plan)))
            report = await sync_store_async(
                self.db,
                store,
                options,
                reach=self.reach,
                on_progress=progress,
                stop=self._stop_now,
            )
            summary.reports.append(report)
        summary.stopped = self.stopped
        return summary

    async def _check_ids(self, stores: list[Store]) -> list[tuple[Store, SyncOptions]]:
        """Which store has which of the ids; ValidationError naming those none has."""
        wanted = self.request.options.ids
        plan: list[tuple[Store, SyncOptions]] = []
        found: set[str] = set()
        for index, store in enumerate(stores, start=1):
            self.on_progress(ImportProgress("checking", store.name, index, len(stores)))
            assert store.id is not None
            known = await asyncio.to_thread(_known_numbers, self.db, store.id, wanted)
            asked = {known.get(i, i): i for i in wanted}  # the store's id -> what was typed
            try:
                adapter = open_adapter(store, reach=self.reach)
                try:
                    page = await adapter.get_orders(list(asked))
                finally:
                    await adapter.aclose()
            except (ApiError, DomainError) as exc:
                raise DomainError(
                    f"Could not ask {store.name} for the orders: {exc}. Nothing was imported."
                ) from exc
            has = [i for i in asked if i not in _missing(page.problems)]
            if has:
                plan.append((store, SyncOptions(mode="ids", ids=tuple(has))))
                found.update(asked[i] for i in has)
        unknown = [i for i in wanted if i not in found]
        if unknown:
            where = ", ".join(s.name for s in stores)
            raise ValidationError(
                f"No order {', '.join(unknown)} at {where}: nothing was imported. "
                "Type an order's number (#1001) if podtui has it already, else the store's "
                "own id (WooCommerce's order number, the number in Shopify's order address).",
                {"ids": "unknown: " + ", ".join(unknown)},
            )
        return plan
