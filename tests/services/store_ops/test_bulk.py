"""Store operations on many marked orders: the plan names what is skipped and why, the run goes
order by order through the one-order services (once each), a store's refusal kept per order."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Order, Store
from podtui.sandbox.http import Fault
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.store_ops.bulk import StoreBulkRequest, plan_store_bulk, run_store_bulk
from podtui.services.sync.pull import SyncOptions, sync_store_async
from tests.adapters.stores.woo_support import woo_order
from tests.services.store_ops.conftest import events_of

UNPAID = {"status": "on-hold", "date_paid": None, "date_paid_gmt": None}


async def _three(db: Database, woo: SandboxWooStore, store: Store) -> dict[str, int]:
    """Orders 1 and 2 on hold and unpaid, 3 processing and paid: their ids by number."""
    woo.add_order(woo_order(1, **UNPAID))
    woo.add_order(woo_order(2, **UNPAID))
    woo.add_order(woo_order(3, status="processing"))
    report = await sync_store_async(db, store, SyncOptions(mode="all"))
    assert report.ok, report.error
    with db.read() as s:
        return {o.store_order_id: o.id for o in s.exec(select(Order)).all() if o.id}


async def test_mark_paid_in_bulk_skips_the_paid_and_keeps_a_refusal_per_order(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    ids = await _three(db, woo, woo_store)
    plan = plan_store_bulk(db, ids.values(), StoreBulkRequest("mark_paid"))
    assert sorted(plan.acting) == sorted([ids["1"], ids["2"]])
    assert plan.question() == (
        "Mark 2 orders as paid at their stores (nothing is charged): 2 at Loopback Woo? "
        "1 order skipped, paid already: #3."
    )
    del woo.orders[2]  # deleted at the store since the list was read
    progress: list[tuple[int, int]] = []
    report = run_store_bulk(db, plan, on_progress=lambda d, t: progress.append((d, t)))
    assert report.done == ["#1"] and list(report.failed) == ["#2"]
    assert "refused by the store" in report.failed["#2"]
    assert progress[-1] == (2, 2)
    assert report.headline() == "Mark paid at the store: 1 order done, 1 skipped, 1 refused"
    assert woo.orders[1]["status"] == "processing"
    assert len(events_of(db, ids["1"], "store_marked_paid")) == 1
    assert events_of(db, ids["2"], "store_marked_paid") == []


async def test_a_lost_answer_in_bulk_changes_the_order_once(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    ids = await _three(db, woo, woo_store)
    woo.inject(Fault(kind="drop_after", method="PUT", path="/orders/1"))
    plan = plan_store_bulk(db, [ids["1"]], StoreBulkRequest("status", to="completed"))
    report = run_store_bulk(db, plan)
    assert report.done == ["#1"] and report.failed == {}
    assert woo.orders[1]["status"] == "completed"
    assert len(events_of(db, ids["1"], "store_status_set")) == 1


async def test_status_and_notes_in_bulk_say_what_does_not_apply(
    db: Database, woo: SandboxWooStore, woo_store: Store
) -> None:
    ids = await _three(db, woo, woo_store)
    plan = plan_store_bulk(db, ids.values(), StoreBulkRequest("status", to="processing"))
    assert plan.acting == sorted([ids["1"], ids["2"]])
    assert "1 order skipped, processing already: #3." in plan.question()
    with pytest.raises(ValidationError, match="cancel on the order page"):
        plan_store_bulk(db, ids.values(), StoreBulkRequest("status", to="cancelled"))
    with pytest.raises(ValidationError, match="Write the note first"):
        plan_store_bulk(db, ids.values(), StoreBulkRequest("note", text="  "))
    note = StoreBulkRequest("note", text="Ships Monday", to_customer=True)
    plan = plan_store_bulk(db, ids.values(), note)
    assert "(to the customer: the store e-mails it): 3 at Loopback Woo?" in plan.question()
    report = run_store_bulk(db, plan)
    assert report.done == ["#1", "#2", "#3"]
    assert all(
        any(n["customer_note"] and "Ships Monday" in n["note"] for n in woo.notes[k])
        for k in (1, 2, 3)
    )
