"""How each store's syncing stands, and the sync problems, as plain rows for the TUI and CLI.

A store "keeps failing" once `FAILING_AFTER` syncs in a row have failed: one failure is a blip (a
deploy at the store, a dropped connection), three in a row need a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import col, func, select

from podtui.db import Database
from podtui.domain.errors import NotFoundError
from podtui.domain.models import Store, SyncProblem
from podtui.services.sync.context import as_utc

FAILING_AFTER = 3


@dataclass(frozen=True)
class StoreSyncState:
    store_id: int
    name: str
    kind: str
    last_sync_at: datetime | None
    last_ok_at: datetime | None
    next_sync_at: datetime | None
    failures: int
    error: str | None
    open_problems: int

    @property
    def failing(self) -> bool:
        return self.failures >= FAILING_AFTER

    def line(self, now: datetime) -> str:
        """ "Atelier Lumen: synced 4 min ago, next in 11 min" (or why it keeps failing)."""
        last = f"synced {ago(self.last_ok_at, now)}" if self.last_ok_at else "never synced"
        bits = [last]
        if self.next_sync_at is not None:
            bits.append(f"next {until(self.next_sync_at, now)}")
        if self.failures:
            bits.append(f"{self.failures} failed in a row: {self.error or 'unknown error'}")
        if self.open_problems:
            bits.append(f"{self.open_problems} sync problems")
        return f"{self.name}: " + ", ".join(bits)


@dataclass(frozen=True)
class ProblemRow:
    id: int
    store: str
    store_order_id: str
    reason: str
    raw: str
    created_at: datetime


def _minutes(delta: timedelta) -> str:
    seconds = int(abs(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400 * 2:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 86400} days"


def ago(moment: datetime | None, now: datetime) -> str:
    when = as_utc(moment)
    return "never" if when is None else f"{_minutes(now - when)} ago"


def until(moment: datetime, now: datetime) -> str:
    when = as_utc(moment)
    assert when is not None
    return "now" if when <= now else f"in {_minutes(when - now)}"


def store_states(
    db: Database, *, interval_minutes: float, now: datetime, next_at: datetime | None = None
) -> list[StoreSyncState]:
    """Every store's sync state; `next_at` is when the background sync runs next (if it runs)."""
    with db.read() as session:
        stores = session.exec(select(Store).order_by(col(Store.name))).all()
        counts = dict(
            session.exec(
                select(SyncProblem.store_id, func.count())
                .where(col(SyncProblem.resolved).is_(False))
                .group_by(col(SyncProblem.store_id))
            ).all()
        )
    out = []
    for store in stores:
        assert store.id is not None
        planned = next_at
        last = as_utc(store.last_sync_at)
        if planned is None and last is not None:
            planned = last + timedelta(minutes=interval_minutes)
        out.append(
            StoreSyncState(
                store_id=store.id,
                name=store.name,
                kind=store.kind,
                last_sync_at=as_utc(store.last_sync_at),
                last_ok_at=as_utc(store.last_sync_ok_at),
                next_sync_at=planned,
                failures=store.sync_failures or 0,
                error=store.last_sync_error,
                open_problems=int(counts.get(store.id, 0)),
            )
        )
    return out


def open_problems(db: Database, *, limit: int = 1000) -> list[ProblemRow]:
    """Unresolved sync problems, newest first."""
    with db.read() as session:
        rows = session.exec(
            select(SyncProblem, Store.name)
            .join(Store, col(Store.id) == SyncProblem.store_id)
            .where(col(SyncProblem.resolved).is_(False))
            .order_by(col(SyncProblem.id).desc())
            .limit(limit)
        ).all()
    return [
        ProblemRow(
            id=problem.id or 0,
            store=name,
            store_order_id=problem.store_order_id or "",
            reason=problem.reason,
            raw=problem.raw,
            created_at=problem.created_at,
        )
        for problem, name in rows
    ]


def dismiss_problem(db: Database, problem_id: int) -> None:
    """Mark a problem dealt with (the operator fixed it at the store, or it does not matter)."""
    with db.write() as session:
        problem = session.get(SyncProblem, problem_id)
        if problem is None:
            raise NotFoundError(f"Sync problem {problem_id} does not exist (dismissed already?)")
        problem.resolved = True
        session.add(problem)
