"""`podtui webhook-apply` end to end on a real database file: Printful and Printify bodies move
the items (each checked with the vendor's sandbox on loopback: an unsigned body is a hint), the
same file twice changes nothing, and a body that cannot be read changes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from podtui.adapters.vendors.base import VendorStage
from podtui.adapters.vendors.printify_webhook import parse_printify_webhook
from podtui.cli import main
from podtui.domain.status import ItemStatus
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from tests.services.sending.status.conftest import MakeOrder, Shop, sent_at

S = ItemStatus


def printful_shipped(
    order_id: int, items: list[int], pf_ids: list[int], external_id: str = "PF-1001"
) -> dict[str, object]:
    """A package_shipped body in Printful's v1 webhook shape."""
    shipment = {
        "id": 9000001,
        "carrier": "USPS",
        "service": "USPS First Class Mail",
        "tracking_number": "9400111899223856928499",
        "tracking_url": "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899223856928499",
        "created": 1764900000,
        "ship_date": "2026-12-05",
        "shipped_at": 1764900000,
        "reshipment": False,
        "items": [{"item_id": p, "quantity": 1} for p in pf_ids],
    }
    return {
        "type": "package_shipped",
        "created": 1764900000,
        "retries": 0,
        "store": 13579246,
        "data": {
            "shipment": shipment,
            "order": {
                "id": order_id,
                "external_id": external_id,
                "status": "fulfilled",
                "items": [
                    {"id": p, "external_id": str(i)} for p, i in zip(pf_ids, items, strict=True)
                ],
                "shipments": [shipment],
            },
        },
    }


def printify_shipped(order_id: str) -> dict[str, object]:
    """An order:shipment:created body as in Printify's docs."""
    return {
        "id": "653b6be8-2ff7-4ab5-a7a6-6889a8b3d723",
        "type": "order:shipment:created",
        "created_at": "2026-12-05 10:04:31+00:00",
        "resource": {
            "id": order_id,
            "type": "order",
            "data": {
                "shop_id": 8675309,
                "shipped_at": "2026-12-05 10:04:31+00:00",
                "carrier": {
                    "code": "USPS",
                    "tracking_number": "94001116990045395649372",
                    "tracking_url": "https://tools.usps.com/go/TrackConfirmAction?tLabels=94001116990045395649372",
                },
                "skus": ["6202"],
            },
        },
    }


def test_printful_package_shipped_fulfils_the_items(
    shop: Shop,
    printful_at: tuple[SandboxPrintful, MakeOrder],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, make = printful_at
    order, ids = sent_at(shop, make, key="PF-1001", items=2)
    sandbox.ship(int(order), "USPS", "9400111899223856928499")
    body = tmp_path / "hook.json"
    body.write_text(json.dumps(sandbox.webhook("package_shipped", int(order))))
    assert main(["--db", database_url, "webhook-apply", str(body)]) == 0
    out = capsys.readouterr().out
    assert "printful package_shipped: checked with Printful" in out and "Sent → Fulfilled" in out
    assert shop.statuses(ids) == [S.FULFILLED] * 2
    assert [(r.carrier, r.tracking_number) for r in shop.shipments()] == [
        ("USPS", "9400111899223856928499")
    ] * 2
    events = len(shop.events())
    assert main(["--db", database_url, "webhook-apply", str(body)]) == 0
    assert "nothing new" in capsys.readouterr().out
    assert len(shop.events()) == events and len(shop.shipments()) == 2


def test_printify_shipment_from_stdin_in_a_subprocess(
    shop: Shop, printify_at: tuple[SandboxPrintify, MakeOrder], database_url: str
) -> None:
    sandbox, make = printify_at
    order, ids = sent_at(shop, make, "printify", key="PT-1")
    sandbox.ship(order, "USPS", "94001116990045395649372", "https://usps.test/9400")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "podtui", "--db", database_url, "webhook-apply", "-"],
        input=json.dumps(printify_shipped(order)),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "printify order:shipment:created" in done.stdout
    assert shop.statuses(ids) == [S.FULFILLED]
    [parcel] = shop.shipments()
    assert (parcel.carrier, parcel.tracking_number) == ("USPS", "94001116990045395649372")


def test_several_bodies_and_an_unknown_order(
    shop: Shop,
    printful_at: tuple[SandboxPrintful, MakeOrder],
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sandbox, make = printful_at
    order, ids = sent_at(shop, make, key="PF-1001", items=2)
    sandbox.ship(int(order))
    lines = [
        json.dumps({"type": "stock_updated", "data": {"variant_stock": {}}}),
        json.dumps(printful_shipped(61000999, [1], [7], "PF-999")),  # not ours
        json.dumps(sandbox.webhook("package_shipped", int(order))),
    ]
    body = tmp_path / "hooks.jsonl"
    body.write_text("\n".join(lines))
    assert main(["--db", database_url, "webhook-apply", str(body)]) == 1
    captured = capsys.readouterr()
    assert "not an order event podtui follows" in captured.out
    assert "no submission here matches it" in captured.err
    assert shop.statuses(ids) == [S.FULFILLED] * 2


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ("", "empty"),
    ],
)
def test_an_unreadable_file_changes_nothing(
    shop: Shop,
    database_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    needle: str,
) -> None:
    _, ids = shop.sent_order()
    body = tmp_path / "bad.json"
    body.write_text(text)
    assert main(["--db", database_url, "webhook-apply", str(body)]) == 2
    assert needle in capsys.readouterr().err
    assert shop.statuses(ids) == [S.SENT] * 2 and shop.events() == []


def test_a_body_of_neither_vendor_is_refused_with_its_reason(
    shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "hook.json"
    body.write_text(json.dumps({"event": "order.paid"}))
    assert main(["--db", database_url, "webhook-apply", str(body)]) == 1
    assert "Not a Printify or Printful webhook" in capsys.readouterr().err


def test_a_named_vendor_of_the_wrong_kind_is_refused(
    shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, ids = shop.sent_order(key="PF-1001")
    body = tmp_path / "hook.json"
    body.write_text(json.dumps(printful_shipped(61000001, ids, [1, 2])))
    assert main(["--db", database_url, "webhook-apply", str(body), "--vendor", "Printify"]) == 1
    assert "is a printify vendor, but this is a printful webhook" in capsys.readouterr().err
    assert shop.statuses(ids) == [S.SENT] * 2


def test_a_missing_file(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", database_url, "webhook-apply", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


# --- Printify bodies ----------------------------------------------------------------------------


def test_printify_topics() -> None:
    order_id = "5a96f649b2439217d070f507"
    shipped = parse_printify_webhook(printify_shipped(order_id))
    assert shipped is not None and shipped.vendor_order_id == order_id
    assert shipped.raw["skus"] == ["6202"] and shipped.shipments[0].carrier == "USPS"

    def updated(status: str) -> dict[str, object]:
        return {"id": "e", "type": "order:updated", "created_at": "",
                "resource": {"id": order_id, "type": "order", "data": {"shop_id": 1, "status": status}}}  # fmt: skip

    cases = {
        "on-hold": VendorStage.ACCEPTED,  # Printify's normal first state for an API order
        "in-production": VendorStage.IN_PRODUCTION,
        "fulfilled": VendorStage.FULFILLED,
        "canceled": VendorStage.CANCELED,
        "had-issues": VendorStage.ON_HOLD,
    }
    for status, stage in cases.items():
        parsed = parse_printify_webhook(updated(status))
        assert parsed is not None and parsed.stage is stage, status
    issues = parse_printify_webhook(updated("had-issues"))
    assert issues is not None and "issues" in issues.reason
    gone = {"id": "e", "type": "product:deleted", "resource": {"id": "p1", "type": "product"}}
    assert parse_printify_webhook(gone) is None
    with pytest.raises(ValueError, match="names no order"):
        parse_printify_webhook({"type": "order:updated", "resource": {"type": "order"}})


def test_a_signed_printify_body_is_applied_and_a_forged_one_is_not(
    shop: Shop,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import hashlib
    import hmac

    from podtui.adapters.credentials import env_var_name

    _, ids = shop.sent_order("printify", vendor_order_id="5a96f649b2439217d070f507", items=1)
    secret = "whsec-printify-demo"
    monkeypatch.setenv(env_var_name("printify", "Printify", "webhook_secret"), secret)
    raw = json.dumps(printify_shipped("5a96f649b2439217d070f507"), indent=1).encode()
    body = tmp_path / "hook.json"
    body.write_bytes(raw)
    forged = "sha256=" + hmac.new(b"wrong", raw, hashlib.sha256).hexdigest()
    assert main(["--db", database_url, "webhook-apply", str(body), "--signature", forged]) == 2
    assert "signature does not match" in capsys.readouterr().err
    assert shop.statuses(ids) == [S.SENT] and shop.events() == []
    good = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    assert main(["--db", database_url, "webhook-apply", str(body), "--signature", good]) == 0
    assert shop.statuses(ids) == [S.FULFILLED]


def test_a_signature_without_a_secret_says_where_to_put_it(
    shop: Shop, database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "hook.json"
    body.write_text(json.dumps(printify_shipped("5a96f649b2439217d070f507")))
    assert main(["--db", database_url, "webhook-apply", str(body), "--signature", "sha256=00"]) == 2
    assert "PODTUI_PRINTIFY_PRINTIFY_WEBHOOK_SECRET" in capsys.readouterr().err
