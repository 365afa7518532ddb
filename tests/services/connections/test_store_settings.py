"""A store's own settings that every operator shares: the "notify the customer" default, set
once with its timeline event, refused when someone changed it meanwhile."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.errors import DomainError, NotFoundError
from podtui.domain.models import Event, Store
from podtui.services.connections.store_settings import notify_customer, set_notify_customer


def _store(db: Database) -> Store:
    with db.write() as s:
        row = Store(name="Main", kind="woocommerce", settings={"page_size": 50})
        s.add(row)
    return row


def _events(db: Database) -> list[Event]:
    with db.read() as s:
        return list(s.exec(select(Event).where(Event.type == "store_setting_changed")).all())


def test_the_notify_default_is_set_once_with_its_event(db: Database) -> None:
    store = _store(db)
    assert notify_customer(store) is False  # off unless set
    assert set_notify_customer(db, "Main", True, expected=False) is True
    with db.read() as s:
        row = s.exec(select(Store).where(Store.name == "Main")).one()
    assert row.settings == {"page_size": 50, "notify_customer": True}  # the rest kept
    assert notify_customer(row) is True
    (event,) = _events(db)
    assert event.user == "tester" and event.order_id is None
    assert event.params == {
        "store": "Main",
        "setting": "notify_customer",
        "from": False,
        "to": True,
    }
    assert set_notify_customer(db, "Main", True) is False  # already so: nothing changes
    assert len(_events(db)) == 1


def test_a_change_made_meanwhile_is_not_overwritten(db: Database) -> None:
    _store(db)
    set_notify_customer(db, "Main", True)  # another operator, a moment ago
    with pytest.raises(DomainError, match="changed meanwhile: it is on now"):
        set_notify_customer(db, "Main", True, expected=False)
    with pytest.raises(NotFoundError, match="No store 'Nowhere'"):
        set_notify_customer(db, "Nowhere", True)
    assert len(_events(db)) == 1
