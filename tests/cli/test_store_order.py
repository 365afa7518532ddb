"""`podtui store-order ...`: the store side of an order from the command line, through the same
services as the order page, against a WooCommerce store on loopback."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.cli import main
from podtui.db import Database
from podtui.domain.models import Event, Order
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.sync.pull import SyncOptions, sync_store_async
from tests.adapters.stores.woo_support import loopback_store, woo_order


async def _synced(db: Database, woo_url: str) -> None:
    store = loopback_store(db, woo_url)
    report = await sync_store_async(db, store, SyncOptions(mode="all"))
    assert report.ok, report.error


def _order(db: Database) -> Order:
    with db.read() as session:
        return session.exec(select(Order)).one()


def _events(db: Database, kind: str) -> list[Event]:
    with db.read() as session:
        return list(session.exec(select(Event).where(Event.type == kind)).all())


async def _two_units(db: Database, woo: SandboxWooStore, woo_url: str) -> None:
    """Order 1 paid by card, its line 11 two units at 12.00, synced."""
    order = woo_order(1, payment_method="stripe")
    order["line_items"][1].update(quantity=2, subtotal="24.00", total="24.00", price=12)
    woo.add_order(order)
    await _synced(db, woo_url)


async def test_mark_paid_says_what_it_would_do_then_does_it_with_yes(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    woo.add_order(woo_order(1, status="on-hold", date_paid=None, date_paid_gmt=None))
    await _synced(db, woo_url)
    assert main(["--db", database_url, "store-order", "mark-paid", "1"]) == 1
    assert "would mark 1 as paid at its store; add --yes" in capsys.readouterr().out
    assert woo.orders[1]["status"] == "on-hold"
    assert main(["--db", database_url, "store-order", "mark-paid", "1", "--yes"]) == 0
    assert "1 is marked as paid" in capsys.readouterr().out
    assert woo.orders[1]["status"] == "processing"
    assert _order(db).payment_status == "paid"


async def test_note_status_and_refund_from_the_command_line(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await _two_units(db, woo, woo_url)
    run = ["--db", database_url, "store-order"]
    assert main([*run, "note", "1", "--text", "Ships Monday", "--to-customer", "--yes"]) == 0
    assert any(n["customer_note"] and "Ships Monday" in n["note"] for n in woo.notes[1])
    assert main([*run, "status", "1", "--to", "on-hold", "--yes"]) == 0
    assert woo.orders[1]["status"] == "on-hold"
    assert main([*run, "refund", "1", "--line", "11=1", "--reason", "damaged"]) == 1
    assert "would refund 12.00 USD on 1" in capsys.readouterr().out
    assert main([*run, "refund", "1", "--line", "11=1", "--reason", "damaged", "--yes"]) == 0
    (made,) = woo.refunds[1]
    assert made["amount"] == "12.00" and "damaged (podtui-" in made["reason"]
    assert len(_events(db, "store_refunded")) == 1


WOO_NOTIFY = "WooCommerce e-mails the customer about a refund by its own settings"


async def test_a_woocommerce_refund_says_notify_is_the_stores_own(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await _two_units(db, woo, woo_url)
    refund = ["--db", database_url, "store-order", "refund", "1", "--line", "11=1", "--notify"]
    assert main(refund) == 1
    assert WOO_NOTIFY in capsys.readouterr().out
    assert main([*refund, "--yes"]) == 0
    out = capsys.readouterr().out
    assert WOO_NOTIFY in out and "refunded 12.00 USD on 1" in out
    with pytest.raises(SystemExit):
        main(["store-order", "refund", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "WooCommerce e-mails the customer by its own settings" in help_text


async def test_bad_arguments_are_refused_and_nothing_is_sent(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    woo.add_order(woo_order(1))
    await _synced(db, woo_url)
    asked = len(woo.requests)
    run = ["--db", database_url, "store-order"]
    assert main([*run, "refund", "1", "--line", "11=9", "--yes"]) == 2
    assert "Some quantities cannot be refunded" in capsys.readouterr().err
    assert main([*run, "refund", "1", "--line", "999=1", "--yes"]) == 2
    assert "1 has no line 999" in capsys.readouterr().err
    assert main([*run, "status", "1", "--to", "pending", "--yes"]) == 2
    assert "it can go to" in capsys.readouterr().err
    assert main([*run, "mark-paid", "#404", "--yes"]) == 2
    assert "No order '#404'" in capsys.readouterr().err
    assert len(woo.requests) == asked


async def test_bad_input_is_refused_before_asking_for_yes(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Without --yes the command says what it would do: never for what --yes would refuse."""
    woo.add_order(woo_order(1))  # paid, processing
    await _synced(db, woo_url)
    asked = len(woo.requests)
    run = ["--db", database_url, "store-order"]
    refused = {
        ("note", "1", "--text", "   "): "Write the note first.",
        ("note", "1", "--text", "x" * 4001): "The note is 4,001 characters long",
        ("status", "1", "--to", "pending"): "it can go to",
        ("mark-paid", "1"): "only an unpaid, pending or partially paid order",
    }
    for argv, why in refused.items():
        assert main([*run, *argv]) == 2, argv
        out, err = capsys.readouterr()
        assert why in err and "would" not in out, argv
    assert len(woo.requests) == asked
    assert main([*run, "note", "1", "--text", " Ships Monday "]) == 1  # good input: asks
    assert "would post the note to 1 at its store" in capsys.readouterr().out


async def test_a_refund_with_an_adjustment_and_a_fee_from_the_command_line(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await _two_units(db, woo, woo_url)
    run = ["--db", database_url, "store-order", "refund", "1", "--line", "11=1"]
    assert main([*run, "--fee", "99.00", "--yes"]) == 2
    assert "The fee takes more than the refund" in capsys.readouterr().err
    assert main([*run, "--adjustment", "-2.00", "--fee", "1.00"]) == 1
    assert "would refund 9.00 USD on 1" in capsys.readouterr().out
    assert woo.refunds.get(1, []) == []
    assert main([*run, "--adjustment", "-2.00", "--fee", "1.00", "--yes"]) == 0
    (made,) = woo.refunds[1]
    assert made["amount"] == "9.00" and "restocking fee 1.00 (podtui-" in made["reason"]


async def test_change_the_customer_from_the_command_line(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    woo.add_order(woo_order(1))
    grace = woo.add_customer("Grace", "Hopper", "grace@navy.example")
    woo.add_customer("Grace", "Kelly", "grace@monaco.example")
    await _synced(db, woo_url)
    run = ["--db", database_url, "store-order", "customer", "1"]
    assert main([*run, "--search", "grace"]) == 0
    out = capsys.readouterr().out
    assert "Grace Hopper <grace@navy.example>" in out and "Grace Kelly <grace@monaco" in out
    assert main([*run, "--to", "grace@navy.example"]) == 1
    assert "would make Grace Hopper <grace@navy.example> the customer of 1" in (
        capsys.readouterr().out
    )
    assert woo.orders[1]["customer_id"] != grace["id"]
    assert main([*run, "--to", "GRACE@navy.example", "--yes"]) == 0
    assert "Grace Hopper is the customer of 1" in capsys.readouterr().out
    assert woo.orders[1]["customer_id"] == grace["id"]
    assert _order(db).customer_email == "grace@navy.example"
    assert len(_events(db, "store_customer_set")) == 1
    asked = len(woo.requests)
    assert main([*run, "--to", "grace", "--yes"]) == 2  # two match: say which
    assert "2 customers match 'grace'" in capsys.readouterr().err
    assert main([*run, "--to", "nobody@example.com", "--yes"]) == 2
    assert "No customer at" in capsys.readouterr().err
    assert main(run) == 2  # neither --search nor --to
    assert "--search or --to" in capsys.readouterr().err
    assert len(_events(db, "store_customer_set")) == 1
    assert all(r.method == "GET" for r in woo.requests[asked:])  # searched, nothing set


async def test_take_a_return_from_the_command_line(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    woo.add_order(woo_order(1, status="completed"))
    await _synced(db, woo_url)
    run = ["--db", database_url, "store-order", "return", "1"]
    assert main([*run, "--line", "11=1", "--reason", "damaged"]) == 1
    assert "would take back 1 x Ship Your Idea" in capsys.readouterr().out
    assert not any("(podtui-" in str(n["note"]) for n in woo.notes.get(1, []))
    assert main([*run, "--line", "11=5", "--yes"]) == 2
    assert "Some quantities cannot be returned" in capsys.readouterr().err
    assert main([*run, "--line", "999=1", "--yes"]) == 2
    assert "1 has no line 999" in capsys.readouterr().err
    assert main([*run, "--line", "11=1", "--reason", "damaged", "--yes"]) == 0
    assert "return taken on 1" in capsys.readouterr().out
    (note,) = [n for n in woo.notes[1] if "(podtui-" in str(n["note"])]
    assert "(damaged)" in str(note["note"])
    assert _order(db).return_status == "partially_returned"
