"""Tracking back to the store: each shipment of a fulfilled item reaches its store once.

A push covers one order and one tracking number (the items that shipped in that parcel). When it
leaves no produced item of the order open, it is a whole-order push: Shopify fulfils what is left,
WooCommerce gets `completed`. The adapters look at what the store already has before writing
(neither API has an idempotency key), and the shipment is stamped `pushed_to_store_at` in the same
transaction as its timeline event, so a push retried after a crash or a lost answer is not doubled.
A push that fails is kept in the store's sync problems with the store's answer, and tried again at
the next sync.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session, col, select

from podtui.adapters.http import ApiError
from podtui.adapters.redact import scrub
from podtui.adapters.stores.base import StoreAdapter, TrackingPush
from podtui.db import Database
from podtui.domain.errors import DomainError
from podtui.domain.models import Order, OrderItem, Shipment, Store, SyncProblem, utcnow
from podtui.domain.status import ItemStatus
from podtui.services.connections.reach import REAL, Reach
from podtui.services.items.timeline import record_event

EVENT_TRACKING_PUSHED = "tracking_pushed"
PROBLEM_PREFIX = "tracking push failed"
# Items that need nothing more from the shop: their order can be completed at the store.
_SETTLED = frozenset({ItemStatus.FULFILLED, ItemStatus.CANCELED, ItemStatus.IGNORED})


@dataclass
class PendingPush:
    """Shipments of one order under one tracking number, not yet carried to the store."""

    order_id: int
    store_order_id: str
    shipment_ids: list[int]
    push: TrackingPush


@dataclass
class PushReport:
    pushed: int = 0
    failed: int = 0
    messages: list[str] = field(default_factory=list)


def pending_pushes(session: Session, store_id: int) -> list[PendingPush]:
    """What the store has not been told yet, one entry per (order, tracking number)."""
    rows = session.exec(
        select(Shipment, Order, OrderItem)
        .join(Order, col(Order.id) == Shipment.order_id)
        .join(OrderItem, col(OrderItem.id) == Shipment.item_id, isouter=True)
        .where(
            Order.store_id == store_id,
            col(Shipment.pushed_to_store_at).is_(None),
            Shipment.tracking_number != "",
        )
        .order_by(col(Shipment.id))
    ).all()
    groups: dict[tuple[int, str], list[tuple[Shipment, Order, OrderItem | None]]] = {}
    for shipment, order, item in rows:
        if item is not None and item.status is not ItemStatus.FULFILLED:
            continue  # tracking typed in, but the item is not fulfilled (any more)
        assert order.id is not None
        groups.setdefault((order.id, shipment.tracking_number), []).append((shipment, order, item))
    out = []
    for (order_id, number), members in groups.items():
        shipment, order, _ = members[0]
        lines = {item.store_line_id for _, _, item in members if item is not None}
        units: dict[str, int] = {}
        for _, _, part in members:
            if part is not None and part.store_line_id:
                units[part.store_line_id] = units.get(part.store_line_id, 0) + part.quantity
        whole = any(item is None for _, _, item in members) or _order_settled(
            session, order_id, {item.id for _, _, item in members if item is not None}
        )
        out.append(
            PendingPush(
                order_id=order_id,
                store_order_id=order.store_order_id,
                shipment_ids=[s.id for s, _, _ in members if s.id is not None],
                push=TrackingPush(
                    store_order_id=order.store_order_id,
                    store_line_ids=() if whole else tuple(sorted(x for x in lines if x)),
                    carrier=shipment.carrier,
                    tracking_number=number,
                    tracking_url=shipment.tracking_url,
                    line_quantities=() if whole else tuple(sorted(units.items())),
                ),
            )
        )
    return out


def _order_settled(session: Session, order_id: int, shipped: set[int | None]) -> bool:
    """Whether every produced item of the order is done once these items have shipped."""
    statuses = session.exec(
        select(OrderItem.id, OrderItem.status).where(
            OrderItem.order_id == order_id, col(OrderItem.managed).is_(True)
        )
    ).all()
    return all(i in shipped or status in _SETTLED for i, status in statuses)


def _record_success(db: Database, pending: PendingPush, store_ref: str) -> None:
    with db.write() as session:
        result = session.execute(
            update(Shipment)
            .where(
                col(Shipment.id).in_(pending.shipment_ids),
                col(Shipment.pushed_to_store_at).is_(None),
            )
            .values(pushed_to_store_at=utcnow())
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            return  # another process carried it meanwhile
        record_event(
            session,
            EVENT_TRACKING_PUSHED,
            order_id=pending.order_id,
            params={
                "tracking_number": pending.push.tracking_number,
                "carrier": pending.push.carrier,
                "store_lines": list(pending.push.store_line_ids),
                "store_ref": store_ref,
                "shipment_ids": pending.shipment_ids,
            },
        )
        for problem in session.exec(
            select(SyncProblem).where(
                SyncProblem.store_order_id == pending.store_order_id,
                col(SyncProblem.reason).startswith(PROBLEM_PREFIX),
                col(SyncProblem.resolved).is_(False),
            )
        ):
            problem.resolved = True
            session.add(problem)


def _record_failure(
    db: Database, store_id: int, pending: PendingPush, reason: str, raw: str
) -> None:
    with db.write() as session:
        same = session.exec(
            select(SyncProblem).where(
                SyncProblem.store_id == store_id,
                SyncProblem.store_order_id == pending.store_order_id,
                SyncProblem.reason == reason,
                col(SyncProblem.resolved).is_(False),
            )
        ).first()
        if same is None:
            session.add(
                SyncProblem(
                    store_id=store_id,
                    store_order_id=pending.store_order_id,
                    reason=reason,
                    raw=raw,
                )
            )


async def push_tracking(db: Database, store_id: int, adapter: StoreAdapter) -> PushReport:
    """Carry every pending shipment of the store to it; failures are kept, the rest go on."""
    report = PushReport()
    with db.read() as session:
        pending = pending_pushes(session, store_id)
    for entry in pending:
        try:
            ref = await adapter.push_tracking(entry.push)
        except (ApiError, DomainError) as exc:
            report.failed += 1
            reason = scrub(f"{PROBLEM_PREFIX} ({entry.push.tracking_number}): {exc}")
            report.messages.append(f"order {entry.store_order_id}: {reason}")
            raw = scrub(getattr(exc, "raw", "") or str(exc))
            _record_failure(db, store_id, entry, reason, raw)
            continue
        _record_success(db, entry, ref)
        report.pushed += 1
    return report


async def push_shipments(
    db: Database, shipment_ids: Sequence[int], *, reach: Reach = REAL
) -> PushReport:
    """Push at once for the stores these new shipments belong to (after a vendor poll/webhook).

    Pushes everything pending for those stores, not just these shipments: the pending set is small
    and carrying it all keeps one code path. A store that cannot be reached (no credentials, down)
    is reported and left to the next sync; nothing here raises for a store's sake.
    """
    from podtui.services.connections.stores import open_adapter  # store kinds load lazily

    report = PushReport()
    if not shipment_ids:
        return report
    with db.read() as session:
        # The stores by id, not a DISTINCT over their rows: PostgreSQL cannot compare the
        # JSON settings column for DISTINCT.
        store_ids = (
            select(Order.store_id)
            .join(Shipment, col(Shipment.order_id) == Order.id)
            .where(col(Shipment.id).in_(list(shipment_ids)))
        )
        stores = session.exec(
            select(Store).where(col(Store.id).in_(store_ids)).order_by(col(Store.id))
        ).all()
    for store in stores:
        assert store.id is not None
        try:
            adapter = open_adapter(store, reach=reach)
        except DomainError as exc:
            report.messages.append(f"{store.name}: tracking waits for the next sync: {exc}")
            continue
        try:
            done = await push_tracking(db, store.id, adapter)
        finally:
            await adapter.aclose()
        report.pushed += done.pushed
        report.failed += done.failed
        report.messages.extend(done.messages)
    return report
