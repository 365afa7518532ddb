"""The automatic submission countdown: a Ready item is sent when its store's delay is up.

Each store has `auto_submit_hours` (0 = off). An item's `auto_submit_at` is the moment it became
Ready (its newest timeline event into Ready) plus that delay; the order list shows the time left
from the same column, for Ready items only. Leaving Ready stops the countdown: an item put On hold
loses its `auto_submit_at`, and when it is released to Ready the countdown starts again from the
release, so the operator gets the whole review window after a fix. `refresh` keeps the column in
step; `due_items` is what is up; `send_due` sends them. The app calls `send_due` on a timer while it
is open, and `podtui submit --due` does the same from cron.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from podtui.db import Database
from podtui.domain.models import Event, OrderItem, Store, utcnow
from podtui.domain.status import ItemStatus
from podtui.services.bulk import BulkOutcome
from podtui.services.fulfil import SendOptions, send_items
from podtui.services.vendor_connections import Connect

Progress = Callable[[int, int], None]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def refresh(db: Database, *, now: datetime | None = None) -> int:
    """Start countdowns of newly Ready items, stop those that no longer run; returns changes."""
    changed = 0
    with db.write() as session:
        delays = {
            s.id: float(s.auto_submit_hours or 0.0) for s in session.exec(select(Store)).all()
        }
        # Left Ready (held, sent, ignored ...): the countdown stops.
        result = session.execute(
            update(OrderItem)
            .where(
                col(OrderItem.auto_submit_at).is_not(None),
                col(OrderItem.status) != ItemStatus.READY,
            )
            .values(auto_submit_at=None)
        )
        changed += int(result.rowcount)  # type: ignore[attr-defined]
        off = [sid for sid, hours in delays.items() if hours <= 0]
        if off:
            result = session.execute(
                update(OrderItem)
                .where(
                    col(OrderItem.store_id).in_(off),
                    col(OrderItem.auto_submit_at).is_not(None),
                )
                .values(auto_submit_at=None)
            )
            changed += int(result.rowcount)  # type: ignore[attr-defined]
        on = [sid for sid, hours in delays.items() if hours > 0]
        if on:
            changed += _start(session, on, delays)
    return changed


def _start(session: Session, store_ids: list[int | None], delays: dict[int | None, float]) -> int:
    rows = session.exec(
        select(OrderItem.id, OrderItem.store_id, OrderItem.updated_at).where(
            col(OrderItem.status) == ItemStatus.READY,
            col(OrderItem.auto_submit_at).is_(None),
            col(OrderItem.store_id).in_(store_ids),
            col(OrderItem.archived).is_(False),
            col(OrderItem.managed).is_(True),
        )
    ).all()
    for item_id, store_id, updated_at in rows:
        became_ready = session.exec(
            select(func.max(Event.at)).where(
                col(Event.item_id) == item_id, col(Event.to_status) == ItemStatus.READY.value
            )
        ).one()
        start = _aware(became_ready or updated_at)
        session.execute(
            update(OrderItem)
            .where(col(OrderItem.id) == item_id, col(OrderItem.status) == ItemStatus.READY)
            .values(auto_submit_at=start + timedelta(hours=delays[store_id]))
        )
    return len(rows)


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
    return send_items(
        db,
        ids,
        connect=connect,
        options=options,
        on_progress=on_progress,
        should_stop=should_stop,
    )
