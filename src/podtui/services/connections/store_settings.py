"""A store's own settings that every operator on the database shares, changed one at a time.

Today: `notify_customer`, whether the "notify the customer" choices of the store-side operations
(a refund, a cancellation, a note to the store) start ticked. A change is a compare-and-set on
the row's settings as they were read (`UPDATE store ... WHERE id = :id AND settings = :read`,
compared as text so it works on SQLite and PostgreSQL alike) with a `store_setting_changed`
timeline event in the same transaction; a change someone made meanwhile is refused, never
overwritten.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, cast, update
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.errors import DomainError, NotFoundError
from podtui.domain.models import Store
from podtui.services.items.timeline import record_event

NOTIFY = "notify_customer"
EVENT = "store_setting_changed"


def notify_customer(store: Store | None) -> bool:
    """Whether the store's notify choices start ticked (off unless set)."""
    return bool(store is not None and (store.settings or {}).get(NOTIFY, False))


def read_store(db: Database, name: str) -> Store:
    """The store called `name`; NotFoundError when there is none."""
    with db.read() as session:
        store = session.exec(select(Store).where(col(Store.name) == name)).first()
    if store is None:
        raise NotFoundError(f"No store {name!r}.")
    return store


def set_notify_customer(db: Database, name: str, on: bool, *, expected: bool | None = None) -> bool:
    """Set the store's notify default; whether it changed (False: it was so already).
    `expected`, what the operator saw, refuses the change when someone set it otherwise since."""
    return _set(db, name, NOTIFY, on, expected=expected)


def _set(db: Database, name: str, key: str, value: Any, *, expected: Any = None) -> bool:
    with db.write() as session:
        found = session.exec(
            select(Store.id, cast(col(Store.settings), String)).where(col(Store.name) == name)
        ).first()
        if found is None:
            raise NotFoundError(f"No store {name!r}.")
        store_id, read = found
        settings = dict(json.loads(read or "{}"))
        now = settings.get(key, False)
        if expected is not None and now != expected:
            raise DomainError(
                f"{name}'s {key.replace('_', ' ')} was changed meanwhile: it is "
                f"{_word(now)} now. Nothing changed; look again and retry."
            )
        if now == value:
            return False
        settings[key] = value
        done = session.execute(
            update(Store)
            .where(col(Store.id) == store_id, cast(col(Store.settings), String) == read)
            .values(settings=settings)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise DomainError(
                f"{name}'s settings were changed meanwhile. Nothing changed; look again and retry."
            )
        record_event(
            session, EVENT, params={"store": name, "setting": key, "from": now, "to": value}
        )
        return True


def _word(value: Any) -> str:
    return ("on" if value else "off") if isinstance(value, bool) else str(value)
