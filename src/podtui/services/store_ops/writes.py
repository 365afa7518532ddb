"""A change asked of a store from the order page, carried out at most once and recorded once.

Every store-side operation (mark as paid, refunds, notes, store status, customer) goes through
`store_write`:

1. Earlier changes of this order whose answer was lost are settled first: each is looked for at
   the store by its key; found, it is recorded as accepted; not found, as not applied.
2. The order is read and the operation's own check runs: bad input raises before anything is
   sent or stored.
3. A `store_write` row with a new podtui key is committed before the call. The adapter writes the
   key into what the store keeps (a refund's note, an order note, the order's meta) where the
   store has such a place.
4. The store is called. A lost answer (dropped connection, timeout, 5xx) is not repeated blindly:
   the change is looked for by its key first, and asked again only when the store does not have
   it. Two identical changes the operator asks for one after the other carry two keys, so both
   go through.
5. Only once the store accepted does anything change locally: the row, the order (the
   operation's `apply`) and one timeline event with the OS user and whether the customer was to
   be notified, in one transaction. A refusal keeps the store's own reason on the row and the
   timeline and raises it; the order stays as it was.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import update
from sqlmodel import Session, col, select

from podtui.adapters.http import ApiError
from podtui.adapters.stores.base import StoreAdapter, WriteReceipt
from podtui.db import Database
from podtui.domain.errors import DomainError, NotFoundError
from podtui.domain.models import Order, Store, StoreWrite, utcnow
from podtui.services.connections.reach import REAL, Reach
from podtui.services.items.timeline import current_user, record_event

EVENT_REFUSED = "store_refused"
# A row still "sending" this long after it was committed belongs to a process that is gone.
STALE_SENDING = timedelta(minutes=10)
ATTEMPTS = 2  # calls of one change: the first, and one more when the store does not have it

T = TypeVar("T")
Perform = Callable[[StoreAdapter, str, str, dict[str, Any]], Awaitable[WriteReceipt]]
Find = Callable[[StoreAdapter, str, str, dict[str, Any]], Awaitable[WriteReceipt | None]]
Apply = Callable[[Session, Order, WriteReceipt, dict[str, Any]], dict[str, Any]]


class StoreRefusedError(DomainError):
    """The store refused the change; the message is its own reason. Nothing changed here."""


class StoreAnswerLostError(DomainError):
    """The store may or may not have made the change, and cannot be asked now."""


@dataclass(frozen=True)
class Operation:
    """One kind of store-side change: how to ask for it, find it again, and record it here."""

    name: str  # "mark_paid": the row's operation
    label: str  # "mark the order as paid": what the messages say it was
    event: str  # the timeline event of an accepted change: "store_marked_paid"
    perform: Perform
    find: Find
    apply: Apply  # the local change once accepted; returns more params for the event


OPERATIONS: dict[str, Operation] = {}


def register(operation: Operation) -> Operation:
    OPERATIONS[operation.name] = operation
    return operation


@dataclass
class WriteOutcome:
    """What a change came to: the store accepted it (perhaps found after a lost answer)."""

    key: str
    receipt: WriteReceipt
    settled: list[str] = field(default_factory=list)  # earlier lost answers settled first

    @property
    def found_after_lost_answer(self) -> bool:
        return self.receipt.found


@dataclass(frozen=True)
class Target:
    """The order a change is for, and its store: what every store-side call starts from."""

    order_id: int
    order_name: str
    store_order_id: str
    store: Store
    currency: str = ""
    store_status: str = ""  # the order's status at the store, as podtui last saw it

    def ask(
        self,
        call: Callable[[StoreAdapter, str], Awaitable[T]],
        *,
        failed: str,
        reach: Reach = REAL,
    ) -> T:
        """One read of the store (`call` with an adapter and the order's store id), the adapter
        closed after it; an API error becomes a DomainError saying the store could not `failed`."""
        from podtui.services.connections.stores import open_adapter  # store kinds load lazily

        adapter = open_adapter(self.store, reach=reach)

        async def go() -> T:
            try:
                return await call(adapter, self.store_order_id)
            finally:
                await adapter.aclose()

        try:
            return run_sync(go)
        except ApiError as exc:
            raise DomainError(f"{self.store.name} could not {failed}: {exc.message}") from exc


def new_key() -> str:
    return f"podtui-{uuid.uuid4()}"


def run_sync(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """A coroutine's result from sync code, also when this thread already runs a loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    out: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            out.append(asyncio.run(make()))
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target, name="podtui-store-write")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return out[0]


def read_target(
    db: Database, order_id: int, check: Callable[[Order, Store], None] = lambda o, s: None
) -> Target:
    """The order and its store (NotFoundError when either is gone), after `check` of both."""
    with db.read() as session:
        order = session.get(Order, order_id)
        if order is None:
            raise NotFoundError(f"Order {order_id} does not exist.")
        store = session.get(Store, order.store_id)
        if store is None:
            raise NotFoundError(f"The store of order {order.name} no longer exists.")
        check(order, store)
        return Target(
            order_id, order.name, order.store_order_id, store, order.currency, order.store_status
        )


def find_order(db: Database, name: str, store: str | None = None) -> int:
    """The id of the order called `name` (#1001, 1001, or the store's id), in `store` if given;
    NotFoundError, or DomainError when several stores have one by that name."""
    text = name.strip()
    bare = text.lstrip("#")
    with db.read() as session:
        query = select(Order.id, Store.name).join(Store, col(Store.id) == col(Order.store_id))
        query = query.where(
            (col(Order.name) == text)
            | (col(Order.name) == f"#{bare}")
            | (col(Order.store_order_id) == bare)
        )
        rows = [
            (int(i), s)
            for i, s in session.exec(query).all()
            if i is not None and (store is None or s == store)
        ]
    if not rows:
        raise NotFoundError(f"No order {text!r}{f' at {store}' if store else ''}.")
    if len({i for i, _ in rows}) > 1:
        stores = ", ".join(sorted({s for _, s in rows}))
        raise DomainError(f"Several stores have an order {text!r} ({stores}): add --store.")
    return rows[0][0]


def _unsure(exc: ApiError) -> bool:
    """Whether the store may have made the change although the answer says nothing of it (an
    adapter clears `retryable` on a 5xx that is the store's own refusal)."""
    return exc.outcome_unknown or exc.retryable


async def _ask(
    adapter: StoreAdapter, op: Operation, store_order_id: str, key: str, params: dict[str, Any]
) -> tuple[WriteReceipt | None, ApiError | None, int]:
    """(receipt, None) when accepted; (None, error) when refused or not made; and the calls."""
    lost: ApiError | None = None
    calls = 0
    for _ in range(ATTEMPTS):
        calls += 1
        try:
            return await op.perform(adapter, store_order_id, key, params), None, calls
        except ApiError as exc:
            if not _unsure(exc):
                return None, exc, calls  # the store's refusal
            lost = exc
        found = await op.find(adapter, store_order_id, key, params)  # ApiError: unknown
        if found is not None:
            return found, None, calls
    return None, lost, calls


def store_write(
    db: Database,
    order_id: int,
    op: Operation,
    params: dict[str, Any],
    *,
    notify: bool | None,
    check: Callable[[Order, Store], None] = lambda order, store: None,
    reach: Reach = REAL,
) -> WriteOutcome:
    """Ask the order's store for `op` once; record it when accepted. See the module's steps."""
    from podtui.services.connections.stores import open_adapter  # store kinds load lazily

    target = read_target(db, order_id)
    adapter = open_adapter(target.store, reach=reach)
    user = current_user()
    key = new_key()

    async def go() -> tuple[list[str], WriteReceipt | None, ApiError | None, int, bool]:
        try:
            # Earlier lost answers first: what they did is what this change is checked against.
            settled = await _settle(db, adapter, target)
            read_target(db, order_id, check)
            with db.write() as session:
                session.add(
                    StoreWrite(
                        key=key,
                        order_id=target.order_id,
                        store_id=target.store.id or 0,
                        operation=op.name,
                        params=params,
                        notify=notify,
                        user=user,
                        error="",
                        raw="",
                    )
                )
            try:
                receipt, error, calls = await _ask(adapter, op, target.store_order_id, key, params)
            except ApiError as exc:  # the change could not be looked for after a lost answer
                return settled, None, exc, ATTEMPTS, True
            return settled, receipt, error, calls, False
        finally:
            await adapter.aclose()

    settled, receipt, error, calls, unknown = run_sync(go)
    what = f"{target.store.name} to {op.label} ({target.order_name})"
    if receipt is not None:
        _accept(db, op, key, target.order_id, receipt, calls=calls)
        return WriteOutcome(key, receipt, settled)
    assert error is not None
    if unknown:
        _finish(db, key, "unknown", error, calls)
        raise StoreAnswerLostError(
            f"No answer from {target.store.name}: it may or may not {op.label}, and it cannot be "
            f"asked now ({error.message}). podtui looks for it (key {key}) before the next "
            "change to this order."
        )
    if _unsure(error):
        _finish(db, key, "not_applied", error, calls)
        raise DomainError(
            f"Could not reach {target.store.name} to {op.label}: {error.message}. The store "
            "does not have the change; nothing changed here. Try again later."
        )
    _finish(db, key, "refused", error, calls, event=(op, target.order_id))
    raise StoreRefusedError(f"{what} was refused by the store: {error.message}")


def _finish(
    db: Database,
    key: str,
    state: str,
    error: ApiError,
    calls: int,
    *,
    event: tuple[Operation, int] | None = None,
) -> None:
    with db.write() as session:
        row = session.exec(select(StoreWrite).where(StoreWrite.key == key)).one()
        row.state, row.error, row.raw = state, error.message, error.raw
        row.attempts, row.updated_at = calls, utcnow()
        session.add(row)
        if event is not None:
            op, order_id = event
            record_event(
                session,
                EVENT_REFUSED,
                order_id=order_id,
                params={
                    "operation": op.name,
                    "reason": error.message,
                    "code": error.code,
                    "key": key,
                    **row.params,
                },
                user=row.user,
            )


def _accept(
    db: Database, op: Operation, key: str, order_id: int, receipt: WriteReceipt, *, calls: int
) -> None:
    """The store has it: the row, the order and the timeline, in one transaction."""
    with db.write() as session:
        row = session.exec(select(StoreWrite).where(StoreWrite.key == key)).one()
        result = session.execute(
            update(StoreWrite)
            .where(col(StoreWrite.id) == row.id, col(StoreWrite.state).in_(_OPEN))
            .values(
                state="accepted",
                store_ref=receipt.store_ref,
                attempts=max(row.attempts, calls),
                updated_at=utcnow(),
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            return  # another process recorded it meanwhile
        order = session.get(Order, order_id)
        assert order is not None
        extra = op.apply(session, order, receipt, row.params)
        from_status = extra.pop("from_status", None)
        to_status = extra.pop("to_status", None)
        record_event(
            session,
            op.event,
            order_id=order_id,
            from_status=from_status,
            to_status=to_status,
            params={
                **row.params,
                **extra,
                "key": key,
                "store_ref": receipt.store_ref,
                "notify": row.notify,
                "found_after_lost_answer": receipt.found,
            },
            user=row.user,
        )


_OPEN = ("sending", "unknown")


async def _settle(db: Database, adapter: StoreAdapter, target: Target) -> list[str]:
    """Look for this order's changes whose answer was lost; the keys settled."""
    stale = utcnow() - STALE_SENDING
    with db.read() as session:
        rows = session.exec(
            select(StoreWrite)
            .where(StoreWrite.order_id == target.order_id, col(StoreWrite.state).in_(_OPEN))
            .order_by(col(StoreWrite.id))
        ).all()
    settled = []
    for row in rows:
        if row.state == "sending" and _aware(row.created_at) > stale:
            continue  # another process is calling the store right now
        op = OPERATIONS.get(row.operation)
        if op is None:
            continue
        try:
            found = await op.find(adapter, target.store_order_id, row.key, row.params)
        except ApiError as exc:
            raise StoreAnswerLostError(
                f"An earlier change to {target.order_name} ({op.label}) got no answer from "
                f"{target.store.name}, and the store cannot be asked now ({exc.message}); "
                "nothing more is sent until it can."
            ) from exc
        if found is not None:
            _accept(db, op, row.key, target.order_id, found, calls=row.attempts)
        else:
            with db.write() as session:
                session.execute(
                    update(StoreWrite)
                    .where(col(StoreWrite.id) == row.id, col(StoreWrite.state).in_(_OPEN))
                    .values(state="not_applied", updated_at=utcnow())
                )
        settled.append(row.key)
    return settled


def _aware(moment: Any) -> Any:
    from datetime import UTC

    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
