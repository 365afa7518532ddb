"""mark_fulfilled, archive/unarchive, and order notes."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.domain.errors import DomainError, NotFoundError, ValidationError
from podtui.domain.models import Note, Shipment
from podtui.domain.order_status import OrderStatus, derive_order_status
from podtui.domain.status import ItemStatus
from podtui.services.items import orders
from podtui.services.items import shipping as item_shipping
from tests.services.items.conftest import Shop

S = ItemStatus


def _shipments(shop: Shop) -> list[Shipment]:
    with shop.db.read() as s:
        return list(s.exec(select(Shipment)).all())


@pytest.mark.parametrize(
    ("status", "vendor"),
    [(S.READY, "manual"), (S.SENT, "integrated"), (S.IN_PRODUCTION, "integrated")],
)
def test_mark_fulfilled_with_tracking_makes_a_shipment(shop: Shop, status: S, vendor: str) -> None:
    item_id = shop.item(status, vendor=vendor)
    with shop.db.write() as s:
        item = item_shipping.mark_fulfilled(
            s, item_id, " UPS ", "1Z999AA10123456784", "https://ups.example/t/1Z999"
        )
    assert item.status is S.FULFILLED
    [ev] = shop.events(item_id=item_id)
    assert (ev.type, ev.from_status, ev.to_status) == ("mark_fulfilled", status.value, "fulfilled")
    assert ev.params == {
        "carrier": "UPS",
        "tracking_number": "1Z999AA10123456784",
        "tracking_url": "https://ups.example/t/1Z999",
    }
    [shipment] = _shipments(shop)
    assert (shipment.item_id, shipment.order_id, shipment.carrier, shipment.status) == (
        item_id,
        item.order_id,
        "UPS",
        "shipped",
    )
    assert shipment.shipped_at is not None and shipment.pushed_to_store_at is None


def test_mark_fulfilled_without_tracking_makes_no_shipment(shop: Shop) -> None:
    item_id = shop.item(S.READY, vendor="manual")
    with shop.db.write() as s:
        item_shipping.mark_fulfilled(s, item_id)
    assert shop.get(item_id).status is S.FULFILLED
    assert _shipments(shop) == []
    assert shop.events(item_id=item_id)[0].params == {}


@pytest.mark.parametrize(
    ("status", "vendor", "needle"),
    [
        (S.READY, "integrated", "Ready"),  # an integrated vendor's items are sent, not marked
        (S.READY, None, "no vendor"),
        (S.WAITING_APPROVAL, "manual", "Waiting approval"),
        (S.FULFILLED, "manual", "Fulfilled"),
    ],
)
def test_mark_fulfilled_refused(shop: Shop, status: S, vendor: str | None, needle: str) -> None:
    item_id = shop.item(status, vendor=vendor)
    with pytest.raises(DomainError, match=needle), shop.db.write() as s:
        item_shipping.mark_fulfilled(s, item_id, "DHL", "123")
    assert shop.get(item_id).status is status
    assert _shipments(shop) == []
    assert shop.all_events() == []


def test_mark_fulfilled_with_a_bad_tracking_link_saves_nothing(shop: Shop) -> None:
    item_id = shop.item(S.SENT)
    with pytest.raises(ValidationError) as err, shop.db.write() as s:
        item_shipping.mark_fulfilled(s, item_id, "DHL", "123", "javascript:alert(1)")
    assert "tracking_url" in err.value.fields
    assert shop.get(item_id).status is S.SENT
    assert _shipments(shop) == []


# --- archive ---------------------------------------------------------------------------------


def test_archive_and_unarchive_leave_everything_else_unchanged(shop: Shop) -> None:
    order_id = shop.order()
    statuses = [S.READY, S.SENT, S.IGNORED]
    items = [shop.item(st, order_id=order_id) for st in statuses]
    other = shop.item(S.READY)
    before = derive_order_status(statuses, archived=False)

    with shop.db.write() as s:
        order = orders.archive_order(s, order_id)
    assert order.archived
    assert shop.get_order(order_id).archived
    assert [shop.get(i).archived for i in items] == [True, True, True]
    assert [shop.get(i).status for i in items] == statuses
    assert not shop.get(other).archived
    [ev] = shop.events(order_id=order_id)
    assert (ev.type, ev.item_id, ev.order_id, ev.user, ev.params) == (
        "archive",
        None,
        order_id,
        "tester",
        {"items": 3},
    )
    assert derive_order_status(statuses, archived=True) is OrderStatus.ARCHIVED

    with shop.db.write() as s:
        orders.unarchive_order(s, order_id)
    assert not shop.get_order(order_id).archived
    assert [shop.get(i).archived for i in items] == [False, False, False]
    assert [shop.get(i).status for i in items] == statuses
    assert derive_order_status([shop.get(i).status for i in items], archived=False) is before
    assert [e.type for e in shop.events(order_id=order_id)] == ["archive", "unarchive"]


def test_archive_twice_and_unarchive_unarchived_are_refused(shop: Shop) -> None:
    order_id = shop.order()
    shop.item(S.READY, order_id=order_id)
    with pytest.raises(DomainError, match="#1001 is not archived"), shop.db.write() as s:
        orders.unarchive_order(s, order_id)
    with shop.db.write() as s:
        orders.archive_order(s, order_id)
    with pytest.raises(DomainError, match="#1001 is already archived"), shop.db.write() as s:
        orders.archive_order(s, order_id)
    assert len(shop.events(order_id=order_id)) == 1
    with pytest.raises(NotFoundError), shop.db.write() as s:
        orders.archive_order(s, 999)


# --- notes -----------------------------------------------------------------------------------


def _notes(shop: Shop) -> list[Note]:
    with shop.db.read() as s:
        return list(s.exec(select(Note)).all())


def test_note_lifecycle_is_on_the_timeline(shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    order_id = shop.order()
    monkeypatch.setenv("PODTUI_USER", "alice")
    with shop.db.write() as s:
        note = orders.add_note(s, order_id, "  Gift wrap, please.\nNo invoice in the box.  ")
    assert note.id is not None
    [stored] = _notes(shop)
    assert (stored.author, stored.body, stored.order_id) == (
        "alice",
        "Gift wrap, please.\nNo invoice in the box.",
        order_id,
    )

    monkeypatch.setenv("PODTUI_USER", "bob")
    with shop.db.write() as s:
        orders.edit_note(s, note.id, "Gift wrap.")
    assert _notes(shop)[0].body == "Gift wrap."
    assert _notes(shop)[0].author == "alice"  # the author stays; the editor is on the timeline

    with shop.db.write() as s:
        orders.delete_note(s, note.id)
    assert _notes(shop) == []
    events = shop.events(order_id=order_id)
    assert [(e.type, e.user, e.item_id) for e in events] == [
        ("note_added", "alice", None),
        ("note_edited", "bob", None),
        ("note_deleted", "bob", None),
    ]
    assert events[1].params == {
        "note_id": note.id,
        "old": "Gift wrap, please.\nNo invoice in the box.",
        "new": "Gift wrap.",
    }
    assert events[2].params == {"note_id": note.id, "author": "alice", "body": "Gift wrap."}


@pytest.mark.parametrize("body", ["", "   ", "\n"])
def test_empty_notes_are_refused(shop: Shop, body: str) -> None:
    order_id = shop.order()
    with pytest.raises(ValidationError) as err, shop.db.write() as s:
        orders.add_note(s, order_id, body)
    assert "body" in err.value.fields
    with shop.db.write() as s:
        note = orders.add_note(s, order_id, "keep me")
    assert note.id is not None
    with pytest.raises(ValidationError), shop.db.write() as s:
        orders.edit_note(s, note.id, body)
    assert [n.body for n in _notes(shop)] == ["keep me"]
    assert [e.type for e in shop.all_events()] == ["note_added"]


def test_notes_of_missing_rows(shop: Shop) -> None:
    with pytest.raises(NotFoundError, match="Order 999"), shop.db.write() as s:
        orders.add_note(s, 999, "hello")
    with pytest.raises(NotFoundError, match="Note 999"), shop.db.write() as s:
        orders.edit_note(s, 999, "hello")
    with pytest.raises(NotFoundError, match="Note 999"), shop.db.write() as s:
        orders.delete_note(s, 999)
    assert shop.all_events() == []


def test_editing_a_note_to_the_same_text_writes_nothing(shop: Shop) -> None:
    order_id = shop.order()
    with shop.db.write() as s:
        note = orders.add_note(s, order_id, "same")
    assert note.id is not None
    with shop.db.write() as s:
        orders.edit_note(s, note.id, " same ")
    assert [e.type for e in shop.all_events()] == ["note_added"]
