"""The database side of sending: which items go together, the claim before the call, the result.

Sending is three steps, and only the middle one talks to a vendor:

1. `plan_batches` groups the items into vendor orders: Ready items of one vendor going to the same
   normalised address, ordered within `consolidate_hours` of each other, become one order; a Failed
   item is retried inside its own submission, with the key it already had.
2. `claim` commits, before any HTTP call, the Submission row with its unique idempotency key (the
   vendor's `external_id`) and shipping method in state `sending` (so a recovery resend ships the
   way the operator chose), and moves each item Ready -> Sending (Failed ->
   Sending for a retry) by compare-and-set. An item another process claimed first is skipped.
3. `record_sent` / `record_failed` commit the outcome: Sent with the vendor's order id, or Failed
   with the vendor's code, message, HTTP status and raw body.

A crash between 2 and 3 leaves the submission in `sending`; sending/recovery.py reconciles it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from podtui.adapters.http import ApiError
from podtui.adapters.vendors.base import VendorLine, VendorOrder, VendorOrderRequest
from podtui.db import Database
from podtui.domain.address import ShippingAddress, normalise_address
from podtui.domain.errors import DomainError
from podtui.domain.filenames import bounded
from podtui.domain.models import (
    Order,
    OrderItem,
    PrintFile,
    RoutingRule,
    Submission,
    SubmissionItem,
    Vendor,
    utcnow,
)
from podtui.domain.status import Action, ItemStatus
from podtui.services.items.transitions import apply_action
from podtui.services.items.variant import mapping_for

DEFAULT_CONSOLIDATE_HOURS = 24.0
MAX_LINES = 50  # items in one vendor order; more go into the next one
SENDING, SENT, FAILED = "sending", "sent", "failed"
NO_PRINT_FILE = "no print file yet: regenerate it to render one, then send"
KEY_NAME_MAX = 32  # characters of the order name in an external id


@dataclass
class Batch:
    """Items that go to one vendor as one order (a retry carries its submission and key)."""

    vendor_id: int
    item_ids: list[int]
    submission_id: int | None = None
    key: str | None = None
    failed: bool = False  # Failed items with no submission yet: sent through RETRY
    # Chosen at the send confirm; stored on the submission by the claim. None: a new submission
    # takes the vendor's default, a retry keeps what its submission has.
    shipping_method: str | None = None

    @property
    def retry(self) -> bool:
        return self.submission_id is not None or self.failed


@dataclass
class Plan:
    """What `plan_batches` decided: the batches, and the items left out with the reason."""

    batches: list[Batch] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


@dataclass
class Claim:
    """A committed submission in `sending` and the items it carries."""

    submission_id: int
    key: str
    vendor_id: int
    item_ids: list[int]
    retry: bool
    skipped: dict[int, str] = field(default_factory=dict)


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def plan_batches(
    session: Session,
    item_ids: Sequence[int],
    *,
    consolidate_hours: float | None = None,
) -> Plan:
    """Group `item_ids` into vendor orders; items that cannot be sent are skipped with a reason."""
    plan = Plan()
    rows: list[tuple[OrderItem, Order]] = []
    for chunk in _chunks(list(dict.fromkeys(item_ids))):
        found = session.exec(
            select(OrderItem, Order)
            .join(Order, col(Order.id) == col(OrderItem.order_id))
            .where(col(OrderItem.id).in_(chunk))
        ).all()
        rows.extend(found)
    seen = {item.id for item, _ in rows}
    for missing in item_ids:
        if missing not in seen:
            plan.skipped[missing] = f"item {missing} does not exist"
    vendors = {v.id: v for v in session.exec(select(Vendor)).all()}
    with_file = _items_with_print_file(session, [item.id for item, _ in rows if item.id])
    groups: dict[tuple[int, str], list[tuple[OrderItem, Order]]] = {}
    retries: dict[int, list[int]] = {}
    failed_ids = [item.id for item, _ in rows if item.status is ItemStatus.FAILED and item.id]
    last_submission = _last_submissions(session, failed_ids)
    for item, order in rows:
        assert item.id is not None
        vendor = vendors.get(item.vendor_id) if item.vendor_id is not None else None
        if item.status not in (ItemStatus.READY, ItemStatus.FAILED):
            plan.skipped[item.id] = f"it is {item.status.label}, not Ready"
            continue
        if vendor is None:
            plan.skipped[item.id] = "it has no vendor"
            continue
        if not vendor.integrated:
            plan.skipped[item.id] = f"{vendor.name} is a manual vendor: mark it fulfilled instead"
            continue
        if item.id not in with_file:
            plan.skipped[item.id] = NO_PRINT_FILE
            continue
        if item.status is ItemStatus.FAILED:
            sid = last_submission.get(item.id)
            if sid is None:  # failed before any submission existed: a fresh one
                groups.setdefault((vendor.id or 0, f"retry:{item.id}"), []).append((item, order))
            else:
                retries.setdefault(sid, []).append(item.id)
            continue
        key = normalise_address(ShippingAddress.from_order(order))
        groups.setdefault((vendor.id or 0, key), []).append((item, order))
    for (vendor_id, _), members in groups.items():
        if members[0][0].status is ItemStatus.FAILED:
            # Failed before any submission existed: a submission of its own, through RETRY.
            ids = [m[0].id for m in members if m[0].id is not None]
            plan.batches.append(Batch(vendor_id, ids, failed=True))
            continue
        if consolidate_hours is None:
            settings = vendors[vendor_id].settings
            hours = float(settings.get("consolidate_hours", DEFAULT_CONSOLIDATE_HOURS))
        else:
            hours = consolidate_hours
        plan.batches.extend(_windows(vendor_id, members, hours))
    subs = session.exec(
        select(Submission).where(col(Submission.id).in_(list(retries) or [-1]))
    ).all()
    for sub in subs:
        assert sub.id is not None
        plan.batches.append(Batch(sub.vendor_id, retries[sub.id], sub.id, sub.idempotency_key))
    return plan


def _windows(vendor_id: int, members: list[tuple[OrderItem, Order]], hours: float) -> list[Batch]:
    """Split one address's items into orders placed within `hours` of the first (0: one each)."""
    members.sort(key=lambda pair: (_aware(pair[1].created_at), pair[0].id or 0))
    batches: list[Batch] = []
    start: datetime | None = None
    for item, order in members:
        assert item.id is not None
        created = _aware(order.created_at)
        if (
            not batches
            or hours <= 0
            or start is None
            or created - start > timedelta(hours=hours)
            or len(batches[-1].item_ids) >= MAX_LINES
        ):
            batches.append(Batch(vendor_id, []))
            start = created
        batches[-1].item_ids.append(item.id)
    return batches


def _items_with_print_file(session: Session, ids: Sequence[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(list(ids)):
        found.update(
            session.exec(
                select(PrintFile.item_id).where(
                    col(PrintFile.item_id).in_(chunk), col(PrintFile.current).is_(True)
                )
            ).all()
        )
    return found


def _last_submissions(session: Session, ids: Sequence[int]) -> dict[int, int]:
    """Each item's newest submission id."""
    out: dict[int, int] = {}
    for chunk in _chunks(list(ids)):
        for item_id, sid in session.exec(
            select(SubmissionItem.item_id, SubmissionItem.submission_id)
            .where(col(SubmissionItem.item_id).in_(chunk))
            .order_by(col(SubmissionItem.submission_id))
        ).all():
            out[item_id] = sid
    return out


def new_key(session: Session, item_id: int) -> str:
    """A fresh external id: the store order's name, the item, and a random part.

    Readable in the vendor's dashboard, and unique across databases sharing one vendor account.
    The name part is bounded (a hot folder makes file names of the key; a vendor field has a
    length): a long name keeps its start and a hash of the rest.
    """
    item = session.get(OrderItem, item_id)
    order = session.get(Order, item.order_id) if item is not None else None
    name = "".join(ch for ch in (order.name if order else "") if ch.isalnum()) or "item"
    return f"{bounded(name, KEY_NAME_MAX)}-{item_id}-{uuid.uuid4().hex[:10]}"


class _NothingClaimedError(Exception):
    pass


def claim(db: Database, batch: Batch) -> Claim | None:
    """Commit the submission and move its items to Sending; None when no item could be claimed."""
    skipped: dict[int, str] = {}
    try:
        with db.write() as session:
            if batch.submission_id is not None:
                again: dict[str, Any] = {"state": SENDING, "updated_at": utcnow()}
                if batch.shipping_method:
                    again["shipping_method"] = batch.shipping_method
                result = session.execute(
                    update(Submission)
                    .where(
                        col(Submission.id) == batch.submission_id,
                        col(Submission.state) == FAILED,
                    )
                    .values(**again)
                )
                if result.rowcount != 1:  # type: ignore[attr-defined]
                    for iid in batch.item_ids:
                        skipped[iid] = "its submission is being sent by someone else"
                    raise _NothingClaimedError
                sid = batch.submission_id
                key = batch.key or ""
                action, expected = Action.RETRY, ItemStatus.FAILED
            else:
                key = new_key(session, batch.item_ids[0])
                vendor = session.get(Vendor, batch.vendor_id)
                sub = Submission(
                    idempotency_key=key,
                    vendor_id=batch.vendor_id,
                    state=SENDING,
                    shipping_method=batch.shipping_method or vendor_default_method(vendor),
                )
                session.add(sub)
                session.flush()
                assert sub.id is not None
                sid = sub.id
                action, expected = Action.SEND, ItemStatus.READY
                if batch.failed:
                    action, expected = Action.RETRY, ItemStatus.FAILED
            claimed: list[int] = []
            for iid in batch.item_ids:
                try:
                    with session.begin_nested():
                        values: dict[str, Any] = {}
                        if action is Action.SEND:
                            values["submitted_at"] = utcnow()
                            values["auto_submit_at"] = None
                        apply_action(
                            session,
                            iid,
                            action,
                            expected=expected,
                            values=values,
                            params={"submission_id": sid, "external_id": key},
                        )
                        if batch.submission_id is None:
                            session.add(SubmissionItem(submission_id=sid, item_id=iid))
                except DomainError as exc:
                    skipped[iid] = str(exc)
                else:
                    claimed.append(iid)
            if not claimed:
                raise _NothingClaimedError
    except _NothingClaimedError:
        return None
    return Claim(sid, key, batch.vendor_id, claimed, batch.retry, skipped)


def touch(db: Database, submission_id: int) -> None:
    """Say the submission is being worked on now (recovery leaves fresh ones alone)."""
    with db.write() as session:
        session.execute(
            update(Submission)
            .where(col(Submission.id) == submission_id, col(Submission.state) == SENDING)
            .values(updated_at=utcnow(), attempts=Submission.attempts + 1)
        )


def build_request(
    session: Session, submission_id: int, *, print_file_base_url: str = ""
) -> VendorOrderRequest:
    """The vendor order for a submission, from its items as they are now."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise DomainError(f"Submission {submission_id} does not exist")
    vendor = session.get(Vendor, sub.vendor_id)
    items = session.exec(
        select(OrderItem)
        .join(SubmissionItem, col(SubmissionItem.item_id) == col(OrderItem.id))
        .where(
            col(SubmissionItem.submission_id) == submission_id,
            # A retry may carry fewer items than the first try (the operator ignored one).
            col(OrderItem.status) == ItemStatus.SENDING,
        )
        .order_by(col(OrderItem.id))
    ).all()
    if not items:
        raise DomainError(f"Submission {submission_id} carries no items in Sending")
    return vendor_request(
        session,
        items,
        external_id=sub.idempotency_key,
        shipping_method=sub.shipping_method or vendor_default_method(vendor),
        print_file_base_url=print_file_base_url,
    )


def vendor_request(
    session: Session,
    items: Sequence[OrderItem],
    *,
    external_id: str,
    shipping_method: str = "standard",
    print_file_base_url: str = "",
) -> VendorOrderRequest:
    """The vendor order these items make: their lines, the first order's address, the names.

    The send builds it for a claimed submission; the send confirm's shipping quote builds the
    same for items not claimed yet, so the vendor prices the very order it would be sent.
    """
    orders = {o.id: o for o in session.exec(
        select(Order).where(col(Order.id).in_({i.order_id for i in items}))
    ).all()}  # fmt: skip
    lines = [line_of(session, item, print_file_base_url) for item in items]
    first = orders[items[0].order_id]
    names = list(dict.fromkeys(o.name for o in orders.values()))
    return VendorOrderRequest(
        external_id=external_id,
        lines=tuple(lines),
        address=ShippingAddress.from_order(first),
        label=", ".join(names),
        shipping_method=shipping_method,
    )


def vendor_default_method(vendor: Vendor | None) -> str:
    """The shipping a vendor gets when nobody chose one: its setting, else standard."""
    settings = vendor.settings if vendor is not None else {}
    return str(settings.get("shipping_method") or settings.get("shipping") or "standard")


def line_of(session: Session, item: OrderItem, base_url: str = "") -> VendorLine:
    """One item as the vendor needs it: its mapping's product ids, its print file."""
    assert item.id is not None
    mapping = mapping_for(session, item)
    rule = session.get(RoutingRule, item.rule_id) if mapping is None and item.rule_id else None
    source = mapping or rule  # the item's own mapping, else the rule that routed it
    product: dict[str, Any] = dict(source.vendor_product) if source else {}
    variant_ids = product.pop("variant_ids", None)
    product.pop("variants", None)  # the store's variant -> SKU list: not the vendor's business
    if isinstance(variant_ids, dict) and item.variant_id in variant_ids:
        product.setdefault("variant_id", variant_ids[item.variant_id])
    pf = session.exec(
        select(PrintFile)
        .where(col(PrintFile.item_id) == item.id, col(PrintFile.current).is_(True))
        .order_by(col(PrintFile.id).desc())
    ).first()
    url = ""
    if pf is not None and base_url:
        from podtui.services.render.print_files import print_file_link

        url = print_file_link(session, item.id, base_url)
    return VendorLine(
        item_id=item.id,
        quantity=item.quantity,
        sku=item.sku,
        vendor_product=product,
        print_file=Path(pf.path) if pf is not None else None,
        print_file_url=url,
        placement=str(product.get("print_area") or product.get("placement") or "front"),
        title=item.title,
        variant=item.variant_title,
    )


def _item_ids(session: Session, submission_id: int) -> list[int]:
    return list(
        session.exec(
            select(SubmissionItem.item_id).where(col(SubmissionItem.submission_id) == submission_id)
        ).all()
    )


def record_sent(db: Database, submission_id: int, order: VendorOrder, *, how: str = "") -> bool:
    """Sending -> Sent, with the vendor's order id; False if the submission had left Sending."""
    raw = json.dumps(order.raw, ensure_ascii=False, default=str)[:20_000] if order.raw else None
    with db.write() as session:
        result = session.execute(
            update(Submission)
            .where(col(Submission.id) == submission_id, col(Submission.state) == SENDING)
            .values(
                state=SENT,
                vendor_order_id=order.vendor_order_id,
                vendor_status=order.vendor_status,
                raw_response=raw,
                error_code=None,
                error_message=None,
                http_status=None,
                updated_at=utcnow(),
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        params: dict[str, Any] = {
            "submission_id": submission_id,
            "vendor_order_id": order.vendor_order_id,
            "vendor_status": order.vendor_status,
        }
        if how:
            params["how"] = how
        _move_items(session, submission_id, Action.SUBMIT_ACCEPTED, params)
    return True


def record_failed(db: Database, submission_id: int, error: ApiError, *, how: str = "") -> bool:
    """Sending -> Failed, keeping the vendor's code, message, HTTP status and raw body."""
    with db.write() as session:
        result = session.execute(
            update(Submission)
            .where(col(Submission.id) == submission_id, col(Submission.state) == SENDING)
            .values(
                state=FAILED,
                error_code=error.code,
                error_message=error.message,
                http_status=error.http_status,
                raw_response=error.raw or None,
                updated_at=utcnow(),
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return False
        params: dict[str, Any] = {
            "submission_id": submission_id,
            "code": error.code,
            "message": error.message,
            "http_status": error.http_status,
            "retryable": error.retryable,
        }
        if how:
            params["how"] = how
        _move_items(session, submission_id, Action.SUBMIT_FAILED, params)
    return True


def _move_items(
    session: Session, submission_id: int, action: Action, params: dict[str, Any]
) -> None:
    for iid in _item_ids(session, submission_id):
        item = session.get(OrderItem, iid, populate_existing=True)
        if item is not None and item.status is ItemStatus.SENDING:
            apply_action(session, iid, action, expected=ItemStatus.SENDING, params=params)
