"""Store-side operations on many orders at once, from the list's marks: mark as paid, a store
status, a note to the store.

`plan_store_bulk` reads the marked orders and their stores and says which the operation applies
to, which stores they are at, and why the others are skipped (paid already, a status the store
does not allow from where the order is, a note to the customer a store cannot take), with the
orders named, for the y/n question. `run_store_bulk` then goes order by order through the same
one-order services the order page uses (each a `store_write`: its key, the search after a lost
answer, one event), so each order changes at its store at most once; a store's refusal is kept
with that order and the run goes on to the next. Cancelling stays on the order page: it cannot
be undone and carries money and restock choices per order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Order, Store
from podtui.domain.payment import can_mark_paid, payment_label
from podtui.domain.store_status import moves, store_label
from podtui.services.connections.reach import REAL, Reach
from podtui.services.connections.store_settings import notify_customer
from podtui.services.store_ops.notes import can_notify_customer, check_text, post_note
from podtui.services.store_ops.payment import mark_paid
from podtui.services.store_ops.status import change_store_status

VERBS = {
    "mark_paid": "Mark paid at the store",
    "status": "Set the store status",
    "note": "Post a note to the store",
}
BULK_MOVES = ("processing", "on-hold", "completed", "closed", "open")  # never cancel in bulk
CHUNK = 500
NAMED = 5  # orders named per reason in the question; the rest counted


@dataclass(frozen=True)
class StoreBulkRequest:
    """What to do at each order's store: `op` (mark_paid, status, note) and its input."""

    op: str
    to: str = ""  # status: where the orders go
    text: str = ""  # note: its text
    to_customer: bool = False  # note: to the customer (the store e-mails it)


@dataclass
class StoreBulkPlan:
    """Which marked orders the operation applies to, where, and why the others are skipped."""

    request: StoreBulkRequest
    acting: list[int] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    by_store: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> order names

    @property
    def verb(self) -> str:
        return VERBS[self.request.op]

    def question(self) -> str:
        """ "Mark 3 orders as paid at their stores: 2 at Main Shopify, 1 at Woo Outlet? ..." """
        r = self.request
        n = _orders(len(self.acting))
        at = "its store" if len(self.acting) == 1 else "their stores"
        head = {
            "mark_paid": f"Mark {n} as paid at {at} (nothing is charged)",
            "status": f"Set {n} to {store_label(r.to)} at {at}",
            "note": f"Post the note to {n} at {at}"
            + (" (to the customer: the store e-mails it)" if r.to_customer else ""),
        }[r.op]
        where = ", ".join(f"{count:,} at {name}" for name, count in self.by_store.items())
        text = f"{head}: {where}?" if where else f"Nothing to do: {head.lower()}?"
        for reason, names in self.skipped.items():
            more = len(names) - NAMED
            shown = ", ".join(names[:NAMED]) + (f" and {more:,} more" if more > 0 else "")
            text += f" {_orders(len(names)).capitalize()} skipped, {reason}: {shown}."
        return text


@dataclass
class StoreBulkReport:
    """What the run did: the orders done, and each refusal with the store's reason."""

    verb: str
    done: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # order name -> why
    skipped: int = 0
    stopped: bool = False

    def headline(self) -> str:
        text = (
            f"{self.verb}: {_orders(len(self.done))} done, {self.skipped:,} skipped, "
            f"{len(self.failed):,} refused"
        )
        return text + (" (stopped before the end)" if self.stopped else "")

    def text(self) -> str:
        lines = [self.headline()]
        if self.done:
            lines.append("done: " + ", ".join(self.done))
        lines.extend(f"REFUSED {name}: {why}" for name, why in self.failed.items())
        return "\n".join(lines)


def _orders(n: int) -> str:
    return f"{n:,} order{'' if n == 1 else 's'}"


def check_request(request: StoreBulkRequest) -> None:
    """ValidationError for input no order could take, before anything is read or sent."""
    if request.op not in VERBS:
        raise ValidationError(f"{request.op!r} is not a store operation.")
    if request.op == "status" and request.to not in BULK_MOVES:
        allowed = ", ".join(store_label(s) for s in BULK_MOVES)
        raise ValidationError(
            f"In bulk an order's store status can go to {allowed}; cancel on the order page.",
            fields={"to": "pick one"},
        )


def _skip(order: Order, store: Store | None, request: StoreBulkRequest) -> str | None:
    """Why the request does not apply to this order, or None."""
    if store is None:
        return "their store is gone"
    if request.op == "mark_paid" and not can_mark_paid(order.payment_status):
        return f"{payment_label(order.payment_status).lower()} already"
    if request.op == "status":
        if order.store_status == request.to:
            return f"{store_label(request.to).lower()} already"
        if request.to not in moves(store.kind, order.store_status):
            return f"the store allows no {store_label(request.to).lower()} from where they are"
    if request.op == "note" and request.to_customer and not can_notify_customer(store):
        return "their store keeps no notes to the customer"
    return None


def notify_all(db: Database, order_ids: Iterable[int]) -> bool:
    """Whether every store of these orders notifies the customer by default (the bulk note's
    "to the customer" starts ticked only then)."""
    ids = sorted(set(order_ids))
    with db.read() as session:
        store_ids: set[int] = set()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            store_ids.update(
                session.exec(select(Order.store_id).where(col(Order.id).in_(chunk))).all()
            )
        stores = [session.get(Store, i) for i in store_ids]
    return bool(stores) and all(notify_customer(s) for s in stores)


def plan_store_bulk(
    db: Database, order_ids: Iterable[int], request: StoreBulkRequest
) -> StoreBulkPlan:
    """The plan of `request` over these orders (see the module); bad input raises first."""
    check_request(request)
    if request.op == "note":
        check_text(request.text)  # empty or too long: said before anything is read
    plan = StoreBulkPlan(request)
    ids = sorted(set(order_ids))
    with db.read() as session:
        stores = {s.id: s for s in session.exec(select(Store)).all()}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            rows = session.exec(select(Order).where(col(Order.id).in_(chunk))).all()
            for order in sorted(rows, key=lambda o: o.id or 0):
                assert order.id is not None
                store = stores.get(order.store_id)
                plan.names[order.id] = order.name
                reason = _skip(order, store, request)
                if reason is not None:
                    plan.skipped.setdefault(reason, []).append(order.name)
                    continue
                assert store is not None
                plan.acting.append(order.id)
                plan.by_store[store.name] = plan.by_store.get(store.name, 0) + 1
    return plan


def run_store_bulk(
    db: Database,
    plan: StoreBulkPlan,
    *,
    reach: Reach = REAL,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> StoreBulkReport:
    """Do the plan order by order through the one-order services; refusals kept per order."""
    r = plan.request
    report = StoreBulkReport(plan.verb, skipped=sum(len(n) for n in plan.skipped.values()))
    total = len(plan.acting)
    for n, order_id in enumerate(plan.acting):
        if should_stop is not None and should_stop():
            report.stopped = True
            break
        name = plan.names.get(order_id, f"order {order_id}")
        try:
            if r.op == "mark_paid":
                mark_paid(db, order_id, reach=reach)
            elif r.op == "status":
                change_store_status(db, order_id, r.to, reach=reach)
            else:
                post_note(db, order_id, r.text, to_customer=r.to_customer, reach=reach)
        except DomainError as exc:  # the store's refusal, or changed here meanwhile
            report.failed[name] = str(exc)
        else:
            report.done.append(name)
        if on_progress is not None:
            on_progress(n + 1, total)
    return report
