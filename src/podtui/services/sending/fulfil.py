"""Send items to their vendors: plan, claim, deliver, record; concurrent up to each vendor's limit.

`send_items` is what the list's Send key, `podtui submit` and the countdown call. It groups the
items into vendor orders (sending/submissions.py), and for each order, one at a time per worker:
commits the claim (Submission row + items Ready -> Sending), delivers it (sending/delivery.py:
never twice), and commits the outcome. Each vendor gets `max_concurrency` workers sharing its
adapter, whose rate limiter keeps the whole send under the vendor's documented limit. Database
writes run in threads so one slow commit never stalls the HTTP of the others.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from podtui import config
from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import VendorAdapter, VendorOrderRequest
from podtui.db import Database
from podtui.domain.models import Order, OrderItem, Vendor
from podtui.services.connections.vendors import Connect, connector, sharing
from podtui.services.items.bulk_run import BulkOutcome
from podtui.services.sending import submissions
from podtui.services.sending.delivery import Backoff, Delivered, deliver
from podtui.services.sending.submissions import Batch, Claim

Progress = Callable[[int, int], None]


@dataclass
class SendOptions:
    """Knobs a caller (CLI, bench, tests) may turn; the defaults are what the app uses."""

    consolidate_hours: float | None = None  # None: each vendor's setting, else 24 h
    backoff: Backoff = field(default_factory=Backoff)
    print_file_base_url: str | None = None  # None: from the config file
    render_missing: bool = True  # render a missing print file now rather than refuse the item
    # Items of a store's test orders are never sent unless the operator confirmed them twice.
    allow_test: bool = False
    # vendor id -> the shipping method chosen at the confirm (the vendor's word for it); a vendor
    # not named ships its default, and a retry keeps the method its submission has.
    shipping: dict[int, str] = field(default_factory=dict)
    # vendor id -> the method the confirm showed selected and the operator left as it was: a new
    # submission takes it (what was shown is what ships), a retry keeps its stored one.
    shipping_shown: dict[int, str] = field(default_factory=dict)


TEST_SKIP = "a test order at the store: send it by hand and confirm it a second time"


def test_order_items(session: Session, item_ids: Sequence[int]) -> set[int]:
    """Which of these items belong to a store's test order."""
    found: set[int] = set()
    ids = list(item_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found.update(
            int(i)
            for i in session.exec(
                select(OrderItem.id)
                .join(Order, col(Order.id) == col(OrderItem.order_id))
                .where(col(OrderItem.id).in_(chunk), col(Order.test).is_(True))
            ).all()
            if i is not None
        )
    return found


def _base_url(options: SendOptions) -> str:
    if options.print_file_base_url is not None:
        return options.print_file_base_url
    try:
        return config.load_config().print_file_base_url
    except config.ConfigError:
        return ""


def send_items(
    db: Database,
    item_ids: Sequence[int],
    *,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    connect: Connect | None = None,
    options: SendOptions | None = None,
) -> BulkOutcome:
    """Send `item_ids` (Ready, or Failed to retry) to their vendors; says per item what happened."""
    opts = options or SendOptions()
    tests: set[int] = set()
    if not opts.allow_test:
        with db.read() as session:
            tests = test_order_items(session, item_ids)
        item_ids = [i for i in item_ids if i not in tests]
    unrendered: dict[int, str] = {}
    if opts.render_missing:
        from podtui.services.render.on_demand import missing_print_files, render_missing

        unrendered = render_missing(db, missing_print_files(db, item_ids), should_stop=should_stop)
    with db.read() as session:
        plan = submissions.plan_batches(session, item_ids, consolidate_hours=opts.consolidate_hours)
        vendors = {
            v.id: v
            for v in session.exec(
                select(Vendor).where(
                    Vendor.id.in_({b.vendor_id for b in plan.batches} or {-1})  # type: ignore[union-attr]
                )
            ).all()
        }
    for batch in plan.batches:
        chosen = opts.shipping.get(batch.vendor_id)
        if not chosen and batch.submission_id is None:
            chosen = opts.shipping_shown.get(batch.vendor_id)
        if chosen:
            batch.shipping_method = chosen
    for item_id, why in unrendered.items():
        if item_id in plan.skipped:
            plan.skipped[item_id] = why
    outcome = BulkOutcome(skipped={**dict.fromkeys(tests, TEST_SKIP), **plan.skipped})
    if not plan.batches:
        return outcome
    runner = _Runner(
        db,
        vendors,
        sharing(connect or connector(), db),
        opts,
        total=len(item_ids),
        on_progress=on_progress,
        should_stop=should_stop,
        outcome=outcome,
    )
    run_async(lambda: runner.run(plan.batches))
    return outcome


def run_async(make: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a coroutine to the end from sync code, also when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make())
        return
    # Called from async code (a test, an embedding app): a thread of its own, with its own loop.
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(make())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target, name="podtui-send")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def retry_items(db: Database, item_ids: Sequence[int], **kwargs: Any) -> BulkOutcome:
    """Send Failed items again, each in its own submission with the key it already had."""
    from podtui.domain.models import OrderItem
    from podtui.domain.status import ItemStatus

    with db.read() as session:
        failed = set(
            session.exec(
                select(OrderItem.id).where(
                    col(OrderItem.id).in_(list(item_ids)),
                    col(OrderItem.status) == ItemStatus.FAILED,
                )
            ).all()
        )
    outcome = send_items(db, [i for i in item_ids if i in failed], **kwargs)
    for item_id in item_ids:
        if item_id not in failed:
            outcome.skipped[item_id] = "it is not Failed: nothing to retry"
    return outcome


@dataclass
class _Runner:
    db: Database
    vendors: dict[int | None, Vendor]
    connect: Connect
    options: SendOptions
    total: int
    on_progress: Progress | None
    should_stop: Callable[[], bool] | None
    outcome: BulkOutcome

    async def run(self, batches: list[Batch]) -> None:
        self.base_url = _base_url(self.options)
        by_vendor: dict[int, list[Batch]] = {}
        for batch in batches:
            by_vendor.setdefault(batch.vendor_id, []).append(batch)
        self._report()
        await asyncio.gather(*(self._vendor(vid, queue) for vid, queue in by_vendor.items()))

    def _report(self) -> None:
        if self.on_progress is not None:
            self.on_progress(min(self.outcome.total, self.total), self.total)

    def _stopped(self) -> bool:
        return self.should_stop is not None and self.should_stop()

    async def _vendor(self, vendor_id: int, batches: list[Batch]) -> None:
        vendor = self.vendors[vendor_id]
        try:
            adapter = self.connect(vendor)
        except Exception as exc:  # no adapter, no token, no module: this vendor only
            for batch in batches:
                for iid in batch.item_ids:
                    self.outcome.skipped[iid] = f"cannot send to {vendor.name}: {exc}"
            self._report()
            return
        queue: asyncio.Queue[Batch] = asyncio.Queue()
        for batch in batches:
            queue.put_nowait(batch)
        workers = max(1, min(adapter.max_concurrency, len(batches)))
        try:
            await asyncio.gather(*(self._worker(adapter, queue) for _ in range(workers)))
        finally:
            await adapter.aclose()

    async def _worker(self, adapter: VendorAdapter, queue: asyncio.Queue[Batch]) -> None:
        while not queue.empty():
            batch = queue.get_nowait()
            if self._stopped():
                continue  # the rest stay Ready: nothing was claimed for them
            await self._one(adapter, batch)
            self._report()

    async def _one(self, adapter: VendorAdapter, batch: Batch) -> None:
        claim = await asyncio.to_thread(submissions.claim, self.db, batch)
        if claim is None:
            for iid in batch.item_ids:
                self.outcome.skipped[iid] = "someone else sent it first (or it changed)"
            return
        self.outcome.skipped.update(claim.skipped)
        await send_claimed(self.db, adapter, claim, self.options, self.base_url, self.outcome)


async def send_claimed(
    db: Database,
    adapter: VendorAdapter,
    claim: Claim,
    options: SendOptions,
    base_url: str,
    outcome: BulkOutcome,
    *,
    ask_first: bool | None = None,
) -> None:
    """Deliver a claimed submission and commit what came of it."""

    def build() -> VendorOrderRequest:
        with db.read() as session:
            return submissions.build_request(
                session, claim.submission_id, print_file_base_url=base_url
            )

    try:
        request = await asyncio.to_thread(build)
    except Exception as exc:  # a broken row must fail its submission, not the whole send
        error = ApiError(adapter_system(adapter), f"cannot build the order: {exc}")
        await asyncio.to_thread(submissions.record_failed, db, claim.submission_id, error)
        for iid in claim.item_ids:
            outcome.failed[iid] = str(error)
        return

    async def heartbeat(attempt: int) -> None:
        if attempt > 1:
            await asyncio.to_thread(submissions.touch, db, claim.submission_id)

    try:
        result = await deliver(
            adapter,
            request,
            ask_first=claim.retry if ask_first is None else ask_first,
            backoff=options.backoff,
            before_attempt=heartbeat,
        )
    except Exception as exc:
        # A bug in an adapter (not its ApiError): fail this submission with the reason and go on
        # with the others. Failed is safe: a retry asks the vendor for the key before sending.
        result = Delivered(error=unexpected(adapter, exc))
    if result.order is not None:
        await asyncio.to_thread(
            submissions.record_sent, db, claim.submission_id, result.order, how=result.how
        )
        outcome.done.extend(claim.item_ids)
    else:
        assert result.error is not None
        await asyncio.to_thread(submissions.record_failed, db, claim.submission_id, result.error)
        for iid in claim.item_ids:
            outcome.failed[iid] = str(result.error)


def adapter_system(adapter: VendorAdapter) -> str:
    api = getattr(adapter, "api", None)
    return str(getattr(api, "system", None) or getattr(adapter, "system", adapter.kind))


def unexpected(adapter: VendorAdapter, exc: Exception) -> ApiError:
    """An exception an adapter should have turned into its ApiError, as one, with the raw text."""
    return ApiError(
        adapter_system(adapter),
        f"an unexpected error while sending: {exc} ({type(exc).__name__}); the vendor may or "
        "may not have the order, so a retry asks it first",
        code="unexpected",
        raw=repr(exc),
        outcome_unknown=True,
    )
