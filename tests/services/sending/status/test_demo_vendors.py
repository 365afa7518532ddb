"""The demo's Printful vendor talks to an in-process Printful sandbox through the real adapter."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from podtui.adapters.vendors.base import VendorStage
from podtui.db import open_database
from podtui.demo.sandboxes import demo_reach, sandbox_for
from podtui.demo.seed import seed_demo
from podtui.domain.models import Vendor
from podtui.services.connections.vendors import connect
from tests.adapters.vendors.printful_support import request


async def test_demo_printful_vendor_submits_to_the_sandbox(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        seed_demo(db, orders=3)
        with db.read() as s:
            vendor = s.exec(select(Vendor).where(Vendor.kind == "printful")).one()
        reach = demo_reach(db)
        assert reach is not None
        adapter = connect(vendor, reach=reach)
        try:
            order = await adapter.submit(request("DEMO-PF-1", 11))
            assert order.stage is VendorStage.ACCEPTED
            assert (await adapter.find("DEMO-PF-1")) is not None
        finally:
            await adapter.aclose()
        sandbox = sandbox_for(db)
        assert sandbox is not None and sandbox.printful is not None
        assert sandbox.printful.orders_by_external_id() == {"DEMO-PF-1": 1}
    finally:
        db.dispose()


async def test_a_demo_poll_finds_every_open_order_at_printful_and_the_hot_folder(
    tmp_path: Path,
) -> None:
    from podtui.services.sending.vendor_status import open_orders, poll_vendors_async

    db = open_database(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        seed_demo(db, orders=150)
        with db.read() as s:
            kinds = {v.id: v.kind for v in s.exec(select(Vendor)).all()}
            asked = [o for o in open_orders(s) if kinds[o.vendor_id] in ("printful", "hotfolder")]
            vendors = [v for v in s.exec(select(Vendor)).all() if v.kind != "printify"]
        assert {kinds[o.vendor_id] for o in asked} == {"printful", "hotfolder"}
        reach = demo_reach(db)
        assert reach is not None
        report = await poll_vendors_async(
            db, reach=reach, vendor_names=[v.name for v in vendors], limit=None
        )
        assert report.errors == []
        assert report.asked == len(asked) and report.changed == []
    finally:
        db.dispose()
