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
import re
from typing import Any

from sqlalchemy import String, cast, update
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.errors import DomainError, NotFoundError, ValidationError
from podtui.domain.models import Store
from podtui.domain.order_types import TYPES
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


LOCALE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")


def check_types(types: list[str]) -> list[str]:
    """Order type names as domain/order_types spells them; an unknown one is named."""
    chosen = [t.strip().casefold() for t in types if t.strip()]
    unknown = [t for t in chosen if t not in TYPES]
    if unknown or not chosen:
        raise ValidationError(
            f"Order types are {', '.join(TYPES)}; not {', '.join(unknown) or 'none'}."
        )
    return list(dict.fromkeys(chosen))


def check_locale(locale: str) -> str:
    if not LOCALE.match(locale.strip()):
        raise ValidationError(f"{locale!r} is not a language tag such as el, tr or pt-BR.")
    return locale.strip()


def set_auto_submit_types(db: Database, name: str, types: list[str]) -> bool:
    """Which order types the store sends by itself when their countdown is up."""
    return _set(db, name, "auto_submit_types", check_types(types))


def parse_order_type_rule(text: str) -> dict[str, str]:
    """ "created_via=admin:in-app" or "meta=_my_key:amazon" -> a rule of domain/order_types."""
    what, sep, kind = text.rpartition(":")
    field, eq, value = what.partition("=")
    if not sep or not eq or not value.strip():
        raise ValidationError(
            f"{text!r}: a rule is FIELD=VALUE:TYPE, e.g. created_via=admin:in-app or "
            "meta=_my_key:amazon."
        )
    if field.strip() not in ("created_via", "meta"):
        raise ValidationError(f"{text!r}: a rule matches created_via or meta, not {field!r}.")
    if kind.strip().casefold() not in TYPES:
        raise ValidationError(f"{text!r}: the type is one of {', '.join(TYPES)}.")
    return {field.strip(): value.strip(), "type": kind.strip().casefold()}


def add_order_type_rule(db: Database, name: str, rule: dict[str, str]) -> bool:
    """Put `rule` before the store's other rules and the built-in ones (the first match wins)."""
    store = read_store(db, name)
    rules = list((store.settings or {}).get("order_types") or [])
    return _set(db, name, "order_types", [rule, *(r for r in rules if r != rule)])


def clear_order_type_rules(db: Database, name: str) -> bool:
    return _set(db, name, "order_types", [])


def set_locale(db: Database, name: str, locale: str) -> bool:
    """The store customers' language (el, tr-TR ...): capitals in print files follow it."""
    return _set(db, name, "locale", check_locale(locale))


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
