"""A store-side write on an order that is gone is refused in the same words, whichever it is,
before any store is asked and with nothing written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.errors import NotFoundError
from podtui.domain.models import StoreWrite
from podtui.services.store_ops.payment import mark_paid
from podtui.services.store_ops.returns import create_return
from podtui.services.store_ops.status import change_store_status

WRITES: dict[str, Callable[[Database, int], Any]] = {
    "mark paid": mark_paid,
    "store status": lambda db, order_id: change_store_status(db, order_id, "completed"),
    "return": lambda db, order_id: create_return(db, order_id, {"1": "1"}, "Too small"),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_gone_order_is_refused_in_the_same_words(
    db: Database, write: Callable[[Database, int], Any]
) -> None:
    with pytest.raises(NotFoundError, match=r"^Order 999 does not exist\.$"):
        write(db, 999)
    with db.read() as session:
        assert session.exec(select(StoreWrite)).all() == []
