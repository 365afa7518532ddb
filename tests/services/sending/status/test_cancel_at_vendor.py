"""Point 5 of the store's truth: cancel reaches the vendor (X on a sent item, whole-order cancel)."""

from __future__ import annotations

from sqlmodel import select

from podtui.domain.models import Event, Submission
from podtui.domain.status import ItemStatus
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.sending.cancel import cancel_at_vendor, cancel_order
from tests.services.sending.status.conftest import MakeOrder, Shop, sent_at


def test_x_asks_printful_to_cancel_and_cancels_every_item_on_that_order(
    shop: Shop, printful_at: tuple[SandboxPrintful, MakeOrder]
) -> None:
    sandbox, make = printful_at
    order_id, ids = sent_at(shop, make, key="pf-cancel-1", items=2)
    result = cancel_at_vendor(shop.db, [ids[0]], "customer changed their mind")
    assert sorted(result.canceled) == sorted(ids) and not result.refused
    assert shop.statuses(ids) == [ItemStatus.CANCELED, ItemStatus.CANCELED]
    assert sandbox.orders[int(order_id)]["status"] == "canceled"
    with shop.db.read() as s:
        sub = s.exec(select(Submission).where(Submission.idempotency_key == "pf-cancel-1")).one()
        kinds = [e.type for e in s.exec(select(Event).where(Event.item_id == ids[0])).all()]
    assert sub.state == "canceled" and "canceled_at_vendor" in kinds


def test_a_vendor_that_refuses_changes_nothing_and_says_so_plainly(
    shop: Shop, printful_at: tuple[SandboxPrintful, MakeOrder]
) -> None:
    sandbox, make = printful_at
    order_id, ids = sent_at(shop, make, key="pf-cancel-2")
    sandbox.set_status(int(order_id), "inprocess")
    with shop.db.write() as s:
        item = shop.item(ids[0])
        item.status = ItemStatus.IN_PRODUCTION
        s.add(item)
    result = cancel_at_vendor(shop.db, ids)
    assert result.canceled == []
    assert result.refused[ids[0]].startswith("in production at Printful: cancel refused")
    assert shop.statuses(ids) == [ItemStatus.IN_PRODUCTION]


def test_printify_cancel_is_called(
    shop: Shop, printify_at: tuple[SandboxPrintify, MakeOrder]
) -> None:
    sandbox, make = printify_at
    order_id, ids = sent_at(shop, make, "printify", key="pfy-cancel-1")
    refused = cancel_at_vendor(shop.db, ids)  # sent to production: Printify refuses
    assert refused.refused[ids[0]].startswith("sent at Printify: cancel refused")
    sandbox.set_status(order_id, "payment-not-received")  # held at Printify: it may cancel
    result = cancel_at_vendor(shop.db, ids)
    assert result.canceled == ids, result.message()
    assert sandbox.orders[order_id]["status"] == "canceled"


def test_whole_order_cancel_cancels_every_open_item(
    shop: Shop, printful_at: tuple[SandboxPrintful, MakeOrder]
) -> None:
    sandbox, make = printful_at
    order_id, sent = sent_at(shop, make, key="pf-cancel-3")
    waiting = shop.item(sent[0])
    with shop.db.write() as s:  # a second item of the same order the vendor does not have
        from podtui.domain.models import OrderItem

        extra = OrderItem(**waiting.model_dump(exclude={"id", "status", "submitted_at"}))
        extra.status = ItemStatus.READY
        s.add(extra)
        s.flush()
        assert extra.id is not None
        extra_id = extra.id
    result = cancel_order(shop.db, waiting.order_id)
    assert sorted(result.canceled) == sorted([*sent, extra_id])
    assert sandbox.orders[int(order_id)]["status"] == "canceled"
