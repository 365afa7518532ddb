"""`podtui poll` end to end on a real database file: the Printful vendor row points at a Printful
sandbox on loopback, its token comes from the environment, as on a headless print-shop box."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from podtui.adapters.credentials import env_var_name
from podtui.adapters.vendors.printful import PrintfulAdapter
from podtui.cli import main
from podtui.domain.models import Vendor
from podtui.domain.status import ItemStatus
from podtui.sandbox.printful import SandboxPrintful
from tests.adapters.vendors.printful_support import TOKEN, printful_vendor, request
from tests.services.sending.status.conftest import Shop

S = ItemStatus


def _point_vendor_at(shop: Shop, url: str) -> None:
    with shop.db.write() as s:
        vendor = s.get(Vendor, shop.vendors["printful"])
        assert vendor is not None
        vendor.base_url = url
        vendor.settings = {"store_id": 424242, "file_base_url": "https://f.test", "timeout": 10.0}


def test_poll_fulfils_what_printful_shipped(
    shop: Shop,
    db_path: Path,
    printful_server: tuple[SandboxPrintful, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, url = printful_server
    _point_vendor_at(shop, url)
    monkeypatch.setenv(env_var_name("printful", "Printful"), TOKEN)

    async def create() -> str:
        adapter = PrintfulAdapter(printful_vendor(url), TOKEN)
        try:
            return (await adapter.submit(request("PF-9", 1))).vendor_order_id
        finally:
            await adapter.aclose()

    order_id = asyncio.run(create())
    _, ids = shop.sent_order(key="PF-9", vendor_order_id=order_id, items=1)
    sandbox.ship(int(order_id), "UPS", "1Z42", "https://ups.test/1Z42")
    assert main(["--db", str(db_path), "poll", "--vendor", "Printful"]) == 0
    out = capsys.readouterr().out
    assert "Sent → Fulfilled" in out and "1 item(s) moved, 1 shipment(s)" in out
    assert shop.statuses(ids) == [S.FULFILLED]
    assert [(r.carrier, r.tracking_number) for r in shop.shipments()] == [("UPS", "1Z42")]


def test_poll_without_a_token_says_where_to_put_it(
    shop: Shop, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, ids = shop.sent_order()
    assert main(["--db", str(db_path), "poll"]) == 1
    err = capsys.readouterr().err
    assert "Printful: cannot ask it" in err and "PODTUI_PRINTFUL_PRINTFUL_TOKEN" in err
    assert shop.statuses(ids) == [S.SENT] * 2
