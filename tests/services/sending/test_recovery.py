"""Recovery: submissions a crash left in Sending are reconciled by asking the vendor first."""

from __future__ import annotations

import asyncio
import copy

import pytest

from podtui.adapters.vendors import printify
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.http import Fault
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.connections.vendors import connect
from podtui.services.sending import submissions
from podtui.services.sending.fulfil import SendOptions
from podtui.services.sending.recovery import recover
from podtui.services.sending.submissions import Claim
from tests.services.sending.conftest import Shop

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
        adapter = connect(shop.vendor())
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


def bury(sandbox: SandboxPrintify, newer: int) -> None:
    """`newer` orders of other shops' sends arrive after ours (Printify lists newest first)."""
    [ours] = sandbox.orders.values()
    for n in range(newer):
        order = copy.deepcopy(ours)
        order["id"] = f"later-{n}"
        order["metadata"]["shop_order_id"] = f"someone-else-{n}"
        order["created_at"] = "2099-01-01 00:00:00+00:00"
        sandbox.orders[order["id"]] = order


def test_a_claim_buried_under_many_newer_orders_is_still_found(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    """Further back than a retry's look-back (30 pages): recovery pages to the claim's time."""
    sandbox, _ = vendor_api
    item = shop.item()
    claim = crash_after_claim(shop, [item])
    vendor_call(shop, claim)
    bury(sandbox, 350)
    report = recover(shop.db, older_than=0, options=fast)
    assert report.found == [claim.submission_id] and report.resent == []
    assert sandbox.orders_by_external_id()[claim.key] == 1


def test_an_unproven_absence_is_never_a_resend(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the list runs out of pages before the claim's time, recovery waits for an operator."""
    sandbox, _ = vendor_api
    monkeypatch.setattr(printify, "MAX_SINCE_PAGES", 3)
    item = shop.item()
    claim = crash_after_claim(shop, [item])
    vendor_call(shop, claim)
    bury(sandbox, 350)
    report = recover(shop.db, older_than=0, options=fast)
    assert report.resent == [] and report.found == []
    assert "without reaching" in report.left[claim.submission_id]
    assert shop.status(item) is S.SENDING
    assert sandbox.orders_by_external_id()[claim.key] == 1
