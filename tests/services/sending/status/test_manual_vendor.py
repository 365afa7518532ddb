"""A manual (custom) vendor: podtui never sends to it; its items are only marked fulfilled."""

from __future__ import annotations

import pytest

from podtui.adapters.vendors.kinds import NoAdapterError, adapter_for
from podtui.domain.errors import DomainError
from podtui.domain.status import Action, ItemStatus
from podtui.services.items import shipping as item_shipping
from podtui.services.items.transitions import apply_action
from podtui.services.sending.vendor_status import poll_vendors_async
from tests.services.sending.status.conftest import Shop

S = ItemStatus


def test_a_manual_vendor_has_no_adapter(shop: Shop) -> None:
    with pytest.raises(NoAdapterError, match="does not send to vendors of kind 'manual'"):
        adapter_for(shop.vendor("manual"))


def test_a_ready_item_of_a_manual_vendor_cannot_be_sent_only_marked(shop: Shop) -> None:
    _, [item_id] = shop.sent_order("manual", items=1, status=S.READY, vendor_order_id=None)
    with pytest.raises(DomainError, match="mark fulfilled"), shop.db.write() as s:
        apply_action(s, item_id, Action.SEND)
    assert shop.item(item_id).status is S.READY and shop.events() == []
    with shop.db.write() as s:
        item_shipping.mark_fulfilled(s, item_id, "Royal Mail", "RM123456785GB")
    assert shop.item(item_id).status is S.FULFILLED
    assert [(r.carrier, r.tracking_number) for r in shop.shipments()] == [
        ("Royal Mail", "RM123456785GB")
    ]


def test_an_integrated_vendor_item_in_ready_cannot_be_marked_fulfilled(shop: Shop) -> None:
    _, [item_id] = shop.sent_order("printful", items=1, status=S.READY, vendor_order_id=None)
    with pytest.raises(DomainError, match="Cannot mark fulfilled"), shop.db.write() as s:
        item_shipping.mark_fulfilled(s, item_id)
    assert shop.item(item_id).status is S.READY


async def test_polling_never_asks_a_manual_vendor(shop: Shop) -> None:
    shop.sent_order("manual", items=1)

    def no_adapter(vendor: object) -> object:
        raise AssertionError(f"asked {vendor}")

    report = await poll_vendors_async(shop.db, adapter_for=no_adapter)  # type: ignore[arg-type]
    assert report.asked == 0 and report.errors == []
