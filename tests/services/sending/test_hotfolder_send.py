"""Sending to the in-house hot folder end to end, with data that once broke it (issue 13).

A long order name made an external id too long for a file name: the OSError escaped the
adapter, the item stayed in Sending and recovery crashed on it, leaving every other crashed send
unrecovered. Here the real hot-folder adapter writes into a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from podtui.adapters.vendors.base import VendorAdapter, VendorOrder, VendorOrderRequest
from podtui.adapters.vendors.hotfolder import HotFolderAdapter
from podtui.domain.models import ProductMapping, Vendor
from podtui.domain.status import ItemStatus as S
from podtui.services.sending import submissions
from podtui.services.sending.fulfil import SendOptions, send_items
from podtui.services.sending.recovery import recover
from podtui.services.sending.submissions import Claim
from tests.services.sending.conftest import Shop

LONG_NAME = "#Wedding" + "-And-Reception-For-The-Whole-Family" * 12


@pytest.fixture
def hot(shop: Shop, tmp_path: Path) -> tuple[int, Path]:
    """A hot-folder vendor on `shop`, its queue `dtg` for product `hf`: (vendor id, root)."""
    root = tmp_path / "rip"
    root.mkdir()
    with shop.db.write() as s:
        vendor = Vendor(name="In-house DTG", kind="hotfolder", settings={"path": str(root)})
        s.add(vendor)
        s.flush()
        assert vendor.id is not None
        s.add(
            ProductMapping(
                store_id=shop.store_id,
                product_id="hf",
                vendor_id=vendor.id,
                vendor_product={"queue": "dtg"},
            )
        )
        return vendor.id, root


def hot_item(shop: Shop, vendor_id: int, **order: Any) -> int:
    order.setdefault("ship_address1", f"{shop._n} Market St")  # one vendor order each
    return shop.item(order_id=shop.order(**order), vendor_id=vendor_id, product_id="hf")


def claim_and_die(shop: Shop, item_ids: list[int]) -> Claim:
    """What a process that died right after committing its claim leaves behind."""
    with shop.db.read() as s:
        [batch] = submissions.plan_batches(s, item_ids).batches
    claim = submissions.claim(shop.db, batch)
    assert claim is not None
    return claim


def tickets(root: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(root.rglob("*.json"))]


def test_a_long_order_name_is_sent_and_every_name_is_bounded(
    shop: Shop, hot: tuple[int, Path], fast: SendOptions
) -> None:
    vendor_id, root = hot
    item = hot_item(shop, vendor_id, name=LONG_NAME)
    outcome = send_items(shop.db, [item], options=fast)
    assert outcome.done == [item], outcome.failed
    assert shop.status(item) is S.SENT
    [sub] = shop.submissions()
    assert len(sub.idempotency_key) <= 64  # the key the vendor sees is bounded too
    assert sub.idempotency_key.startswith("WeddingAndReception")
    [ticket] = tickets(root)
    assert ticket["external_id"] == sub.idempotency_key and ticket["order"] == LONG_NAME
    assert all(len(p.name.encode()) <= 160 for p in root.rglob("*"))


def test_recovery_settles_a_long_named_claim_and_every_other_one(
    shop: Shop, hot: tuple[int, Path], fast: SendOptions
) -> None:
    """The crash that broke recovery for everyone: a key too long for a file name, made by the
    code before names were bounded, stuck in Sending beside ordinary claims."""
    vendor_id, root = hot
    before = hot_item(shop, vendor_id)
    long_one = hot_item(shop, vendor_id, name=LONG_NAME)
    after = hot_item(shop, vendor_id)
    claims = [claim_and_die(shop, [i]) for i in (before, long_one, after)]
    old_key = "WeddingAndReceptionForTheWholeFamily" * 8 + f"-{long_one}-0123456789"
    with shop.db.write() as s:
        from podtui.domain.models import Submission

        sub = s.get(Submission, claims[1].submission_id)
        assert sub is not None
        sub.idempotency_key = old_key
    report = recover(shop.db, older_than=0, options=fast)
    assert sorted(report.resent) == sorted(c.submission_id for c in claims), report.lines()
    assert shop.statuses([before, long_one, after]) == dict.fromkeys(
        [before, long_one, after], S.SENT
    )
    keys = sorted(t["external_id"] for t in tickets(root))
    assert keys == sorted([claims[0].key, old_key, claims[2].key])  # each once


class BrokenFolder(HotFolderAdapter):
    """The real adapter with a bug that raises something other than its error type for one key."""

    bad_key = ""
    bad_item = 0

    async def find(self, external_id: str) -> VendorOrder | None:
        if external_id == self.bad_key:
            raise RuntimeError("a bug in the adapter")
        return await super().find(external_id)

    async def submit(self, request: VendorOrderRequest) -> VendorOrder:
        if request.external_id == self.bad_key or any(
            line.item_id == self.bad_item for line in request.lines
        ):
            raise RuntimeError("a bug in the adapter")
        return await super().submit(request)


def test_recovery_goes_on_past_a_submission_it_cannot_settle_and_reports_it(
    shop: Shop, hot: tuple[int, Path], fast: SendOptions
) -> None:
    vendor_id, _root = hot
    ids = [hot_item(shop, vendor_id) for _ in range(3)]
    claims = [claim_and_die(shop, [i]) for i in ids]
    BrokenFolder.bad_key, BrokenFolder.bad_item = claims[1].key, 0

    def connect(vendor: Vendor) -> VendorAdapter:
        return BrokenFolder(vendor)

    report = recover(shop.db, older_than=0, connect=connect, options=fast)
    assert sorted(report.resent) == [claims[0].submission_id, claims[2].submission_id]
    reason = report.left[claims[1].submission_id]
    assert "a bug in the adapter" in reason and "Traceback" not in reason
    assert shop.status(ids[1]) is S.SENDING  # unknown at the vendor: never guessed
    assert any("left in Sending: " in line and "a bug" in line for line in report.lines())
    assert shop.statuses([ids[0], ids[2]]) == {ids[0]: S.SENT, ids[2]: S.SENT}


def test_a_send_goes_on_past_an_adapter_bug_and_fails_that_item_with_the_reason(
    shop: Shop, hot: tuple[int, Path], fast: SendOptions
) -> None:
    vendor_id, _root = hot
    ids = [hot_item(shop, vendor_id) for _ in range(3)]

    BrokenFolder.bad_key, BrokenFolder.bad_item = "", ids[1]

    def connect(vendor: Vendor) -> VendorAdapter:
        return BrokenFolder(vendor)

    outcome = send_items(shop.db, ids, connect=connect, options=fast)
    assert len(outcome.done) == 2 and len(outcome.failed) == 1, outcome
    assert list(outcome.failed) == [ids[1]]
    assert "a bug in the adapter" in outcome.failed[ids[1]]
    assert shop.status(ids[1]) is S.FAILED  # a retry asks the folder first: never twice
    [sub] = [s for s in shop.submissions() if s.state == "failed"]
    assert sub.error_message is not None and "a bug in the adapter" in sub.error_message


# -- one vendor order over two queues: a crash between the ticket renames (defect 11) ---------


def test_recovery_finishes_an_order_half_written_over_two_queues_exactly_once(
    shop: Shop, hot: tuple[int, Path], fast: SendOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.adapters.vendors.test_hotfolder import (
        ProcessDied,
        die_after_first_ticket,
        queue_tickets,
    )

    vendor_id, root = hot
    with shop.db.write() as s:
        s.add(
            ProductMapping(
                store_id=shop.store_id,
                product_id="poster",
                vendor_id=vendor_id,
                vendor_product={"queue": "poster"},
            )
        )
    order = shop.order()
    ids = [
        shop.item(order_id=order, vendor_id=vendor_id, product_id="hf"),
        shop.item(order_id=order, vendor_id=vendor_id, product_id="poster"),
    ]
    claim = claim_and_die(shop, ids)  # one vendor order, two queues
    with shop.db.read() as s:
        request = submissions.build_request(s, claim.submission_id)
        vendor = s.get(Vendor, vendor_id)
    assert vendor is not None
    die_after_first_ticket(monkeypatch, root)
    with pytest.raises(ProcessDied):
        HotFolderAdapter(vendor).submit_sync(request)  # the sending process dies mid-write
    monkeypatch.undo()
    assert queue_tickets(root, claim.key) == {"dtg": 1}
    report = recover(shop.db, older_than=0, options=fast)
    assert report.found == [claim.submission_id] and report.resent == [], report.lines()
    assert queue_tickets(root, claim.key) == {"dtg": 1, "poster": 1}
    assert shop.statuses(ids) == dict.fromkeys(ids, S.SENT)
    recover(shop.db, older_than=0, options=fast)  # nothing left: nothing written again
    assert queue_tickets(root, claim.key) == {"dtg": 1, "poster": 1}


def test_x_withdraws_a_queued_ticket_and_is_refused_once_the_printer_has_it(
    shop: Shop, hot: tuple[int, Path], fast: SendOptions
) -> None:
    from podtui.services.sending.cancel import cancel_at_vendor

    vendor_id, root = hot
    first, second = hot_item(shop, vendor_id), hot_item(shop, vendor_id)
    assert sorted(send_items(shop.db, [first, second], options=fast).done) == [first, second]
    result = cancel_at_vendor(shop.db, [first])
    assert result.canceled == [first] and shop.status(first) is S.CANCELED
    assert any(p.parent.name == "canceled" for p in root.rglob("*.json"))
    # The RIP picked the other ticket up: it is printing, and only the RIP can stop it.
    (queued,) = [p for p in root.rglob("*.json") if p.parent.name == "dtg"]
    printing = queued.parent / "printing"
    printing.mkdir(exist_ok=True)
    queued.replace(printing / queued.name)
    refused = cancel_at_vendor(shop.db, [second])
    assert refused.canceled == [] and shop.status(second) is S.SENT
    assert "cancel refused" in refused.refused[second]
