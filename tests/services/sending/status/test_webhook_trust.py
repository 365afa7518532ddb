"""Who may move items by webhook: a body podtui cannot authenticate is only a hint.

Printful signs nothing and a Printify body without its signature proves nothing, so anyone who
can hand podtui a file could claim an order shipped, with their own tracking link, and have it
fulfil the items and reach the customer through the store. Such a body makes podtui read the
order back from the vendor's API, and only what the vendor says there changes anything; with a
Printify webhook secret set, an unsigned Printify body is refused outright.
Against the loopback sandboxes (Printful, Printify, and the WooCommerce store the order came from).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from podtui.adapters.credentials import env_var_name, set_secret
from podtui.adapters.vendors.printful import PrintfulAdapter
from podtui.adapters.vendors.printify import PrintifyAdapter
from podtui.cli import main
from podtui.domain.models import Store, Vendor
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import Fault, serve_loopback
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from podtui.sandbox.woocommerce import SandboxWooStore
from tests.adapters.stores.woo_support import KEY, SECRET, woo_order
from tests.adapters.vendors.printful_support import TOKEN as PRINTFUL_TOKEN
from tests.adapters.vendors.printful_support import printful_vendor
from tests.adapters.vendors.printful_support import request as printful_request
from tests.adapters.vendors.printify_support import SHOP_ID, tiny_png
from tests.adapters.vendors.printify_support import TOKEN as PRINTIFY_TOKEN
from tests.services.sending.status.conftest import Shop
from tests.services.sending.status.test_webhook_cli import printful_shipped, printify_shipped

S = ItemStatus
EVIL_URL = "https://evil.example/track?n=EVIL0001"
EVIL_NUMBER = "EVIL0001"


@pytest.fixture
def store(shop: Shop) -> Iterator[SandboxWooStore]:
    """The shop's store as a WooCommerce sandbox on loopback, holding the orders shop makes."""
    woo = SandboxWooStore(consumer_key=KEY, consumer_secret=SECRET)
    for n in range(1001, 1006):
        woo.add_order(woo_order(n))
    with serve_loopback(woo.handler) as url:
        set_secret("woocommerce", "Sandbox Woo", f"{KEY}:{SECRET}")
        with shop.db.write() as s:
            row = s.get(Store, shop.store_id)
            assert row is not None
            row.base_url = url
            s.add(row)
        yield woo


def reached_store(woo: SandboxWooStore) -> list[str]:
    """Every note written to the store, and any request that carried the forged tracking."""
    notes = [n["note"] for notes in woo.notes.values() for n in notes]
    forged = [str(r.url) for r in woo.requests if EVIL_NUMBER in r.read().decode() + str(r.url)]
    return notes + forged


@pytest.fixture
def printful_at(
    shop: Shop, printful_server: tuple[SandboxPrintful, str], monkeypatch: pytest.MonkeyPatch
) -> SandboxPrintful:
    """The shop's Printful vendor pointed at the sandbox, its token in the environment."""
    sandbox, url = printful_server
    with shop.db.write() as s:
        vendor = s.get(Vendor, shop.vendors["printful"])
        assert vendor is not None
        vendor.base_url = url
        vendor.settings = {"store_id": 424242, "file_base_url": "https://f.test", "timeout": 0.5}
        s.add(vendor)
    monkeypatch.setenv(env_var_name("printful", "Printful"), PRINTFUL_TOKEN)
    return sandbox


def printful_order(url: str, key: str) -> dict[str, object]:
    """An order created at the Printful sandbox through the real adapter."""

    async def create() -> str:
        adapter = PrintfulAdapter(printful_vendor(url), PRINTFUL_TOKEN)
        try:
            return (await adapter.submit(printful_request(key, 11))).vendor_order_id
        finally:
            await adapter.aclose()

    return {"id": int(asyncio.run(create()))}


def forged_printful(order_id: int, items: list[int], pf_items: list[int]) -> dict[str, object]:
    """A package_shipped body naming a real order of ours, with the attacker's parcel."""
    body = printful_shipped(order_id, items, pf_items, external_id="PF-77")
    data = body["data"]
    assert isinstance(data, dict)
    for shipment in [data["shipment"], *data["order"]["shipments"]]:
        shipment.update(tracking_number=EVIL_NUMBER, tracking_url=EVIL_URL, carrier="EVIL")
    return body


def apply(db_path: Path, tmp_path: Path, body: object, *extra: str) -> int:
    path = tmp_path / "hook.json"
    path.write_text(json.dumps(body))
    return main(["--db", str(db_path), "webhook-apply", str(path), *extra])


# --- Printful: never signed, always read back -------------------------------------------------


def test_a_forged_printful_shipped_fulfils_nothing_and_never_reaches_the_store(
    shop: Shop,
    store: SandboxWooStore,
    printful_at: SandboxPrintful,
    printful_server: tuple[SandboxPrintful, str],
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    order = printful_order(printful_server[1], "PF-77")
    order_id = int(str(order["id"]))
    printful_at.set_status(order_id, "inprocess")
    pf_items = [i["id"] for i in printful_at.orders[order_id]["items"]]
    _, ids = shop.sent_order(key="PF-77", vendor_order_id=str(order_id), items=1)
    assert apply(db_path, tmp_path, forged_printful(order_id, ids, pf_items)) == 0
    out = capsys.readouterr().out
    # What Printful's API says (in production) is what happened; the body's parcel is not.
    assert shop.statuses(ids) == [S.IN_PRODUCTION]
    assert shop.shipments() == []
    assert "checked with Printful" in out
    assert reached_store(store) == []
    asked = [r for r in printful_at.requests if r.method == "GET"]
    assert [r.url.path for r in asked] == [f"/orders/{order_id}"]


def test_a_printful_shipped_keeps_the_vendors_tracking_not_the_bodys(
    shop: Shop,
    store: SandboxWooStore,
    printful_at: SandboxPrintful,
    printful_server: tuple[SandboxPrintful, str],
    db_path: Path,
    tmp_path: Path,
) -> None:
    order_id = int(str(printful_order(printful_server[1], "PF-77")["id"]))
    pf_items = [i["id"] for i in printful_at.orders[order_id]["items"]]
    _, ids = shop.sent_order(key="PF-77", vendor_order_id=str(order_id), items=1)
    printful_at.ship(order_id, "UPS", "1Z999AA10123456784", "https://ups.test/1Z999AA10123456784")
    assert apply(db_path, tmp_path, forged_printful(order_id, ids, pf_items)) == 0
    assert shop.statuses(ids) == [S.FULFILLED]
    assert [(p.carrier, p.tracking_number, p.tracking_url) for p in shop.shipments()] == [
        ("UPS", "1Z999AA10123456784", "https://ups.test/1Z999AA10123456784")
    ]
    notes = reached_store(store)
    assert notes and all("evil" not in n.lower() for n in notes)
    assert any("https://ups.test/1Z999AA10123456784" in n for n in notes)


def test_a_printful_body_that_cannot_be_checked_changes_nothing(
    shop: Shop,
    store: SandboxWooStore,
    printful_at: SandboxPrintful,
    printful_server: tuple[SandboxPrintful, str],
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    order_id = int(str(printful_order(printful_server[1], "PF-77")["id"]))
    pf_items = [i["id"] for i in printful_at.orders[order_id]["items"]]
    _, ids = shop.sent_order(key="PF-77", vendor_order_id=str(order_id), items=1)
    printful_at.inject(Fault("status", 401, method="GET", times=9))
    assert apply(db_path, tmp_path, forged_printful(order_id, ids, pf_items)) == 1
    err = capsys.readouterr().err
    assert "could not check it with Printful" in err and "nothing was applied" in err
    assert shop.statuses(ids) == [S.SENT] and shop.shipments() == [] and shop.events() == []
    assert reached_store(store) == []


# --- Printify: signed with the webhook secret, or read back ------------------------------------


@pytest.fixture
def printify_at(
    shop: Shop, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[tuple[SandboxPrintify, str]]:
    """The shop's Printify vendor pointed at the sandbox, with one order of ours there."""
    sandbox = SandboxPrintify(token=PRINTIFY_TOKEN, shop_id=SHOP_ID)
    with serve_loopback(sandbox.handler) as url:
        with shop.db.write() as s:
            vendor = s.get(Vendor, shop.vendors["printify"])
            assert vendor is not None
            vendor.base_url = url
            vendor.settings = {"shop_id": SHOP_ID, "timeout": 0.5}
            s.add(vendor)
            adapter = PrintifyAdapter(vendor, PRINTIFY_TOKEN)
        monkeypatch.setenv(env_var_name("printify", "Printify"), PRINTIFY_TOKEN)
        png = tmp_path / "art.png"
        png.write_bytes(tiny_png())
        from tests.adapters.vendors.test_printify import request as printify_request

        async def create() -> str:
            try:
                return (await adapter.submit(printify_request(tmp_path, "PT-9"))).vendor_order_id
            finally:
                await adapter.aclose()

        yield sandbox, asyncio.run(create())


def forged_printify(order_id: str) -> dict[str, object]:
    body = printify_shipped(order_id)
    resource = body["resource"]
    assert isinstance(resource, dict)
    resource["data"]["carrier"].update(tracking_number=EVIL_NUMBER, tracking_url=EVIL_URL)
    resource["data"]["skus"] = []
    return body


def test_an_unsigned_printify_body_is_read_back_when_no_secret_is_set(
    shop: Shop,
    store: SandboxWooStore,
    printify_at: tuple[SandboxPrintify, str],
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, order_id = printify_at
    _, ids = shop.sent_order("printify", key="PT-9", vendor_order_id=order_id, items=1)
    sandbox.set_status(order_id, "in-production")
    assert apply(db_path, tmp_path, forged_printify(order_id)) == 0
    assert "checked with Printify" in capsys.readouterr().out
    assert shop.statuses(ids) == [S.IN_PRODUCTION] and shop.shipments() == []
    assert reached_store(store) == []


def test_with_a_secret_set_an_unsigned_printify_body_is_refused(
    shop: Shop,
    store: SandboxWooStore,
    printify_at: tuple[SandboxPrintify, str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, order_id = printify_at
    _, ids = shop.sent_order("printify", key="PT-9", vendor_order_id=order_id, items=1)
    sandbox.ship(order_id, "USPS", "9400100000000000000001", "https://usps.test/1")
    secret = "whsec-printify-trust"
    monkeypatch.setenv(env_var_name("printify", "Printify", "webhook_secret"), secret)
    body = forged_printify(order_id)
    assert apply(db_path, tmp_path, body) == 1
    err = capsys.readouterr().err
    assert "not signed" in err and "--signature" in err and "nothing was applied" in err
    assert shop.statuses(ids) == [S.SENT] and shop.shipments() == [] and shop.events() == []
    assert reached_store(store) == []
    # Signed with the secret, the same bytes are Printify's word and are applied as they are.
    raw = (tmp_path / "hook.json").read_bytes()
    good = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    path = tmp_path / "hook.json"
    assert main(["--db", str(db_path), "webhook-apply", str(path), "--signature", good]) == 0
    assert shop.statuses(ids) == [S.FULFILLED]
