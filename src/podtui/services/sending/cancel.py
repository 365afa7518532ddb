"""Cancel at the vendor: `X` asks the vendor to cancel the order an item is on, then marks it.

The item's newest submission names the vendor order. Printify (`POST .../cancel.json`) and
Printful (`DELETE /orders/{id}`) cancel only in the states they allow; the hot folder withdraws
the job ticket while it is still queued. When the vendor refuses, nothing changes here and the
operator is told plainly ("in production at Printful: cancel refused (...)"). When it agrees,
every item on that vendor order is canceled (`canceled_at_vendor`) and the submission says so.
A manual vendor has no API: the item is marked canceled and the operator is told to tell them.
Items the vendor does not have yet are canceled here only. `cancel_order` does this for every
open item of an order.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlmodel import col, select

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import VendorAdapter, VendorOrder, VendorStage
from podtui.adapters.vendors.kinds import NoAdapterError
from podtui.db import Database
from podtui.domain.errors import DomainError
from podtui.domain.models import OrderItem, Submission, SubmissionItem, Vendor, utcnow
from podtui.domain.status import Action, ItemStatus, is_allowed
from podtui.services.connections.vendors import Connect, connector
from podtui.services.items.transitions import apply_action

EVENT = "canceled_at_vendor"
AT_VENDOR = (ItemStatus.SENT, ItemStatus.IN_PRODUCTION)
_DONE = (ItemStatus.CANCELED, ItemStatus.IGNORED, ItemStatus.FULFILLED)


@dataclass
class CancelResult:
    """What a cancel did: items canceled, and why the others were not (plain words)."""

    canceled: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def message(self) -> str:
        parts = []
        if self.canceled:
            n = len(self.canceled)
            parts.append(f"{n} item{'s' if n != 1 else ''} canceled")
        parts += sorted(set(self.refused.values()))
        parts += self.notes
        return "; ".join(parts) or "nothing to cancel"


def _mark(db: Database, ids: list[int], reason: str, params: dict[str, object]) -> list[int]:
    done = []
    with db.write() as session:
        for item_id in ids:
            item = session.get(OrderItem, item_id)
            if item is None or not is_allowed(item.status, Action.CANCEL):
                continue
            apply_action(
                session,
                item_id,
                Action.CANCEL,
                params={**params, **({"reason": reason} if reason else {})},
                event_type=EVENT if params.get("vendor_order_id") else None,
                expected=item.status,
            )
            done.append(item_id)
    return done


def _latest_submissions(db: Database, ids: list[int]) -> dict[int, Submission]:
    with db.read() as session:
        rows = session.exec(
            select(SubmissionItem.item_id, Submission)
            .join(Submission, col(Submission.id) == col(SubmissionItem.submission_id))
            .where(col(SubmissionItem.item_id).in_(ids))
            .order_by(col(Submission.id))
        ).all()
    return dict(rows)  # the newest wins (rows come oldest first)


def cancel_at_vendor(
    db: Database, item_ids: list[int], reason: str = "", *, connect: Connect | None = None
) -> CancelResult:
    """Ask each vendor to cancel the orders these items are on; mark what it canceled."""
    connect = connect or connector()
    result = CancelResult()
    with db.read() as session:
        items = {
            i.id: i
            for i in session.exec(select(OrderItem).where(col(OrderItem.id).in_(item_ids))).all()
            if i.id is not None
        }
        vendors = {v.id: v for v in session.exec(select(Vendor)).all()}
    subs = _latest_submissions(db, [i for i, it in items.items() if it.status in AT_VENDOR])
    by_sub: dict[int, list[int]] = {}
    local: list[int] = []
    for item_id, item in items.items():
        sub = subs.get(item_id)
        if item.status in AT_VENDOR and sub is not None and sub.vendor_order_id:
            assert sub.id is not None
            by_sub.setdefault(sub.id, []).append(item_id)
        elif item.status not in _DONE:
            local.append(item_id)
    for sub_id, ids in by_sub.items():
        sub = subs[ids[0]]
        vendor = vendors.get(sub.vendor_id)
        name = vendor.name if vendor is not None else "the vendor"
        where = items[ids[0]].status.label.lower()
        try:
            if vendor is None:
                raise NoAdapterError(name)
            adapter = connect(vendor)
        except NoAdapterError:
            result.canceled += _mark(db, ids, reason, {"vendor": name, "manual": True})
            result.notes.append(f"{name} has no API: tell them to cancel it yourself")
            continue
        except DomainError as exc:  # no credentials, a bad address: the vendor was not asked
            for item_id in ids:
                result.refused[item_id] = f"{where} at {name}: could not ask ({exc})"
            continue
        try:
            answer = asyncio.run(_ask(adapter, str(sub.vendor_order_id)))
        except ApiError as exc:
            for item_id in ids:
                result.refused[item_id] = f"{where} at {name}: cancel refused ({exc.message})"
            continue
        if answer.stage is not VendorStage.CANCELED:
            for item_id in ids:
                result.refused[item_id] = (
                    f"{where} at {name}: cancel not confirmed (the vendor says "
                    f"{answer.vendor_status or answer.stage.value})"
                )
            continue
        everyone = _items_of(db, sub_id)
        params: dict[str, object] = {"vendor": name, "vendor_order_id": sub.vendor_order_id}
        result.canceled += _mark(db, everyone, reason, params)
        with db.write() as session:
            done = session.get(Submission, sub_id)
            if done is not None:
                done.state = "canceled"
                done.vendor_status = answer.vendor_status or "canceled"
                done.updated_at = utcnow()
                session.add(done)
    if local:
        with db.read() as session:
            open_here = [
                i
                for i in local
                if (found := session.get(OrderItem, i)) is not None
                and is_allowed(found.status, Action.CANCEL)
            ]
        result.canceled += _mark(db, open_here, reason, {"vendor": None})
        for item_id in set(local) - set(open_here):
            result.refused[item_id] = f"{items[item_id].status.label.lower()}: cannot be canceled"
    return result


async def _ask(adapter: VendorAdapter, vendor_order_id: str) -> VendorOrder:
    try:
        return await adapter.cancel(vendor_order_id)
    finally:
        await adapter.aclose()


def _items_of(db: Database, submission_id: int) -> list[int]:
    with db.read() as session:
        return [
            int(i)
            for i in session.exec(
                select(SubmissionItem.item_id).where(SubmissionItem.submission_id == submission_id)
            ).all()
        ]


def cancel_order(
    db: Database, order_id: int, reason: str = "", *, connect: Connect | None = None
) -> CancelResult:
    """Cancel every open item of the order: at the vendor where it has them, here otherwise."""
    with db.read() as session:
        ids = [
            int(i.id)
            for i in session.exec(
                select(OrderItem).where(
                    OrderItem.order_id == order_id, col(OrderItem.managed).is_(True)
                )
            ).all()
            if i.id is not None and i.status not in _DONE
        ]
    return cancel_at_vendor(db, ids, reason, connect=connect)
