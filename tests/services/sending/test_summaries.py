"""Summaries name orders ("#2001 Mug 11oz", not "item 798") and break down per vendor, in the
app's bulk report and in `podtui submit`; `podtui submit --ready --vendor NAME` sends one
vendor's ready queue."""

from __future__ import annotations

import pytest

from podtui.cli import main
from podtui.domain.models import Vendor
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.listing.bulk_actions import BULK_KINDS, BulkPlan, run_send
from podtui.services.listing.query import MarkSet
from tests.services.sending.conftest import Shop

VendorApi = tuple[SandboxPrintify, str]


def db_args(shop: Shop) -> list[str]:
    return ["--db", shop.db.url.removeprefix("sqlite:///")]


def other_vendor(shop: Shop) -> int:
    with shop.db.write() as s:
        vendor = Vendor(name="Printful two", kind="printful", base_url="http://127.0.0.1:9")
        s.add(vendor)
        s.flush()
        assert vendor.id is not None
        return vendor.id


def test_a_bulk_report_names_orders_and_counts_per_vendor(
    shop: Shop, vendor_api: VendorApi
) -> None:
    good = shop.item(order_id=shop.order(name="#1205"), title="Hometown Map Print")
    bad = shop.item(order_id=shop.order(name="#1206", ship_postal_code=""), title="Star Mug")
    plan = BulkPlan(BULK_KINDS["send"], MarkSet(included={good, bad}), marked=2, acting=2)
    plan.ids.extend([good, bad])
    report = run_send(shop.db, plan)
    text = report.text()
    assert "FAILED #1206 Star Mug: " in text
    assert f"item {bad}" not in text
    assert "Printify test: 1 sent, 1 failed" in text


def test_submit_ready_vendor_sends_only_that_vendors_queue(
    shop: Shop, vendor_api: VendorApi, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = shop.item(order_id=shop.order(name="#1301"), title="Map Print")
    theirs = shop.item(vendor_id=other_vendor(shop))
    code = main([*db_args(shop), "submit", "--ready", "--vendor", "Printify test", "--yes"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert shop.status(mine) is S.SENT
    assert shop.status(theirs) is S.READY
    assert "Printify test: 1 sent" in out


def test_submit_names_failed_orders_per_vendor(
    shop: Shop, vendor_api: VendorApi, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = shop.item(order_id=shop.order(name="#1401", ship_postal_code=""), title="Star Mug")
    code = main([*db_args(shop), "submit", "--ids", str(bad), "--yes"])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED #1401 Star Mug: " in out and "zip" in out
    assert "Printify test: 0 sent, 1 failed" in out


def test_submit_an_unknown_vendor_names_the_known_ones(
    shop: Shop, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main([*db_args(shop), "submit", "--ready", "--vendor", "nobody", "--yes"])
    assert code == 2
    assert "Printify test" in capsys.readouterr().err
