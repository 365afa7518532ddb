"""Recovery: submissions a crash left in Sending are reconciled by asking the vendor first."""

from __future__ import annotations

import asyncio

from podtui.adapters.sandbox_http import Fault
from podtui.adapters.sandbox_printify import SandboxPrintify
from podtui.domain.status import ItemStatus as S
from podtui.services import submissions
from podtui.services.fulfil import SendOptions
from podtui.services.recovery import recover
from podtui.services.submissions import Claim
from podtui.services.vendor_connections import connect

from .conftest import Shop

VendorApi = tuple[SandboxPrintify, str]


def crash_after_claim(shop: Shop, item_ids: list[int]) -> Claim:
    """What a process that died right after committing the claim leaves behind."""
    with shop.db.read() as s:
        plan = submissions.plan_batches(s, item_ids)
    [batch] = plan.batches
    claim = submissions.claim(shop.db, batch)
    assert claim is not None
    assert set(shop.statuses(item_ids).values()) == {S.SENDING}
    return claim


def vendor_call(shop: Shop, claim: Claim, *, produce: bool = True) -> None:
    """The vendor gets the order (created, and sent to production unless told not to)."""

    async def run() -> None:
        adapter = connect(shop.db, shop.vendor())
        try:
            with shop.db.read() as s:
                request = submissions.build_request(s, claim.submission_id)
            if produce:
                await adapter.submit(request)
            else:
                body = await adapter.order_body(request)  # type: ignore[attr-defined]
                await adapter.api.json(  # type: ignore[attr-defined]
                    "POST",
                    f"shops/{adapter.shop_id}/orders.json",
                    json_body=body,  # type: ignore[attr-defined]
                )
        finally:
            await adapter.aclose()

    asyncio.run(run())


def test_a_claim_the_vendor_never_saw_is_sent_with_its_key(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    ids = [shop.item(order_id=shop.order())]
    claim = crash_after_claim(shop, ids)
    report = recover(shop.db, older_than=0, options=fast)
    assert report.resent == [claim.submission_id] and report.total == 1
    assert shop.status(ids[0]) is S.SENT
    assert sandbox.orders_by_external_id() == {claim.key: 1}
    # Asked first: the order list was read before the create.
    paths = [(r.method, r.url.path.rsplit("/", 1)[-1]) for r in sandbox.requests]
    assert paths.index(("GET", "orders.json")) < paths.index(("POST", "orders.json"))


def test_a_claim_the_vendor_did_get_is_found_not_sent_again(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    claim = crash_after_claim(shop, [item])
    vendor_call(shop, claim)
    report = recover(shop.db, older_than=0, options=fast)
    assert report.found == [claim.submission_id]
    assert shop.status(item) is S.SENT
    [sub] = shop.submissions()
    assert sub.state == "sent" and sub.vendor_order_id in sandbox.orders
    assert sandbox.orders_by_external_id() == {claim.key: 1}
    assert shop.events(item)[-1].params["how"] == "recovered"


def test_a_half_done_order_is_finished(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    claim = crash_after_claim(shop, [item])
    vendor_call(shop, claim, produce=False)
    recover(shop.db, older_than=0, options=fast)
    [order] = sandbox.orders.values()
    assert order["status"] == "sending-to-production"
    assert shop.status(item) is S.SENT
    assert sandbox.orders_by_external_id() == {claim.key: 1}


def test_fresh_submissions_belong_to_a_live_sender_and_are_left_alone(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    crash_after_claim(shop, [item])
    report = recover(shop.db, older_than=300, options=fast)
    assert report.total == 0 and sandbox.requests == []
    assert shop.status(item) is S.SENDING


def test_a_vendor_that_cannot_be_asked_leaves_it_in_sending_with_the_reason(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    claim = crash_after_claim(shop, [item])
    sandbox.inject(Fault("status", status=503, method="GET", times=100))
    report = recover(shop.db, older_than=0, options=fast)
    assert "HTTP 503" in report.left[claim.submission_id]
    assert shop.status(item) is S.SENDING
    assert not any(r.method == "POST" for r in sandbox.requests)  # nothing sent blind
    sandbox.faults.clear()
    report = recover(shop.db, older_than=0, options=fast)
    assert report.resent == [claim.submission_id] and shop.status(item) is S.SENT
