"""edit_shipping: validated, saved on the order, protected from sync, vendor copies flagged."""

from __future__ import annotations

import pytest

from podtui.domain.address import ORDER_COLUMNS, ShippingAddress
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.status import ItemStatus
from podtui.services.items import shipping as item_shipping
from tests.services.items.conftest import Shop

S = ItemStatus

NEW_ADDRESS = ShippingAddress(
    name="Grace Hopper",
    company="Navy Yard",
    address1="  233 S Wacker Dr ",
    address2="Suite 1000",
    city="Chicago",
    state="illinois",
    postal_code="60606-1234",
    country="United States",
    phone="(312) 555-0199",
    email="grace@example.com",
)


@pytest.mark.parametrize(
    "status",
    [s for s in S if s not in (S.IN_PRODUCTION, S.CANCELED)],
)
def test_edit_shipping_saves_the_clean_address(shop: Shop, status: S) -> None:
    order_id = shop.order(local_edits=["customer_note"])
    item_id = shop.item(status, order_id=order_id)
    with shop.db.write() as s:
        result = item_shipping.edit_shipping(s, item_id, NEW_ADDRESS)
    order = shop.get_order(order_id)
    assert result.changed
    assert result.order.id == order_id
    assert ShippingAddress.from_order(order) == ShippingAddress(
        name="Grace Hopper",
        company="Navy Yard",
        address1="233 S Wacker Dr",
        address2="Suite 1000",
        city="Chicago",
        state="IL",
        postal_code="60606-1234",
        country="US",
        phone="(312) 555-0199",
        email="grace@example.com",
    )
    assert order.local_edits == ["customer_note", *ORDER_COLUMNS.values()]
    stored = shop.get(item_id)
    assert (stored.status, stored.version) == (status, 1)
    [ev] = shop.events(item_id=item_id)
    assert (ev.type, ev.from_status, ev.to_status, ev.order_id, ev.user) == (
        "edit_shipping",
        status.value,
        status.value,
        order_id,
        "tester",
    )
    assert ev.params["changes"]["address1"] == {"old": "1 Market St", "new": "233 S Wacker Dr"}
    assert ev.params["changes"]["state"] == {"old": "CA", "new": "IL"}
    assert "country" not in ev.params["changes"]  # US before and after


def test_edit_shipping_lists_items_the_vendor_already_has(shop: Shop) -> None:
    order_id = shop.order()
    item_id = shop.item(S.READY, order_id=order_id)
    at_vendor = [
        shop.item(status, order_id=order_id) for status in (S.SENDING, S.SENT, S.IN_PRODUCTION)
    ]
    shop.item(S.FULFILLED, order_id=order_id)
    shop.item(S.SENT)  # another order
    with shop.db.write() as s:
        result = item_shipping.edit_shipping(s, item_id, NEW_ADDRESS)
    assert result.at_vendor_item_ids == at_vendor
    assert shop.events(item_id=item_id)[0].params["at_vendor_item_ids"] == at_vendor


@pytest.mark.parametrize("status", [S.IN_PRODUCTION, S.CANCELED])
def test_edit_shipping_refused_where_the_table_forbids_it(shop: Shop, status: S) -> None:
    order_id = shop.order()
    item_id = shop.item(status, order_id=order_id)
    with pytest.raises(DomainError, match=status.label), shop.db.write() as s:
        item_shipping.edit_shipping(s, item_id, NEW_ADDRESS)
    assert shop.get_order(order_id).ship_city == "San Francisco"
    assert shop.all_events() == []


def test_an_invalid_address_names_each_field_and_saves_nothing(shop: Shop) -> None:
    order_id = shop.order()
    item_id = shop.item(S.READY, order_id=order_id)
    bad = ShippingAddress(
        name="",
        address1="",
        city="Toronto",
        state="Texas",
        postal_code="12345",
        country="Canada",
        phone="12",
        email="not-an-email",
    )
    with pytest.raises(ValidationError) as err, shop.db.write() as s:
        item_shipping.edit_shipping(s, item_id, bad)
    assert set(err.value.fields) == {"name", "address1", "state", "postal_code", "phone", "email"}
    assert "6 fields need fixing" in str(err.value)
    assert "Canadian postal code" in err.value.fields["postal_code"]
    order = shop.get_order(order_id)
    assert (order.ship_city, order.ship_country, order.local_edits) == ("San Francisco", "US", [])
    assert shop.get(item_id).version == 0
    assert shop.all_events() == []


def test_the_same_address_again_writes_nothing(shop: Shop) -> None:
    order_id = shop.order()
    item_id = shop.item(S.READY, order_id=order_id)
    same = ShippingAddress.from_order(shop.get_order(order_id))
    with shop.db.write() as s:
        result = item_shipping.edit_shipping(s, item_id, same)
    assert not result.changed
    assert shop.get_order(order_id).local_edits == []
    assert shop.all_events() == []


def test_editing_twice_does_not_repeat_local_edits(shop: Shop) -> None:
    order_id = shop.order()
    item_id = shop.item(S.READY, order_id=order_id)
    with shop.db.write() as s:
        item_shipping.edit_shipping(s, item_id, NEW_ADDRESS)
    with shop.db.write() as s:
        item_shipping.edit_shipping(
            s,
            item_id,
            ShippingAddress(
                **{**NEW_ADDRESS.as_dict(), "city": "Evanston", "postal_code": "60201"}
            ),
        )
    order = shop.get_order(order_id)
    assert order.ship_city == "Evanston"
    assert order.local_edits == list(ORDER_COLUMNS.values())
    assert len(shop.events(item_id=item_id)) == 2
