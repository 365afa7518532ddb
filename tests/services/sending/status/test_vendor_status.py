"""Vendor news applied to items: In production, Fulfilled with shipments, Canceled, On hold with
the vendor's reason; every move a compare-and-set with its event, and the same news twice adds
nothing. Then polling, against a Printful sandbox on loopback and a hot folder."""

from __future__ import annotations

from pathlib import Path

from podtui.adapters.vendors.base import VendorOrder, VendorShipment, VendorStage
from podtui.adapters.vendors.printful import PrintfulAdapter
from podtui.domain.models import Submission, Vendor
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import Fault
from podtui.sandbox.printful import SandboxPrintful
from podtui.services.sending.vendor_status import apply_vendor_order, poll_vendors_async
from tests.adapters.vendors.printful_support import TOKEN, printful_vendor, request
from tests.services.sending.status.conftest import Shop

S = ItemStatus


def news(stage: VendorStage, status: str = "", **kw: object) -> VendorOrder:
    values: dict[str, object] = {
        "vendor_order_id": "61000001",
        "external_id": "",
        "stage": stage,
        "vendor_status": status or stage.value,
    }
    values.update(kw)
    return VendorOrder(**values)  # type: ignore[arg-type]


def apply(shop: Shop, update: VendorOrder, vendor: str = "printful"):  # type: ignore[no-untyped-def]
    with shop.db.write() as s:
        return apply_vendor_order(s, shop.vendor(vendor), update)


def test_in_production_then_shipped_with_tracking(shop: Shop) -> None:
    sub, ids = shop.sent_order()
    result = apply(shop, news(VendorStage.IN_PRODUCTION, "inprocess"))
    assert shop.statuses(ids) == [S.IN_PRODUCTION] * 2
    assert result.moved == [(i, "Sent", "In production") for i in ids]
    parcel = VendorShipment("USPS", "9400111", "https://usps.test/9400111")
    shipped = news(VendorStage.FULFILLED, "fulfilled", shipments=(parcel,))
    result = apply(shop, shipped)
    assert shop.statuses(ids) == [S.FULFILLED] * 2
    rows = shop.shipments()
    assert [
        (r.item_id, r.carrier, r.tracking_number, r.tracking_url, r.submission_id) for r in rows
    ] == [(i, "USPS", "9400111", "https://usps.test/9400111", sub) for i in ids]
    assert result.shipment_ids == [r.id for r in rows]
    events = shop.events()
    assert [(e.type, e.from_status, e.to_status) for e in events] == [
        ("vendor_in_production", "sent", "in_production"),
        ("vendor_in_production", "sent", "in_production"),
        ("vendor_fulfilled", "in_production", "fulfilled"),
        ("vendor_fulfilled", "in_production", "fulfilled"),
    ]
    assert events[-1].params["tracking_number"] == "9400111"
    assert events[-1].params["vendor"] == "Printful"
    with shop.db.read() as s:
        submission = s.get(Submission, sub)
        assert submission is not None and submission.vendor_status == "fulfilled"


def test_the_same_news_twice_changes_nothing(shop: Shop) -> None:
    _, ids = shop.sent_order()
    parcel = VendorShipment("USPS", "9400111", "https://usps.test/9400111")
    shipped = news(VendorStage.FULFILLED, shipments=(parcel,))
    apply(shop, shipped)
    before = (len(shop.events()), len(shop.shipments()), [shop.item(i).version for i in ids])
    again = apply(shop, shipped)
    assert not again.changed
    assert (
        len(shop.events()),
        len(shop.shipments()),
        [shop.item(i).version for i in ids],
    ) == before
    # An older poll answer arriving late never moves an item backwards.
    late = apply(shop, news(VendorStage.IN_PRODUCTION))
    assert not late.changed and shop.statuses(ids) == [S.FULFILLED] * 2


def test_a_partial_shipment_fulfils_only_the_items_it_carries(shop: Shop) -> None:
    _, (first, second) = shop.sent_order()
    parcel = VendorShipment("UPS", "1Z1", item_ids=(first,))
    apply(shop, news(VendorStage.IN_PRODUCTION, "partial", shipments=(parcel,)))
    assert shop.statuses([first, second]) == [S.FULFILLED, S.IN_PRODUCTION]
    assert [r.item_id for r in shop.shipments()] == [first]


def test_printify_shipments_name_their_lines_by_sku(shop: Shop) -> None:
    _, (mug, poster) = shop.sent_order("printify", skus=["MUG-11", "PST-VOW"])
    parcel = VendorShipment("USPS", "9400")
    apply(
        shop,
        news(
            VendorStage.IN_PRODUCTION,
            "partially-fulfilled",
            shipments=(parcel,),
            raw={"skus": ["PST-VOW"]},
        ),
        "printify",
    )
    assert shop.statuses([mug, poster]) == [S.IN_PRODUCTION, S.FULFILLED]


def test_a_vendor_hold_keeps_the_reason_and_its_release_goes_back(shop: Shop) -> None:
    _, ids = shop.sent_order()
    held = news(VendorStage.ON_HOLD, "onhold", reason="Print file resolution too low")
    apply(shop, held)
    item = shop.item(ids[0])
    assert item.status is S.ON_HOLD and item.status_before is S.SENT
    assert item.hold_reason == "Printful (onhold): Print file resolution too low"
    assert shop.events()[-1].params["reason"] == "Print file resolution too low"
    count = len(shop.events())
    assert not apply(shop, held).changed and len(shop.events()) == count
    apply(shop, news(VendorStage.IN_PRODUCTION, "inprocess"))
    item = shop.item(ids[0])
    assert (item.status, item.hold_reason, item.status_before) == (S.IN_PRODUCTION, None, None)
    assert [e.type for e in shop.events()[count:]] == ["vendor_release", "vendor_in_production"] * 2


def test_a_failure_after_acceptance_puts_the_items_on_hold_with_the_reason(shop: Shop) -> None:
    _, ids = shop.sent_order()
    apply(shop, news(VendorStage.FAILED, "failed", reason="Card declined"))
    assert shop.statuses(ids) == [S.ON_HOLD] * 2
    assert shop.item(ids[0]).hold_reason == "Printful (failed): Card declined"


def test_canceled_by_the_vendor(shop: Shop) -> None:
    sub, ids = shop.sent_order()
    apply(shop, news(VendorStage.CANCELED, "canceled", reason="Canceled by customer service"))
    assert shop.statuses(ids) == [S.CANCELED] * 2
    with shop.db.read() as s:
        submission = s.get(Submission, sub)
        assert submission is not None and submission.state == "canceled"


def test_found_by_external_id_when_the_vendor_id_is_not_known_yet(shop: Shop) -> None:
    sub, ids = shop.sent_order(key="PF-77", vendor_order_id=None)
    apply(shop, news(VendorStage.IN_PRODUCTION, vendor_order_id="61000077", external_id="PF-77"))
    assert shop.statuses(ids) == [S.IN_PRODUCTION] * 2
    with shop.db.read() as s:
        submission = s.get(Submission, sub)
        assert submission is not None and submission.vendor_order_id == "61000077"


def test_news_of_an_unknown_order_changes_nothing(shop: Shop) -> None:
    _, ids = shop.sent_order()
    result = apply(shop, news(VendorStage.FULFILLED, vendor_order_id="999", external_id="PF-999"))
    assert "no submission here matches it" in result.problem
    assert shop.statuses(ids) == [S.SENT] * 2 and shop.events() == []


def test_items_not_at_the_vendor_are_left_alone(shop: Shop) -> None:
    _, ids = shop.sent_order(status=S.SENDING)
    assert not apply(shop, news(VendorStage.FULFILLED)).changed
    assert shop.statuses(ids) == [S.SENDING] * 2


# --- polling ------------------------------------------------------------------------------------


async def test_poll_moves_items_as_printful_reports(
    shop: Shop, printful_server: tuple[SandboxPrintful, str]
) -> None:
    sandbox, url = printful_server
    adapter = PrintfulAdapter(printful_vendor(url), TOKEN)
    a = await adapter.submit(request("PF-A", 1))
    b = await adapter.submit(request("PF-B", 2))
    await adapter.aclose()
    _, shipped_ids = shop.sent_order(key="PF-A", vendor_order_id=a.vendor_order_id, items=1)
    _, waiting_ids = shop.sent_order(key="PF-B", vendor_order_id=None, items=1)
    sandbox.ship(int(a.vendor_order_id), "FedEx", "7712", "https://fedex.test/7712")
    sandbox.set_status(int(b.vendor_order_id), "inprocess")

    def adapter_for(vendor: Vendor) -> PrintfulAdapter:
        return PrintfulAdapter(printful_vendor(url), TOKEN)

    report = await poll_vendors_async(shop.db, adapter_for=adapter_for)  # type: ignore[arg-type]
    assert report.errors == [] and report.asked == 2
    assert shop.statuses(shipped_ids + waiting_ids) == [S.FULFILLED, S.IN_PRODUCTION]
    [parcel] = shop.shipments()
    assert (parcel.carrier, parcel.tracking_number) == ("FedEx", "7712")
    # Fulfilled orders are not asked again; the one in production is, and says nothing new.
    again = await poll_vendors_async(shop.db, adapter_for=adapter_for)  # type: ignore[arg-type]
    assert again.asked == 1 and again.changed == [] and len(shop.events()) == 2


async def test_poll_reports_a_vendor_that_cannot_be_reached(shop: Shop) -> None:
    _, ids = shop.sent_order()

    def adapter_for(vendor: Vendor) -> PrintfulAdapter:
        return PrintfulAdapter(printful_vendor("http://127.0.0.1:9", timeout=0.2), TOKEN)

    report = await poll_vendors_async(shop.db, adapter_for=adapter_for)  # type: ignore[arg-type]
    assert len(report.errors) == 1 and "cannot reach" in report.errors[0]
    assert shop.statuses(ids) == [S.SENT] * 2


async def test_poll_reads_the_hot_folder(shop: Shop) -> None:
    _, ids = shop.sent_order("hotfolder", key="HF-1", vendor_order_id="HF-1", items=1)
    root = Path(shop.vendor("hotfolder").settings["path"])
    (root / "dtg" / "processing").mkdir(parents=True)
    (root / "dtg" / "processing" / "HF-1.json").write_text("{}")
    report = await poll_vendors_async(shop.db)
    assert report.errors == []
    assert shop.statuses(ids) == [S.IN_PRODUCTION]


def test_news_of_a_second_vendor_order_with_our_external_id_moves_nothing(shop: Shop) -> None:
    _, ids = shop.sent_order(key="PF-5", vendor_order_id="61000005")
    result = apply(shop, news(VendorStage.CANCELED, vendor_order_id="61000006", external_id="PF-5"))
    assert result.problem and shop.statuses(ids) == [S.SENT] * 2


def test_two_pollers_applying_the_same_news_at_once_move_each_item_once(
    shop: Shop, database_url: str
) -> None:
    import threading

    from podtui.db import Database

    _, ids = shop.sent_order(items=5)
    parcel = VendorShipment("DHL", "JD0146")
    shipped = news(VendorStage.FULFILLED, shipments=(parcel,))
    vendor = shop.vendor("printful")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def poller() -> None:
        other = Database(database_url)  # its own engine, as a second process has
        try:
            start.wait()
            with other.write() as s:
                apply_vendor_order(s, vendor, shipped)
        except BaseException as exc:  # a lost compare-and-set would show up here
            errors.append(exc)
        finally:
            other.dispose()

    threads = [threading.Thread(target=poller) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert shop.statuses(ids) == [S.FULFILLED] * 5
    assert len(shop.events()) == 5 and len(shop.shipments()) == 5


async def test_a_poll_asks_at_most_its_limit_and_the_longest_unasked_first(shop: Shop) -> None:
    root = Path(shop.vendor("hotfolder").settings["path"])
    (root / "dtg" / "processing").mkdir(parents=True)
    keys = [f"HF-{n}" for n in range(5)]
    items = []
    for key in keys:
        _, ids = shop.sent_order("hotfolder", key=key, vendor_order_id=f"{key}.json", items=1)
        (root / "dtg" / "processing" / f"{key}.json").write_text("{}")
        items += ids
    first = await poll_vendors_async(shop.db, limit=2)
    assert first.asked == 2
    assert shop.statuses(items) == [S.IN_PRODUCTION] * 2 + [S.SENT] * 3
    second = await poll_vendors_async(shop.db, limit=2)
    assert second.asked == 2 and shop.statuses(items)[2:4] == [S.IN_PRODUCTION] * 2


def test_a_parcel_the_operator_already_recorded_is_not_recorded_twice(shop: Shop) -> None:
    from podtui.services.items import shipping as item_shipping

    _, [item_id] = shop.sent_order("hotfolder", items=1, vendor_order_id="HF-1")
    with shop.db.write() as s:
        item_shipping.mark_fulfilled(s, item_id, "UPS", "1z999aa10123456784")
    parcel = VendorShipment("ups", "1Z999AA10123456784")
    result = apply(
        shop, news(VendorStage.FULFILLED, vendor_order_id="HF-1", shipments=(parcel,)), "hotfolder"
    )
    assert not result.changed and len(shop.shipments()) == 1


async def _printful_orders(url: str, n: int) -> list[str]:
    adapter = PrintfulAdapter(printful_vendor(url), TOKEN)
    try:
        return [(await adapter.submit(request(f"PF-{i}", i))).vendor_order_id for i in range(n)]
    finally:
        await adapter.aclose()


async def test_many_open_printful_orders_are_read_from_its_order_list(
    shop: Shop, printful_server: tuple[SandboxPrintful, str]
) -> None:
    sandbox, url = printful_server
    made = await _printful_orders(url, 8)
    items = []
    for i, order_id in enumerate(made):
        known = order_id if i % 2 else None  # half still wait for their vendor order id
        items += shop.sent_order(key=f"PF-{i}", vendor_order_id=known, items=1)[1]
    for order_id in made[:3]:
        sandbox.ship(int(order_id), "USPS", f"9400-{order_id}")
    sandbox.requests.clear()

    def adapter_for(vendor: Vendor) -> PrintfulAdapter:
        return PrintfulAdapter(printful_vendor(url), TOKEN)

    report = await poll_vendors_async(shop.db, adapter_for=adapter_for)  # type: ignore[arg-type]
    assert report.errors == [] and report.asked == 8
    assert shop.statuses(items) == [S.FULFILLED] * 3 + [S.SENT] * 5
    assert [(r.method, r.url.path) for r in sandbox.requests] == [("GET", "/orders")]


async def test_when_the_list_fails_each_order_is_asked_on_its_own(
    shop: Shop, printful_server: tuple[SandboxPrintful, str]
) -> None:
    sandbox, url = printful_server
    made = await _printful_orders(url, 6)
    items = [
        shop.sent_order(key=f"PF-{i}", vendor_order_id=o, items=1)[1][0] for i, o in enumerate(made)
    ]
    sandbox.ship(int(made[0]), "USPS", "9400-1")
    sandbox.requests.clear()
    sandbox.inject(Fault(status=400, method="GET", body={"code": 400, "result": "Bad offset"}))

    def adapter_for(vendor: Vendor) -> PrintfulAdapter:
        return PrintfulAdapter(printful_vendor(url), TOKEN)

    report = await poll_vendors_async(shop.db, adapter_for=adapter_for)  # type: ignore[arg-type]
    assert report.errors == [] and report.asked == 6
    assert shop.statuses(items) == [S.FULFILLED] + [S.SENT] * 5
    assert len(sandbox.requests) == 7  # the failed list, then one each
