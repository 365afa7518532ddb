"""Status and tracking back from vendors: move sent items on as the vendor reports.

`apply_vendor_order(session, vendor, vendor_order)` takes what a vendor says about one of its
orders (a poll answer or a relayed webhook) and moves that submission's items to In production,
Fulfilled (with Shipment rows: carrier, tracking number, link), Canceled, or On hold with the
vendor's reason, each through `apply_action` (compare-and-set plus a timeline event). Applying the
same news twice changes nothing and records nothing. `poll_vendors(db)` asks every vendor about
its open orders and applies the answers, one transaction per vendor order.

New shipments are handed to `after_shipments(db, shipment_ids)`; the store sync's tracking push
(services/sync/tracking_push.py) carries every shipment not yet pushed to its store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_
from sqlalchemy import update as sa_update
from sqlmodel import Session, col, select

from podtui.adapters.http import ApiError
from podtui.adapters.redact import get_logger
from podtui.adapters.vendors.base import (
    RecentLister,
    VendorAdapter,
    VendorOrder,
    VendorShipment,
    VendorStage,
)
from podtui.db import Database
from podtui.domain.errors import DomainError
from podtui.domain.models import OrderItem, Shipment, Submission, SubmissionItem, Vendor, utcnow
from podtui.domain.status import Action, ItemStatus
from podtui.domain.wording import count
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.vendors import connector, sharing
from podtui.services.items.transitions import apply_action, load_item
from podtui.services.sync.tracking_push import push_shipments

log = get_logger(__name__)

S = ItemStatus
# Where an item is with the vendor (Sent or In production); a vendor hold parks it from there.
AT_VENDOR = (S.SENT, S.IN_PRODUCTION)
# Submission states that say nothing is at the vendor (yet, or any more).
NOT_OPEN = ("pending", "sending", "failed", "canceled")
# Vendor orders asked per vendor per poll: well inside Printful's 120 requests a minute, so a
# poll never starves the sends that share the vendor's limit. The rest are asked next time.
POLL_LIMIT = 60

AdapterFor = Callable[[Vendor], VendorAdapter]


@dataclass
class VendorUpdate:
    """What one vendor order's news did here."""

    vendor: str
    vendor_order_id: str
    submission_id: int | None = None
    moved: list[tuple[int, str, str]] = field(default_factory=list)  # (item, from, to)
    shipment_ids: list[int] = field(default_factory=list)  # new Shipment rows
    problem: str = ""  # why nothing could be applied (unknown order ...)

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.shipment_ids)

    def text(self) -> str:
        """One line for the CLI and the log."""
        head = f"{self.vendor} order {self.vendor_order_id or '?'}"
        if self.problem:
            return f"{head}: {self.problem}"
        if not self.changed:
            return f"{head}: nothing new"
        bits = [f"item {item} {a} → {b}" for item, a, b in self.moved]
        if self.shipment_ids:
            bits.append(f"{count(len(self.shipment_ids), 'shipment')} recorded")
        return f"{head}: " + "; ".join(bits)


def find_submission(session: Session, vendor: Vendor, news: VendorOrder) -> Submission | None:
    """The submission the vendor's order belongs to: by vendor order id, else by external id.

    An external id match whose submission already knows a different vendor order id is not
    taken: that would be a second order at the vendor, and news of it must not move ours.
    """
    mine = col(Submission.vendor_id) == vendor.id
    if news.vendor_order_id:
        found = session.exec(
            select(Submission).where(mine, col(Submission.vendor_order_id) == news.vendor_order_id)
        ).first()
        if found is not None:
            return found
    if not news.external_id:
        return None
    found = session.exec(
        select(Submission).where(mine, col(Submission.idempotency_key) == news.external_id)
    ).first()
    if found is None or (
        found.vendor_order_id
        and news.vendor_order_id
        and found.vendor_order_id != news.vendor_order_id
    ):
        return None
    return found


def _covering(
    news: VendorOrder, item: OrderItem, skus: frozenset[str] | None
) -> list[VendorShipment]:
    """The shipments that carry this item (one naming no items carries the whole order).

    `skus`: the SKUs a Printify shipment names, when they match some item of this order.
    """
    found = []
    for shipment in news.shipments:
        if shipment.item_ids:
            if item.id in shipment.item_ids:
                found.append(shipment)
        elif skus:
            if item.sku in skus:
                found.append(shipment)
        else:
            found.append(shipment)
    return found


def _shipped_skus(news: VendorOrder, items: Sequence[OrderItem]) -> frozenset[str] | None:
    """The shipped lines' SKUs (Printify), if they name items here; else None = every item."""
    raw = news.raw.get("skus") if isinstance(news.raw, dict) else None
    if not isinstance(raw, list) or not raw:
        return None
    skus = frozenset(str(s) for s in raw)
    # SKUs that match nothing here are the vendor's own: the parcel is taken to carry all.
    return skus if any(item.sku in skus for item in items) else None


def _target(news: VendorOrder, shipped: bool) -> ItemStatus:
    if shipped or news.stage is VendorStage.FULFILLED:
        return S.FULFILLED
    return {
        VendorStage.ACCEPTED: S.SENT,
        VendorStage.IN_PRODUCTION: S.IN_PRODUCTION,
        VendorStage.ON_HOLD: S.ON_HOLD,
        VendorStage.FAILED: S.ON_HOLD,  # refused after accepting: the operator must act
        VendorStage.CANCELED: S.CANCELED,
        VendorStage.FULFILLED: S.FULFILLED,
    }[news.stage]


def _hold_reason(vendor: Vendor, news: VendorOrder) -> str:
    why = news.reason or (
        "the vendor refused the order" if news.stage is VendorStage.FAILED else "on hold"
    )
    return f"{vendor.name} ({news.vendor_status or news.stage.value}): {why}"[:1000]


def apply_vendor_order(
    session: Session, vendor: Vendor, news: VendorOrder, *, source: str = "poll"
) -> VendorUpdate:
    """Move the items of the vendor order `news` speaks of; idempotent. Inside the caller's txn."""
    update = VendorUpdate(vendor.name, news.vendor_order_id or news.external_id)
    submission = find_submission(session, vendor, news)
    if submission is None:
        update.problem = (
            f"no submission here matches it (external id {news.external_id or '-'}); "
            "was it sent from another database?"
        )
        return update
    update.submission_id = submission.id
    _note_on_submission(submission, news)
    item_ids = session.exec(
        select(SubmissionItem.item_id).where(col(SubmissionItem.submission_id) == submission.id)
    ).all()
    params = {
        "vendor": vendor.name,
        "vendor_order_id": news.vendor_order_id,
        "vendor_status": news.vendor_status,
        "source": source,
    }
    if news.reason:
        params["reason"] = news.reason
    items = [load_item(session, item_id) for item_id in sorted(item_ids)]
    skus = _shipped_skus(news, items)
    for item in items:
        assert item.id is not None
        item_id = item.id
        shipments = _covering(news, item, skus)
        target = _target(news, bool(shipments))
        before = item.status
        item = _move(session, vendor, news, item, target, params, shipments)
        if item.status is not before:
            update.moved.append((item_id, before.label, item.status.label))
        if item.status is S.FULFILLED:
            update.shipment_ids += _record_shipments(session, item, submission, shipments)
    session.flush()
    return update


def _note_on_submission(submission: Submission, news: VendorOrder) -> None:
    changes: dict[str, Any] = {}
    if news.vendor_status and submission.vendor_status != news.vendor_status:
        changes["vendor_status"] = news.vendor_status
    if news.vendor_order_id and not submission.vendor_order_id:
        changes["vendor_order_id"] = news.vendor_order_id
    if news.stage is VendorStage.CANCELED and submission.state != "canceled":
        changes["state"] = "canceled"
    for name, value in changes.items():
        setattr(submission, name, value)
    if changes:
        submission.updated_at = utcnow()


def _move(
    session: Session,
    vendor: Vendor,
    news: VendorOrder,
    item: OrderItem,
    target: ItemStatus,
    params: dict[str, Any],
    shipments: Sequence[VendorShipment],
) -> OrderItem:
    """One item towards `target`, by the vendor actions the status table allows."""
    assert item.id is not None
    if item.status is target:
        return item
    held_by_vendor = item.status is S.ON_HOLD and item.status_before in AT_VENDOR
    if held_by_vendor and target is not S.ON_HOLD:
        # The vendor let go of its hold (or went on regardless): back to where it was.
        item = apply_action(
            session,
            item.id,
            Action.RELEASE,
            params=params,
            event_type="vendor_release",
            expected=S.ON_HOLD,
        )
        if item.status is target:
            return item
    if item.status not in AT_VENDOR:
        return item  # sending, failed, ignored, canceled by the operator ...: not the vendor's
    action: Action | None = None
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if target is S.FULFILLED:
        action = Action.VENDOR_FULFILLED
        first = shipments[0] if shipments else None
        if first is not None:
            extra = {"carrier": first.carrier, "tracking_number": first.tracking_number}
    elif target is S.IN_PRODUCTION and item.status is S.SENT:
        action = Action.VENDOR_IN_PRODUCTION
    elif target is S.CANCELED:
        action = Action.VENDOR_CANCELED
    elif target is S.ON_HOLD:
        action = Action.VENDOR_HOLD
        values["hold_reason"] = _hold_reason(vendor, news)
    if action is None or item.id is None:
        return item  # e.g. In production and the vendor still says accepted: never backwards
    return apply_action(
        session,
        item.id,
        action,
        params={**params, **extra},
        values=values,
        expected=item.status,
    )


def _parcel_key(carrier: str, number: str) -> str:
    """A tracking number names the parcel whatever the carrier is spelt ("UPS", "ups"), e.g.
    when the operator typed it in before the vendor reported it."""
    return number.strip().upper() or carrier.strip().lower()


def _record_shipments(
    session: Session,
    item: OrderItem,
    submission: Submission,
    shipments: Sequence[VendorShipment],
) -> list[int]:
    """Shipment rows for the parcels carrying `item` that are not recorded yet."""
    key = _parcel_key
    known = {
        key(s.carrier, s.tracking_number)
        for s in session.exec(select(Shipment).where(col(Shipment.item_id) == item.id)).all()
    }
    new: list[Shipment] = []
    for parcel in shipments:
        if not (parcel.carrier or parcel.tracking_number):
            continue
        if key(parcel.carrier, parcel.tracking_number) in known:
            continue
        known.add(key(parcel.carrier, parcel.tracking_number))
        new.append(
            Shipment(
                order_id=item.order_id,
                item_id=item.id,
                submission_id=submission.id,
                carrier=parcel.carrier,
                tracking_number=parcel.tracking_number,
                tracking_url=parcel.tracking_url,
                status="shipped",
                shipped_at=parcel.shipped_at or utcnow(),
            )
        )
    session.add_all(new)
    session.flush()
    return [s.id for s in new if s.id is not None]


# --- after fulfilment ---------------------------------------------------------------------------


async def after_shipments(
    db: Database, shipment_ids: Sequence[int], *, reach: Reach = REAL
) -> None:
    """The call point after fulfilment: new shipments go to their stores at once.

    Whatever this cannot push (store down, no credentials) keeps `pushed_to_store_at` empty, and
    the store sync's tracking push carries it at its next round, so nothing is lost. Never raises:
    a store that is down must not undo what the vendor reported.
    """
    if not shipment_ids:
        return
    try:
        report = await push_shipments(db, shipment_ids, reach=reach)
    except Exception:  # the store's problem is recorded by the push itself
        log.exception("tracking push after a vendor update failed")
        return
    for message in report.messages:
        log.warning("%s", message)


# --- polling ----------------------------------------------------------------------------------


@dataclass
class PollReport:
    """What one poll of the vendors did."""

    asked: int = 0
    updates: list[VendorUpdate] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line per vendor order that failed

    @property
    def changed(self) -> list[VendorUpdate]:
        return [u for u in self.updates if u.changed]

    def headline(self) -> str:
        moved = sum(len(u.moved) for u in self.updates)
        shipments = sum(len(u.shipment_ids) for u in self.updates)
        text = (
            f"asked {count(self.asked, 'vendor order')}: {count(moved, 'item')} moved, "
            f"{count(shipments, 'shipment')}"
        )
        return text + (f", {len(self.errors)} failed" if self.errors else "")


@dataclass(frozen=True)
class OpenOrder:
    submission_id: int
    vendor_id: int
    key: str  # the external id
    vendor_order_id: str | None


def open_orders(
    session: Session, vendor_ids: Sequence[int] | None = None, *, limit: int | None = None
) -> list[OpenOrder]:
    """Submissions whose items are still at the vendor (sent, in production, held by it).

    Least recently asked first (`updated_at`, which every poll answer bumps), `limit` per vendor,
    so a shop with thousands of open orders asks each in turn within the vendor's rate limit.
    """
    at_vendor = or_(
        col(OrderItem.status).in_(AT_VENDOR),
        (col(OrderItem.status) == S.ON_HOLD) & col(OrderItem.status_before).in_(AT_VENDOR),
    )
    query = (
        select(
            Submission.id,
            Submission.vendor_id,
            Submission.idempotency_key,
            Submission.vendor_order_id,
        )
        .where(
            col(Submission.state).not_in(NOT_OPEN),
            # EXISTS, not a join with DISTINCT: PostgreSQL refuses a DISTINCT ordered by a
            # column it does not select, and each submission is wanted once anyway.
            select(SubmissionItem.item_id)
            .join(OrderItem, col(OrderItem.id) == col(SubmissionItem.item_id))
            .where(col(SubmissionItem.submission_id) == col(Submission.id), at_vendor)
            .exists(),
        )
        .order_by(col(Submission.updated_at), col(Submission.id))
    )
    if vendor_ids is not None:
        query = query.where(col(Submission.vendor_id).in_(vendor_ids))
    found: list[OpenOrder] = []
    per_vendor: dict[int, int] = {}
    for row in session.exec(query):
        order = OpenOrder(int(row[0] or 0), row[1], row[2], row[3])
        seen = per_vendor.get(order.vendor_id, 0)
        if limit is not None and seen >= limit:
            continue
        per_vendor[order.vendor_id] = seen + 1
        found.append(order)
    return found


async def poll_vendors_async(
    db: Database,
    *,
    reach: Reach = REAL,
    adapter_for: AdapterFor | None = None,
    vendor_names: Sequence[str] | None = None,
    limit: int | None = POLL_LIMIT,
) -> PollReport:
    """Ask each vendor about its open orders and apply the answers (one txn per order).

    A vendor whose adapter can list its recent orders (`recent_orders`, Printful: 100 a page)
    is asked about all of them that way; orders the list did not show are then asked one by one,
    at most `limit` per vendor per poll (None: all), those asked longest ago first.
    """
    report = PollReport()
    with db.read() as session:
        vendors = list(session.exec(select(Vendor).order_by(col(Vendor.id))).all())
        if vendor_names:
            vendors = [v for v in vendors if v.name in vendor_names]
        vendors = [v for v in vendors if v.integrated]
        orders = open_orders(session, [v.id for v in vendors if v.id is not None])
    for vendor in vendors:
        mine = [o for o in orders if o.vendor_id == vendor.id]
        if not mine:
            continue
        try:
            adapter = sharing(adapter_for or connector(reach), db)(vendor)
        except (LookupError, ApiError, DomainError) as exc:
            report.errors.append(f"{vendor.name}: cannot ask it: {exc}")
            continue
        try:
            listed = await _listed(adapter, mine)
            ask = [o for o in mine if _news_for(listed, o) is None]
            if limit is not None:
                ask = ask[:limit]
            chosen = [o for o in mine if _news_for(listed, o) is not None] + ask
            await _poll_one_vendor(db, vendor, adapter, chosen, report, listed)
        finally:
            await adapter.aclose()
    all_new = [sid for u in report.updates for sid in u.shipment_ids]
    await after_shipments(db, all_new, reach=reach)
    return report


# Below this many open orders, asking each is as cheap as listing.
LIST_FROM = 5


async def _listed(adapter: VendorAdapter, orders: list[OpenOrder]) -> dict[str, VendorOrder]:
    """The vendor's recent orders by vendor order id and external id, where it can list them."""
    if not isinstance(adapter, RecentLister) or len(orders) < LIST_FROM:
        return {}
    wanted = {o.vendor_order_id or o.key for o in orders} | {o.key for o in orders}
    try:
        found = await adapter.recent_orders(wanted)
    except ApiError:
        return {}  # each order is asked on its own instead
    return found


def _news_for(listed: dict[str, VendorOrder], order: OpenOrder) -> VendorOrder | None:
    if order.vendor_order_id and order.vendor_order_id in listed:
        return listed[order.vendor_order_id]
    return listed.get(order.key)


async def _poll_one_vendor(
    db: Database,
    vendor: Vendor,
    adapter: VendorAdapter,
    orders: list[OpenOrder],
    report: PollReport,
    listed: dict[str, VendorOrder] | None = None,
) -> None:
    gate = asyncio.Semaphore(max(1, int(getattr(adapter, "max_concurrency", 1) or 1)))

    async def ask(order: OpenOrder) -> None:
        news = _news_for(listed or {}, order)
        if news is not None:
            report.asked += 1
        else:
            await ask_one(order)
            return
        await record(order, news)

    async def ask_one(order: OpenOrder) -> None:
        news: VendorOrder | None = None
        async with gate:
            report.asked += 1
            try:
                if order.vendor_order_id:
                    news = await adapter.status(order.vendor_order_id)
                else:
                    news = await adapter.find(order.key)
            except ApiError as exc:
                report.errors.append(f"{vendor.name} order {order.key}: {exc}")
            else:
                if news is None:
                    report.errors.append(
                        f"{vendor.name} order {order.key}: the vendor does not know it"
                    )
        await record(order, news)

    async def record(order: OpenOrder, news: VendorOrder | None) -> None:
        try:
            with db.write() as session:
                if news is not None:
                    update = apply_vendor_order(session, vendor, news, source="poll")
                    report.updates.append(update)
                # Asked now: the others go first next time.
                session.execute(
                    sa_update(Submission)
                    .where(col(Submission.id) == order.submission_id)
                    .values(updated_at=utcnow())
                )
        except DomainError as exc:  # someone changed an item meanwhile: the next poll retries
            report.errors.append(f"{vendor.name} order {order.key}: {exc}")

    await asyncio.gather(*(ask(o) for o in orders))


def poll_vendors(
    db: Database,
    *,
    reach: Reach = REAL,
    adapter_for: AdapterFor | None = None,
    vendor_names: Sequence[str] | None = None,
) -> PollReport:
    """`poll_vendors_async` for callers without an event loop (the CLI, a worker thread)."""
    return asyncio.run(
        poll_vendors_async(db, reach=reach, adapter_for=adapter_for, vendor_names=vendor_names)
    )
