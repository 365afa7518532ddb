"""split: quantities that add up make copies that remember their parent; anything else saves nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import OrderItem, PrintFile
from podtui.domain.status import ItemStatus
from podtui.services.items import design as item_design
from podtui.services.items import split as item_split
from tests.services.items.conftest import Shop

S = ItemStatus


def _items(shop: Shop) -> list[OrderItem]:
    with shop.db.read() as s:
        return list(s.exec(select(OrderItem).order_by(col(OrderItem.id))).all())


def _print_files(shop: Shop, item_id: int) -> list[PrintFile]:
    with shop.db.read() as s:
        return list(s.exec(select(PrintFile).where(PrintFile.item_id == item_id)).all())


@pytest.mark.parametrize("status", [S.MISSING_ARTWORK, S.WAITING_APPROVAL, S.READY])
def test_split_in_two(shop: Shop, status: S) -> None:
    item_id = shop.item(
        status,
        quantity=5,
        personalization={"name": "Zoë", "date": "2026-05-01"},
        personalization_raw=[{"key": "Name", "value": "Zoë"}, {"key": "Date", "value": "1 May"}],
        store_line_id="line-7",
        unit_price="12.50",
    )
    with shop.db.write() as s:
        s.add(PrintFile(item_id=item_id, path="/prints/7.png", sha256="abc", current=True))
        s.add(PrintFile(item_id=item_id, path="/prints/7-old.png", current=False))
    with shop.db.write() as s:
        result = item_split.split(s, item_id, [2, 3])

    original, new = result
    assert original.id == item_id
    assert (original.quantity, new.quantity) == (2, 3)
    stored = {i.id: i for i in _items(shop)}
    assert len(stored) == 2
    copy = stored[new.id]
    src = stored[item_id]
    assert src.quantity == 2 and src.status is status and src.parent_id is None
    assert copy.parent_id == item_id
    assert copy.status is status
    for field in (
        "order_id",
        "store_id",
        "order_created_at",
        "product_id",
        "variant_id",
        "sku",
        "title",
        "vendor_id",
        "artwork_id",
        "store_line_id",
        "unit_price",
        "personalization",
        "personalization_raw",
        "archived",
        "managed",
    ):
        assert getattr(copy, field) == getattr(src, field), field
    # The current print file goes along (same content); superseded ones stay with the original.
    assert [(p.path, p.sha256) for p in _print_files(shop, new.id)] == [("/prints/7.png", "abc")]
    assert len(_print_files(shop, item_id)) == 2

    split_ev = shop.events(item_id=item_id)
    assert [(e.type, e.from_status, e.to_status, e.user) for e in split_ev] == [
        ("split", status.value, status.value, "tester")
    ]
    assert split_ev[0].params == {
        "quantities": [2, 3],
        "kept": 2,
        "into": [{"item_id": new.id, "quantity": 3}],
    }
    from_ev = shop.events(item_id=new.id)
    assert [(e.type, e.params) for e in from_ev] == [
        ("split_from", {"parent_id": item_id, "quantity": 3})
    ]


def test_split_in_three_and_split_a_split(shop: Shop) -> None:
    item_id = shop.item(S.READY, quantity=6)
    with shop.db.write() as s:
        result = item_split.split(s, item_id, [1, 2, 3])
    assert [i.quantity for i in result] == [1, 2, 3]
    assert [i.parent_id for i in result] == [None, item_id, item_id]
    assert len(shop.all_events()) == 3  # one split, two split_from

    child = result[2].id
    assert child is not None
    with shop.db.write() as s:
        grand = item_split.split(s, child, [1, 1, 1])
    assert [i.parent_id for i in grand] == [item_id, child, child]
    assert sum(i.quantity for i in _items(shop)) == 6


def test_split_copies_do_not_share_personalization(shop: Shop) -> None:
    item_id = shop.item(S.WAITING_APPROVAL, quantity=2)
    with shop.db.write() as s:
        _, new = item_split.split(s, item_id, [1, 1])
    assert new.id is not None
    with shop.db.write() as s:
        item_design.edit_design(s, new.id, {"name": "Ana"})
    assert shop.get(item_id).personalization == {"name": "Zoë"}
    assert shop.get(new.id).personalization == {"name": "Ana"}


@pytest.mark.parametrize(
    ("parts", "needle"),
    [
        ([2, 2], "add up to 4, but the item's quantity is 5"),
        ([3, 3], "add up to 6, but the item's quantity is 5"),
        ([0, 5], "at least 1"),
        ([-1, 6], "at least 1"),
        ([5], "at least 2 parts"),
        ([], "at least 2 parts"),
        ([2.5, 2.5], "whole number"),
        ([True, 4], "whole number"),
        (["2", "3"], "whole number"),
    ],
)
def test_bad_quantities_save_nothing(shop: Shop, parts: list[Any], needle: str) -> None:
    item_id = shop.item(S.READY, quantity=5)
    with pytest.raises(ValidationError) as err, shop.db.write() as s:
        item_split.split(s, item_id, parts)
    assert needle in str(err.value)
    assert "quantities" in err.value.fields
    assert [(i.id, i.quantity, i.version) for i in _items(shop)] == [(item_id, 5, 0)]
    assert shop.all_events() == []


@pytest.mark.parametrize(
    "status", [S.RENDERING, S.ON_HOLD, S.SENDING, S.SENT, S.FULFILLED, S.FAILED, S.IGNORED]
)
def test_split_refused_outside_missing_waiting_ready(shop: Shop, status: S) -> None:
    item_id = shop.item(status, quantity=2)
    with pytest.raises(DomainError, match=status.label) as err, shop.db.write() as s:
        item_split.split(s, item_id, [1, 1])
    assert not isinstance(err.value, ValidationError)
    assert len(_items(shop)) == 1
    assert shop.get(item_id).quantity == 2
    assert shop.all_events() == []
