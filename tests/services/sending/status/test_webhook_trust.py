"""Who may move items by webhook: a body podtui cannot authenticate is only a hint.

Printful signs nothing and a Printify body without its signature proves nothing, so anyone who
can hand podtui a file could claim an order shipped, with their own tracking link, and have it
fulfil the items and reach the customer through the store. Such a body makes podtui read the
order back from the vendor's API, and only what the vendor says there changes anything; with a
Printify webhook secret set, an unsigned Printify body is refused outright.
Against the loopback sandboxes (Printful, Printify, and the WooCommerce store the order came from).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from podtui.adapters.credentials import env_var_name, set_secret
from podtui.cli import main
from podtui.domain.models import Store
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import Fault, serve_loopback
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from podtui.sandbox.woocommerce import SandboxWooStore
from tests.adapters.stores.woo_support import KEY, SECRET, woo_order
from tests.services.sending.status.conftest import MakeOrder, Shop, sent_at
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


def forged_printful(order_id: int, items: list[int], pf_items: list[int]) -> dict[str, object]:
    """A package_shipped body naming a real order of ours, with the attacker's parcel."""
    body = printful_shipped(order_id, items, pf_items, external_id="PF-77")
    data = body["data"]
    assert isinstance(data, dict)
    for shipment in [data["shipment"], *data["order"]["shipments"]]:
        shipment.update(tracking_number=EVIL_NUMBER, tracking_url=EVIL_URL, carrier="EVIL")
    return body


def apply(database_url: str, tmp_path: Path, body: object, *extra: str) -> int:
    path = tmp_path / "hook.json"
    path.write_text(json.dumps(body))
    return main(["--db", database_url, "webhook-apply", str(path), *extra])


# --- Printful: never signed, always read back -------------------------------------------------


def test_a_forged_printful_shipped_fulfils_nothing_and_never_reaches_the_store(
    shop: Shop,
    store: SandboxWooStore,
    printful_at: tuple[SandboxPrintful, MakeOrder],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, make = printful_at
    order, ids = sent_at(shop, make, key="PF-77")
    order_id = int(order)
    sandbox.set_status(order_id, "inprocess")
    pf_items = [i["id"] for i in sandbox.orders[order_id]["items"]]
    assert apply(database_url, tmp_path, forged_printful(order_id, ids, pf_items)) == 0
    out = capsys.readouterr().out
    # What Printful's API says (in production) is what happened; the body's parcel is not.
    assert shop.statuses(ids) == [S.IN_PRODUCTION]
    assert shop.shipments() == []
    assert "checked with Printful" in out
    assert reached_store(store) == []
    asked = [r for r in sandbox.requests if r.method == "GET"]
    assert [r.url.path for r in asked] == [f"/orders/{order_id}"]


def test_a_printful_shipped_keeps_the_vendors_tracking_not_the_bodys(
    shop: Shop,
    store: SandboxWooStore,
    printful_at: tuple[SandboxPrintful, MakeOrder],
    database_url: str,
    tmp_path: Path,
) -> None:
    sandbox, make = printful_at
    order, ids = sent_at(shop, make, key="PF-77")
    order_id = int(order)
    pf_items = [i["id"] for i in sandbox.orders[order_id]["items"]]
    sandbox.ship(order_id, "UPS", "1Z999AA10123456784", "https://ups.test/1Z999AA10123456784")
    assert apply(database_url, tmp_path, forged_printful(order_id, ids, pf_items)) == 0
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
    printful_at: tuple[SandboxPrintful, MakeOrder],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, make = printful_at
    order, ids = sent_at(shop, make, key="PF-77")
    order_id = int(order)
    pf_items = [i["id"] for i in sandbox.orders[order_id]["items"]]
    sandbox.inject(Fault("status", 401, method="GET", times=9))
    assert apply(database_url, tmp_path, forged_printful(order_id, ids, pf_items)) == 1
    err = capsys.readouterr().err
    assert "could not check it with Printful" in err and "nothing was applied" in err
    assert shop.statuses(ids) == [S.SENT] and shop.shipments() == [] and shop.events() == []
    assert reached_store(store) == []


# --- Printify: signed with the webhook secret, or read back ------------------------------------


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
    printify_at: tuple[SandboxPrintify, MakeOrder],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, make = printify_at
    order_id, ids = sent_at(shop, make, "printify", key="PT-9")
    sandbox.set_status(order_id, "in-production")
    assert apply(database_url, tmp_path, forged_printify(order_id)) == 0
    assert "checked with Printify" in capsys.readouterr().out
    assert shop.statuses(ids) == [S.IN_PRODUCTION] and shop.shipments() == []
    assert reached_store(store) == []


def test_with_a_secret_set_an_unsigned_printify_body_is_refused(
    shop: Shop,
    store: SandboxWooStore,
    printify_at: tuple[SandboxPrintify, MakeOrder],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, make = printify_at
    order_id, ids = sent_at(shop, make, "printify", key="PT-9")
    sandbox.ship(order_id, "USPS", "9400100000000000000001", "https://usps.test/1")
    secret = "whsec-printify-trust"
    monkeypatch.setenv(env_var_name("printify", "Printify", "webhook_secret"), secret)
    body = forged_printify(order_id)
    assert apply(database_url, tmp_path, body) == 1
    err = capsys.readouterr().err
    assert "not signed" in err and "--signature" in err and "nothing was applied" in err
    assert shop.statuses(ids) == [S.SENT] and shop.shipments() == [] and shop.events() == []
    assert reached_store(store) == []
    # Signed with the secret, the same bytes are Printify's word and are applied as they are.
    raw = (tmp_path / "hook.json").read_bytes()
    good = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    path = tmp_path / "hook.json"
    assert main(["--db", database_url, "webhook-apply", str(path), "--signature", good]) == 0
    assert shop.statuses(ids) == [S.FULFILLED]
