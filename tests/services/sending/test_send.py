"""The submission service against the sandbox Printify on loopback: never twice, never lost."""

from __future__ import annotations

import json
import time

import pytest
from sqlmodel import col, select

from podtui.domain.models import Order, RateLimit, SubmissionItem
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.http import Fault
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.items import actions
from podtui.services.sending.fulfil import SendOptions, send_items
from tests.services.sending.conftest import Shop, hours_later

VendorApi = tuple[SandboxPrintify, str]


def one_order_each(sandbox: SandboxPrintify, shop: Shop) -> None:
    """Every submission reached the vendor exactly once, under its own key."""
    counts = sandbox.orders_by_external_id()
    keys = [s.idempotency_key for s in shop.submissions() if s.state == "sent"]
    assert keys and all(counts[k] == 1 for k in keys), counts
    assert all(n == 1 for n in counts.values()), counts


def test_ready_items_are_sent_and_recorded(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    ids = [shop.item(order_id=shop.order(ship_address1=f"{n} Market St")) for n in range(3)]
    outcome = send_items(shop.db, ids, options=fast)
    assert sorted(outcome.done) == sorted(ids) and not outcome.failed and not outcome.skipped
    assert set(shop.statuses(ids).values()) == {S.SENT}
    subs = shop.submissions()
    assert len(subs) == 3  # three addresses: three vendor orders
    for sub in subs:
        assert sub.state == "sent" and sub.vendor_order_id and sub.vendor_status
        assert sub.vendor_order_id in sandbox.orders
    one_order_each(sandbox, shop)
    kinds = [(e.type, e.from_status, e.to_status) for e in shop.events(ids[0])]
    assert kinds == [("send", "ready", "sending"), ("submit_accepted", "sending", "sent")]


def test_same_address_within_the_window_is_one_vendor_order(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    a = shop.item(order_id=shop.order())
    # Same person and place, typed differently, two hours later: consolidated.
    b = shop.item(
        order_id=shop.order(
            ship_name="ADA  LOVELACE", ship_address1="1 market st.", created_at=hours_later(2)
        )
    )
    far = shop.item(order_id=shop.order(created_at=hours_later(30)))
    elsewhere = shop.item(order_id=shop.order(ship_address1="9 Mission St"))
    send_items(shop.db, [a, b, far, elsewhere], options=SendOptions(backoff=fast.backoff))
    groups: dict[int, list[int]] = {}
    with shop.db.read() as s:
        for item_id, sid in s.exec(select(SubmissionItem.item_id, SubmissionItem.submission_id)):
            groups.setdefault(sid, []).append(item_id)
    assert sorted(sorted(g) for g in groups.values()) == sorted([[a, b], [far], [elsewhere]])
    assert len(sandbox.created) == 3
    both = next(c for c in sandbox.created if len(c["line_items"]) == 2)
    assert both["label"] == "#2001, #2002"
    one_order_each(sandbox, shop)


def test_consolidation_window_zero_sends_each_order_alone(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    ids = [shop.item(order_id=shop.order()) for _ in range(2)]
    send_items(shop.db, ids, options=SendOptions(consolidate_hours=0, backoff=fast.backoff))
    assert len(shop.submissions()) == 2


def test_items_that_cannot_go_are_skipped_with_the_reason_and_stay_put(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    no_file = shop.item(print_file=False)
    held = shop.item(S.ON_HOLD, status_before=S.READY)
    manual = shop.item(vendor="manual")
    outcome = send_items(shop.db, [no_file, held, manual], options=fast)
    assert outcome.skipped[no_file] == (
        "cannot render its print file: no artwork is linked to the item"
    )
    assert "On hold" in outcome.skipped[held]
    assert "manual vendor" in outcome.skipped[manual]
    assert shop.statuses([no_file, held, manual]) == {
        no_file: S.ON_HOLD,  # its render failed: held with the reason, like every render failure
        held: S.ON_HOLD,
        manual: S.READY,
    }
    assert sandbox.requests == [] and shop.submissions() == []


def test_an_item_once_sent_is_never_sent_again(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    send_items(shop.db, [item], options=fast)
    again = send_items(shop.db, [item, item], options=fast)
    assert "Sent, not Ready" in again.skipped[item]
    assert len(sandbox.created) == 1


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", status=429, retry_after=0.2, path="/orders.json", method="POST"),
        Fault("status", status=500, path="/orders.json", method="POST"),
        Fault("status", status=503, path="/orders.json", method="POST", times=2),
        Fault("timeout_after", path="/orders.json", method="POST", delay=1.0),
        Fault("drop_after", path="/orders.json", method="POST"),
        Fault("drop", path="/orders.json", method="POST"),
        Fault("malformed", path="/orders.json", method="POST"),
        Fault("status", status=500, path="/uploads/images.json"),
        Fault("drop_after", path="send_to_production"),
        Fault("timeout_after", path="send_to_production", delay=1.0),
    ],
    ids=lambda f: f"{f.kind}-{f.status}-{f.path.strip('/')}",
)
def test_retryable_faults_end_in_exactly_one_vendor_order(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions, fault: Fault
) -> None:
    sandbox, _ = vendor_api
    ids = shop.items(2)
    if fault.kind == "timeout_after":
        shop.vendor_settings(timeout=0.3)  # the sandbox stays silent for longer than this
    sandbox.inject(fault)
    outcome = send_items(shop.db, ids, options=fast)
    assert sorted(outcome.done) == sorted(ids), outcome.failed
    assert set(shop.statuses(ids).values()) == {S.SENT}
    one_order_each(sandbox, shop)
    assert all(o["status"] == "sending-to-production" for o in sandbox.orders.values())


def test_a_422_fails_with_the_vendors_reason_and_a_retry_reuses_the_key(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    order_id = shop.order(ship_postal_code="")
    item = shop.item(order_id=order_id)
    outcome = send_items(shop.db, [item], options=fast)
    assert "zip: The zip field is required." in outcome.failed[item]
    [sub] = shop.submissions()
    assert (sub.state, sub.http_status, sub.error_code) == ("failed", 422, "8103")
    assert "The zip field is required." in (sub.error_message or "")
    assert json.loads(sub.raw_response or "{}")["code"] == 8103
    assert shop.status(item) is S.FAILED
    failed = shop.events(item)[-1]
    assert failed.type == "submit_failed" and failed.params["http_status"] == 422
    creates = [r for r in sandbox.requests if r.url.path.endswith("/orders.json")]
    assert len(creates) == 1  # a refusal is not retried: the operator fixes it first
    with shop.db.write() as s:
        order = s.get(Order, order_id)
        assert order is not None
        order.ship_postal_code = "94105"
        s.add(order)
    again = send_items(shop.db, [item], options=fast)
    assert again.done == [item]
    [retried] = shop.submissions()
    assert retried.id == sub.id and retried.idempotency_key == sub.idempotency_key
    assert retried.state == "sent"
    assert sandbox.orders_by_external_id() == {sub.idempotency_key: 1}
    assert [e.type for e in shop.events(item)][-2:] == ["retry", "submit_accepted"]


def test_a_vendor_that_stays_down_fails_with_the_reason_after_the_retries(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    sandbox.inject(Fault("status", status=500, path="/orders.json", method="POST", times=100))
    outcome = send_items(shop.db, [item], options=fast)
    assert "HTTP 500" in outcome.failed[item]
    [sub] = shop.submissions()
    assert sub.state == "failed" and sub.http_status == 500 and sub.error_message
    assert shop.status(item) is S.FAILED
    sandbox.faults.clear()
    send_items(shop.db, [item], options=fast)  # the retry asks first, then sends once
    assert shop.status(item) is S.SENT
    assert sandbox.orders_by_external_id() == {sub.idempotency_key: 1}


def test_a_retry_after_an_unknown_outcome_finds_the_order_instead_of_sending_it_again(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    item = shop.item()
    # The vendor accepts, but every answer is lost and every lookup fails: Failed, unknown.
    sandbox.inject(Fault("drop_after", path="/orders.json", method="POST"))
    sandbox.inject(Fault("status", status=500, path="/orders.json", method="GET", times=100))
    outcome = send_items(shop.db, [item], options=fast)
    assert item in outcome.failed and shop.status(item) is S.FAILED
    sandbox.faults.clear()
    send_items(shop.db, [item], options=fast)
    assert shop.status(item) is S.SENT
    [sub] = shop.submissions()
    assert sandbox.orders_by_external_id() == {sub.idempotency_key: 1}
    with shop.db.read() as s:
        accepted = s.exec(select(SubmissionItem).where(col(SubmissionItem.item_id) == item)).all()
    assert len(accepted) == 1


def test_progress_and_stop(shop: Shop, vendor_api: VendorApi, fast: SendOptions) -> None:
    ids = [shop.item(order_id=shop.order(ship_address1=f"{n} Market St")) for n in range(6)]
    seen: list[tuple[int, int]] = []
    outcome = send_items(
        shop.db,
        ids,
        options=fast,
        on_progress=lambda d, t: seen.append((d, t)),
        should_stop=lambda: len(seen) > 2,
    )
    assert seen[0] == (0, 6) and all(t == 6 for _, t in seen)
    assert 0 < len(outcome.done) < 6
    untouched = [i for i in ids if i not in outcome.done]
    assert set(shop.statuses(untouched).values()) == {S.READY}


def test_a_retry_carries_only_the_items_being_retried(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    sandbox, _ = vendor_api
    order_id = shop.order(ship_postal_code="")
    a, b = shop.item(order_id=order_id), shop.item(order_id=order_id)
    send_items(shop.db, [a, b], options=fast)
    assert shop.statuses([a, b]) == {a: S.FAILED, b: S.FAILED}
    with shop.db.write() as s:
        actions.ignore(s, b)
        order = s.get(Order, order_id)
        assert order is not None
        order.ship_postal_code = "94105"
        s.add(order)
    assert send_items(shop.db, [a], options=fast).done == [a]
    [body] = sandbox.created
    assert len(body["line_items"]) == 1
    assert shop.status(b) is S.IGNORED


def test_a_send_takes_its_turns_from_the_vendors_row_in_the_database(
    shop: Shop, vendor_api: VendorApi, fast: SendOptions
) -> None:
    """Every request of a send is a turn taken from the vendor's one row, which every podtui on
    this database shares (services/connections/rate_limits.py); none is taken in this process
    alone."""
    sandbox, _ = vendor_api
    ids = [shop.item(order_id=shop.order(ship_address1=f"{n} Market St")) for n in range(3)]
    started = time.time()
    send_items(shop.db, ids, options=fast)
    with shop.db.read() as s:
        row = s.get(RateLimit, f"vendor:{shop.vendor_id}")
    assert sandbox.requests and row is not None
    assert row.next_free > started
