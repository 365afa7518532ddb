"""The automatic submission countdown: a Ready item is sent when its store's delay is up.

Each store has `auto_submit_hours` (0 = off; `[stores."<name>"] auto_submit_hours` in the config
file overrides it). An item's `auto_submit_at` is the moment it became
Ready (its newest timeline event into Ready) plus that delay; the order list shows the time left
from the same column, for Ready items only. On hold pauses it: the time left is kept on the
timeline (a `countdown_paused` event) and a release to Ready resumes from there; a WooCommerce
order the store has on hold pauses its Ready items the same way until it leaves on-hold. Any
other move out of Ready stops it; coming back to Ready (a new render) starts it afresh.
`refresh` keeps the column in step; `due_items` is what is up; `send_due` sends them. The app
calls `send_due` on a timer while it is open, and `podtui submit --due` does the same from cron.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from podtui import config
from podtui.db import Database
from podtui.domain.models import Event, Order, OrderItem, Store, utcnow
from podtui.domain.order_types import auto_submit_types
from podtui.domain.status import ItemStatus
from podtui.domain.store_status import PAUSES_COUNTDOWN
from podtui.services.connections.vendors import Connect
from podtui.services.items.bulk_run import BulkOutcome
from podtui.services.items.timeline import record_event
from podtui.services.sending.fulfil import SendOptions, send_items

Progress = Callable[[int, int], None]
# A due item that could not be sent is tried again this much later, not at every tick.
RETRY_SKIPPED = timedelta(minutes=30)
PAUSED = "countdown_paused"  # timeline event: a hold stopped the countdown with `left_s` to go


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def configured_delays(data: dict[str, Any] | None = None) -> dict[str, float]:
    """`[stores."<name>"] auto_submit_hours = N` from the config file: store name -> hours.

    The config file wins over the store's own setting, so a shop can set it where it keeps the
    rest of its configuration.
    """
    if data is None:
        data = config.load_config().extra.get("stores", {})
    out: dict[str, float] = {}
    for name, section in data.items():
        if not isinstance(section, dict) or "auto_submit_hours" not in section:
            continue
        value = section["auto_submit_hours"]
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise config.ConfigError(
                f'[stores."{name}"] auto_submit_hours must be a number of hours, 0 or more '
                f"(0 = no automatic submission), not {value!r}"
            )
        out[str(name)] = float(value)
    return out


def refresh(
    db: Database,
    *,
    now: datetime | None = None,
    stores_config: dict[str, float] | None = None,
) -> int:
    """Start countdowns of newly Ready items, stop those that no longer run; returns changes."""
    changed = 0
    overrides = configured_delays() if stores_config is None else stores_config
    with db.write() as session:
        delays = {
            s.id: float(overrides.get(s.name, s.auto_submit_hours) or 0.0)
            for s in session.exec(select(Store)).all()
        }
        changed += _pause_held(session)
        changed += _pause_store_held(session, now or utcnow())
        # Left Ready (held, sent, ignored ...): the countdown stops. Statuses named, not
        # `!= READY`, and READY below: both read ix_item_due (status, auto_submit_at) instead
        # of the whole table (0.25 s and 60 MB of page cache a tick over a million items).
        not_ready = [s for s in ItemStatus if s is not ItemStatus.READY]
        result = session.execute(
            update(OrderItem)
            .where(
                col(OrderItem.status).in_(not_ready),
                col(OrderItem.auto_submit_at).is_not(None),
            )
            .values(auto_submit_at=None)
        )
        changed += int(result.rowcount)  # type: ignore[attr-defined]
        off = [sid for sid, hours in delays.items() if hours <= 0]
        if off:
            result = session.execute(
                update(OrderItem)
                .where(
                    col(OrderItem.status) == ItemStatus.READY,  # the only ones with a countdown
                    col(OrderItem.auto_submit_at).is_not(None),
                    col(OrderItem.store_id).in_(off),
                )
                .values(auto_submit_at=None)
            )
            changed += int(result.rowcount)  # type: ignore[attr-defined]
        on = [sid for sid, hours in delays.items() if hours > 0]
        if on:
            types = {s.id: auto_submit_types(s.settings) for s in session.exec(select(Store))}
            changed += _start(session, on, delays, types, now or utcnow())
    return changed


_TEST_ORDERS = select(Order.id).where(col(Order.test).is_(True))
# Orders the store holds (WooCommerce on-hold): their items wait, whatever their countdown.
_STORE_HELD = select(Order.id).where(col(Order.store_status).in_(sorted(PAUSES_COUNTDOWN)))


def _start(
    session: Session,
    store_ids: list[int | None],
    delays: dict[int | None, float],
    types: dict[int | None, tuple[str, ...]],
    now: datetime,
) -> int:
    rows = session.exec(
        select(OrderItem.id, OrderItem.store_id, OrderItem.updated_at, Order.source)
        .join(Order, col(Order.id) == col(OrderItem.order_id))
        .where(
            col(OrderItem.status) == ItemStatus.READY,
            col(OrderItem.auto_submit_at).is_(None),
            col(OrderItem.store_id).in_(store_ids),
            col(OrderItem.archived).is_(False),
            col(OrderItem.managed).is_(True),
            col(OrderItem.order_id).not_in(_TEST_ORDERS),  # a test order is never sent by itself
            col(OrderItem.order_id).not_in(_STORE_HELD),
        )
    ).all()
    started = 0
    for item_id, store_id, updated_at, source in rows:
        if (source or "").casefold() not in types.get(store_id, ()):
            continue  # by default only the shop's own (In-app) orders go by themselves
        started += 1
        ready = session.exec(
            select(Event)
            .where(col(Event.item_id) == item_id, col(Event.to_status) == ItemStatus.READY.value)
            .order_by(col(Event.at).desc(), col(Event.id).desc())
        ).first()
        start = _aware(ready.at if ready is not None else updated_at)
        left = timedelta(hours=delays[store_id])
        if ready is not None and ready.from_status == ItemStatus.ON_HOLD.value:
            paused = session.exec(
                select(Event)
                .where(col(Event.item_id) == item_id, col(Event.type) == PAUSED)
                .order_by(col(Event.at).desc(), col(Event.id).desc())
            ).first()
            if paused is not None and _aware(paused.at) <= start:
                # Released from the hold that paused it: the time that was left, no more.
                left = min(left, timedelta(seconds=float(paused.params.get("left_s", 0.0))))
        store_paused = session.exec(
            select(Event)
            .where(col(Event.item_id) == item_id, col(Event.type) == PAUSED)
            .order_by(col(Event.at).desc(), col(Event.id).desc())
        ).first()
        if (
            store_paused is not None
            and store_paused.params.get("store_status")
            and _aware(store_paused.at) >= start
        ):
            # The store held the order after the item was Ready: what was left, from now.
            start, left = now, timedelta(seconds=float(store_paused.params.get("left_s", 0.0)))
        session.execute(
            update(OrderItem)
            .where(col(OrderItem.id) == item_id, col(OrderItem.status) == ItemStatus.READY)
            .values(auto_submit_at=start + left)
        )
    return started


def _pause_store_held(session: Session, now: datetime) -> int:
    """Ready items of orders the store holds: keep the time that was left on the timeline."""
    held = session.exec(
        select(OrderItem, Order.store_status)
        .join(Order, col(Order.id) == col(OrderItem.order_id))
        .where(
            col(OrderItem.status) == ItemStatus.READY,
            col(OrderItem.auto_submit_at).is_not(None),
            col(Order.store_status).in_(sorted(PAUSES_COUNTDOWN)),
        )
    ).all()
    for item, store_status in held:
        assert item.auto_submit_at is not None and item.id is not None
        left = max(0.0, (_aware(item.auto_submit_at) - now).total_seconds())
        record_event(
            session,
            PAUSED,
            order_id=item.order_id,
            item_id=item.id,
            params={"left_s": round(left, 1), "store_status": store_status},
            user="podtui",
        )
        session.execute(
            update(OrderItem).where(col(OrderItem.id) == item.id).values(auto_submit_at=None)
        )
    return len(held)


def _pause_held(session: Session) -> int:
    """Held items whose countdown ran: keep the time that was left on the timeline."""
    held = session.exec(
        select(OrderItem).where(
            col(OrderItem.status) == ItemStatus.ON_HOLD,
            col(OrderItem.auto_submit_at).is_not(None),
        )
    ).all()
    for item in held:
        assert item.auto_submit_at is not None and item.id is not None
        since = session.exec(
            select(func.max(Event.at)).where(
                col(Event.item_id) == item.id, col(Event.to_status) == ItemStatus.ON_HOLD.value
            )
        ).one()
        at_hold = _aware(since) if since is not None else utcnow()
        left = max(0.0, (_aware(item.auto_submit_at) - at_hold).total_seconds())
        record_event(
            session,
            PAUSED,
            order_id=item.order_id,
            item_id=item.id,
            params={"left_s": round(left, 1)},
            user="podtui",
        )
        session.execute(
            update(OrderItem).where(col(OrderItem.id) == item.id).values(auto_submit_at=None)
        )
    return len(held)


def due_items(db: Database, *, now: datetime | None = None, limit: int = 5_000) -> list[int]:
    """Ready items whose countdown is up, oldest first."""
    moment = now or utcnow()
    with db.read() as session:
        return [
            int(i)
            for i in session.exec(
                select(OrderItem.id)
                .where(
                    col(OrderItem.status) == ItemStatus.READY,
                    col(OrderItem.auto_submit_at).is_not(None),
                    col(OrderItem.auto_submit_at) <= moment,
                    col(OrderItem.archived).is_(False),
                    col(OrderItem.order_id).not_in(_TEST_ORDERS),
                    col(OrderItem.order_id).not_in(_STORE_HELD),
                )
                .order_by(col(OrderItem.auto_submit_at), col(OrderItem.id))
                .limit(limit)
            ).all()
            if i is not None
        ]


def send_due(
    db: Database,
    *,
    now: datetime | None = None,
    connect: Connect | None = None,
    options: SendOptions | None = None,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BulkOutcome:
    """Refresh the countdowns, then send every item whose time is up."""
    refresh(db, now=now)
    ids = due_items(db, now=now)
    if not ids:
        return BulkOutcome()
    outcome = send_items(
        db,
        ids,
        connect=connect,
        options=options,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    postpone_skipped(db, outcome.skipped, now=now)
    return outcome


def postpone_skipped(db: Database, skipped: dict[int, str], *, now: datetime | None = None) -> int:
    """Due items that could not go (no vendor connection, no print file ...) wait RETRY_SKIPPED.

    They stay Ready with their reason in the tick's summary; without this every tick would plan,
    render and skip the same backlog again (seconds of work and tens of MB each minute).
    """
    still_ready = [i for i in skipped if i is not None]
    if not still_ready:
        return 0
    later = (now or utcnow()) + RETRY_SKIPPED
    with db.write() as session:
        result = session.execute(
            update(OrderItem)
            .where(
                col(OrderItem.id).in_(still_ready),
                col(OrderItem.status) == ItemStatus.READY,
                col(OrderItem.auto_submit_at).is_not(None),
            )
            .values(auto_submit_at=later)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
