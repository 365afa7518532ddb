"""Upsert one page of store orders, idempotently on (store, store order id).

A listing may show an order twice (a page that shifted while paging, a plugin that lists copies):
the newest copy wins (`date_modified_gmt` / `updatedAt`), at equal times the one listed last, and an
older copy never overwrites a newer one. An order whose store timestamp has not moved is left
untouched by an incremental sync, so syncing twice changes nothing and writes no event; a full sync
also applies a copy that differs from what podtui holds at the same store time. An order that
changed at the store gets the store's new values, and each kind of change (customer, shipping
address, note, status, cancellation, refund) is one timeline event. A field the operator edited here
(`order.local_edits`) keeps the operator's value; the store's new value is recorded beside it in
`order.store_pending` and on the timeline. A cancellation or a full refund cancels the items the
vendor does not have yet; items already at the vendor are named in the event, for the operator to
cancel there.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, select

from podtui.adapters.redact import scrub
from podtui.adapters.stores.base import StoreOrder, StoreOrderProblem
from podtui.domain.address import ORDER_COLUMNS
from podtui.domain.models import Order, OrderItem, SyncProblem, utcnow
from podtui.domain.status import Action, is_allowed
from podtui.services.items.timeline import record_event
from podtui.services.items.transitions import apply_action
from podtui.services.sync.checks import hold_for_problems, order_problems, release_resolved
from podtui.services.sync.context import SyncContext, as_utc
from podtui.services.sync.importer import (
    NOTICE_FROM_BILLING,
    OrderRef,
    add_items,
    new_orders,
    order_values,
)
from podtui.services.sync.payment import is_unpaid, release_paid
from podtui.services.sync.refunds import reconcile_lines

EVENT_STORE_CUSTOMER = "store_customer_changed"
EVENT_STORE_ADDRESS = "store_address_changed"
EVENT_STORE_NOTE = "store_note_changed"
EVENT_STORE_STATUS = "store_status_changed"
EVENT_STORE_CANCELED = "store_order_canceled"
EVENT_STORE_REFUNDED = "store_order_refunded"
EVENT_STORE_KEPT_LOCAL = "store_change_kept_local"

# Which columns make up each kind of store-side change, and its event.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (EVENT_STORE_CUSTOMER, ("customer_name", "customer_email")),
    (EVENT_STORE_ADDRESS, tuple(ORDER_COLUMNS.values())),
    (EVENT_STORE_NOTE, ("customer_note",)),
    (EVENT_STORE_STATUS, ("store_status", "payment_status", "store_fulfillment_status")),
)
# Columns mirrored without an event of their own.
SILENT = (
    "shipping_method",
    "total",
    "subtotal",
    "shipping_total",
    "currency",
    "payment_method",
    "test",
    "notices",
)
EVENT_FROM_BILLING = "shipping_from_billing"
_ENDED = frozenset({"cancelled", "canceled", "refunded", "voided"})


def _ended(order: Order) -> bool:
    return order.store_status in _ENDED or order.payment_status == "refunded"


def _cancel_items(session: Session, order: Order, event_type: str, reason: str) -> None:
    """Cancel the items the vendor does not have yet; name the ones it has."""
    items = session.exec(
        select(OrderItem).where(OrderItem.order_id == order.id).order_by(col(OrderItem.id))
    ).all()
    canceled, at_vendor = [], []
    for item in items:
        assert item.id is not None
        if not item.managed:
            continue
        if is_allowed(item.status, Action.STORE_CANCELED):
            apply_action(
                session,
                item.id,
                Action.STORE_CANCELED,
                params={"reason": reason},
                expected=item.status,
            )
            canceled.append(item.id)
        elif item.status.value in ("sending", "sent", "in_production"):
            at_vendor.append(item.id)
    record_event(
        session,
        event_type,
        order_id=order.id,
        params={
            "reason": reason,
            "canceled_item_ids": canceled,
            "at_vendor_item_ids": at_vendor,
        },
    )


def cancel_order_items(session: Session, order: Order, reason: str) -> None:
    """The store cancelled the order: its items follow, as at a sync (store-truth rules)."""
    _cancel_items(session, order, EVENT_STORE_CANCELED, reason)


def _previous_store_values(ctx: SyncContext, order: Order) -> dict[str, Any] | None:
    """What the store said at the last sync (from the payload kept then), when it can be read."""
    if ctx.parse_raw is None or not order.raw:
        return None
    try:
        return order_values(ctx.parse_raw(order.raw))
    except Exception:  # an old or trimmed payload: compare with the local values instead
        return None


def _apply_changes(session: Session, ctx: SyncContext, order: Order, so: StoreOrder) -> bool:
    """Write the store's new values onto `order` and the timeline; whether anything changed."""
    new = order_values(so)
    previous = _previous_store_values(ctx, order) if order.local_edits else None
    local = set(order.local_edits)
    pending: dict[str, Any] = dict(order.store_pending)
    updates: dict[str, Any] = {}
    changed = False
    was_ended = _ended(order)
    was_unpaid = is_unpaid(order.payment_status)
    for event_type, columns in GROUPS:
        changes: dict[str, dict[str, Any]] = {}
        kept: dict[str, dict[str, Any]] = {}
        for column in columns:
            old, value = getattr(order, column), new[column]
            if column in local:
                if value == old:
                    pending.pop(column, None)  # the store caught up with the operator
                elif previous is not None and previous.get(column) == value:
                    continue  # the store did not change it: nothing new to keep
                elif pending.get(column) != value:
                    pending[column] = value
                    kept[column] = {"local": old, "store": value}
                continue
            if old != value:
                changes[column] = {"old": old, "new": value}
                updates[column] = value
        if changes:
            record_event(session, event_type, order_id=order.id, params={"changes": changes})
            changed = True
        if kept:
            record_event(
                session, EVENT_STORE_KEPT_LOCAL, order_id=order.id, params={"changes": kept}
            )
            changed = True
    if NOTICE_FROM_BILLING in new["notices"] and NOTICE_FROM_BILLING not in order.notices:
        record_event(session, EVENT_FROM_BILLING, order_id=order.id, params={"by": "sync"})
    for column in SILENT:
        if getattr(order, column) != new[column]:
            updates[column] = new[column]
            changed = True
    if pending != order.store_pending:
        updates["store_pending"] = pending
        changed = True
    for column, value in updates.items():
        setattr(order, column, value)
    order.store_updated_at = so.updated_at
    order.raw = so.raw
    order.synced_at = utcnow()
    session.add(order)
    session.flush()
    if was_unpaid and so.payment_status == "paid" and order.id is not None:
        released = release_paid(session, order.id)
        changed = changed or bool(released)
    if not was_ended and (so.canceled or so.refunded):
        kind = EVENT_STORE_REFUNDED if so.refunded and not so.canceled else EVENT_STORE_CANCELED
        word = "refunded" if kind == EVENT_STORE_REFUNDED else "canceled"
        _cancel_items(session, order, kind, f"the store {word} the order")
        changed = True
    return changed


def _new_lines(session: Session, ctx: SyncContext, order: Order, so: StoreOrder) -> bool:
    """Lines the store added to an order podtui already has (an edited order) become items."""
    known = set(
        session.exec(select(OrderItem.store_line_id).where(OrderItem.order_id == order.id)).all()
    )
    fresh = [line for line in so.lines if line.store_line_id not in known]
    if fresh:
        assert order.id is not None
        ref = OrderRef(order.id, order.store_id, order.created_at, order.archived)
        add_items(session, ctx, [(ref, line) for line in fresh])
    return bool(fresh)


def record_problems(
    session: Session,
    ctx: SyncContext,
    problems: list[StoreOrderProblem],
    *,
    count_known: bool = True,
) -> None:
    """Keep each problem once (the same reason for the same order is not repeated).

    The payload is kept as the store sent it, but for any secret in it (a store that echoes).
    """
    for problem in problems:
        reason = scrub(problem.reason)
        reasons = ctx.open_problems.setdefault(problem.store_order_id, set())
        if count_known or reason not in reasons:
            ctx.report.problems += 1
            ctx.report.problem_reasons.append(f"order {problem.store_order_id or '?'}: {reason}")
        if reason in reasons:
            continue
        reasons.add(reason)
        session.add(
            SyncProblem(
                store_id=ctx.store_id,
                store_order_id=problem.store_order_id or None,
                reason=reason,
                raw=scrub(problem.raw),
            )
        )


def _settle(session: Session, ctx: SyncContext, decided: dict[str, StoreOrder]) -> None:
    """Check the copies this page applied: problems kept, fixed ones settled, items held or freed.

    An order read fine now has its earlier problems settled (unreadable payloads included); an
    order podtui cannot honour keeps one problem per reason and its items stay held.
    """
    if not decided:
        return
    ids = dict(
        session.exec(
            select(Order.store_order_id, Order.id).where(
                Order.store_id == ctx.store_id, col(Order.store_order_id).in_(list(decided))
            )
        ).all()
    )
    fresh: list[StoreOrderProblem] = []
    settled: dict[str, set[str]] = {}
    for key, so in decided.items():
        reasons = order_problems(so)
        stale = ctx.open_problems.get(key, set()) - set(reasons)
        if stale:
            settled[key] = stale
        if reasons:
            raw = json.dumps(so.raw, ensure_ascii=False, indent=1, default=str)
            fresh += [StoreOrderProblem(key, r, raw) for r in reasons]
        order_id = ids.get(key)
        if order_id is None:
            continue
        if reasons:
            hold_for_problems(session, order_id, reasons)
        else:
            release_resolved(session, order_id)
        if so.shipping_from_billing and key in ctx.created:
            record_event(session, EVENT_FROM_BILLING, order_id=order_id, params={"by": "sync"})
    if settled:
        for row in session.exec(
            select(SyncProblem).where(
                SyncProblem.store_id == ctx.store_id,
                col(SyncProblem.store_order_id).in_(list(settled)),
                col(SyncProblem.resolved).is_(False),
            )
        ):
            if row.reason in settled.get(row.store_order_id or "", set()):
                row.resolved = True
                session.add(row)
        for key, gone in settled.items():
            ctx.open_problems[key] -= gone
    record_problems(session, ctx, fresh, count_known=False)


def _differs(order: Order, so: StoreOrder) -> bool:
    """Whether this copy says something else than podtui holds (the operator's edits aside)."""
    new = order_values(so)
    local = set(order.local_edits)
    if any(getattr(order, c) != v for c, v in new.items() if c not in local):
        return True
    return any(order.store_pending.get(c, getattr(order, c)) != new[c] for c in local)


def _verdict(ctx: SyncContext, order: Order, so: StoreOrder, listed_before: bool) -> str:
    """Whether a copy of an order podtui holds is applied: "take", "defer" or "keep".

    The newest copy wins. At equal times the copy listed last wins, so a copy listed after
    another one of this sync is taken when it differs; a full (or by-id) sync also takes a copy
    that differs from what podtui holds, once the listing is through and no later copy came.
    """
    held, at = as_utc(order.store_updated_at), as_utc(so.updated_at)
    assert at is not None
    pending = ctx.deferred.get(so.store_order_id)
    if pending is not None and at >= as_utc(pending.updated_at):  # type: ignore[operator]
        del ctx.deferred[so.store_order_id]  # a later copy decides instead
    if held is None or at > held:
        return "take"
    if at < held or not _differs(order, so):
        return "keep"
    if listed_before:
        return "take"
    return "defer" if ctx.options.mode in ("all", "ids") else "keep"


def _update_existing(session: Session, ctx: SyncContext, order: Order, so: StoreOrder) -> None:
    changed = _apply_changes(session, ctx, order, so)
    changed = _new_lines(session, ctx, order, so) or changed
    changed = reconcile_lines(session, order, so) or changed
    if changed:
        ctx.report.orders_updated += 1
        ctx.touched[order.store_order_id] = None
    else:
        ctx.report.orders_unchanged += 1


def apply_deferred(session: Session, ctx: SyncContext) -> None:
    """A full sync's copies that differ from what podtui holds at the same store time."""
    if not ctx.deferred:
        return
    rows = session.exec(
        select(Order).where(
            Order.store_id == ctx.store_id, col(Order.store_order_id).in_(list(ctx.deferred))
        )
    ).all()
    decided = {}
    for order in rows:
        so = ctx.deferred.pop(order.store_order_id)
        _update_existing(session, ctx, order, so)
        decided[order.store_order_id] = so
    ctx.deferred.clear()
    _settle(session, ctx, decided)


def upsert_page(
    session: Session,
    ctx: SyncContext,
    orders: list[StoreOrder],
    problems: list[StoreOrderProblem],
) -> None:
    """One page in one transaction: new orders inserted, changed ones updated, problems kept."""
    ctx.report.orders_seen += len(orders)
    ids = [o.store_order_id for o in orders]
    existing = {
        row.store_order_id: row
        for row in session.exec(
            select(Order).where(Order.store_id == ctx.store_id, col(Order.store_order_id).in_(ids))
        )
    }
    fresh: dict[str, StoreOrder] = {}
    decided: dict[str, StoreOrder] = {}
    for so in orders:
        key, at = so.store_order_id, as_utc(so.updated_at)
        listed_before = key in ctx.seen
        assert at is not None
        if not listed_before or at >= ctx.seen[key]:
            ctx.seen[key] = at
        order = existing.get(key)
        if order is None:
            held = fresh.get(key)
            if held is None or at >= as_utc(held.updated_at):  # type: ignore[operator]
                fresh[key] = so  # a repeat within the page: the newest (or last) copy
            continue
        verdict = _verdict(ctx, order, so, listed_before)
        if verdict == "take":
            _update_existing(session, ctx, order, so)
            decided[key] = so
        elif verdict == "defer":
            ctx.deferred[key] = so
        else:
            ctx.report.orders_unchanged += 1
    new_orders(session, ctx, list(fresh.values()))
    ctx.created.update(fresh)
    ctx.touched.update(dict.fromkeys(fresh))
    _settle(session, ctx, {**decided, **fresh})
    ctx.created.clear()
    record_problems(session, ctx, problems)
