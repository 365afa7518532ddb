"""`podtui store-order ...`: the store side of an order from the command line, through the same
services as the order page, against a WooCommerce store on loopback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from podtui.cli import main
from podtui.db import Database
from podtui.domain.models import Event, Order
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.sync.pull import SyncOptions, sync_store_async
from tests.adapters.stores.woo_support import loopback_store, woo_order


@dataclass
class StoreOrder:
    """`podtui store-order` on this test's database, its store the sandbox WooCommerce."""

    db: Database
    woo: SandboxWooStore
    woo_url: str
    database_url: str
    capsys: pytest.CaptureFixture[str]

    async def synced(self, *orders: dict[str, Any]) -> None:
        """The store has `orders`, and podtui has them from a sync."""
        for order in orders:
            self.woo.add_order(order)
        report = await sync_store_async(
            self.db, loopback_store(self.db, self.woo_url), SyncOptions(mode="all")
        )
        assert report.ok, report.error

    async def two_units(self) -> None:
        """Order 1 paid by card, its line 11 two units at 12.00, synced."""
        order = woo_order(1, payment_method="stripe")
        order["line_items"][1].update(quantity=2, subtotal="24.00", total="24.00", price=12)
        await self.synced(order)

    def _run(self, argv: tuple[str, ...], status: int) -> tuple[str, str]:
        assert main(["--db", self.database_url, "store-order", *argv]) == status, argv
        return self.capsys.readouterr()

    def done(self, *argv: str) -> str:
        """Run with exit status 0 (done): what it printed."""
        return self._run(argv, 0)[0]

    def asks(self, *argv: str) -> str:
        """Run with exit status 1 (not confirmed: no --yes): what it said it would do."""
        return self._run(argv, 1)[0]

    def refuses(self, *argv: str) -> str:
        """Run with exit status 2 (refused or bad arguments): why, as printed."""
        out, err = self._run(argv, 2)
        assert "would" not in out, argv  # refused before it asked for a yes
        return err

    def order(self) -> Order:
        with self.db.read() as session:
            return session.exec(select(Order)).one()

    def events(self, kind: str) -> list[Event]:
        with self.db.read() as session:
            return list(session.exec(select(Event).where(Event.type == kind)).all())


@pytest.fixture
def cli(
    db: Database,
    database_url: str,
    woo: SandboxWooStore,
    woo_url: str,
    capsys: pytest.CaptureFixture[str],
) -> StoreOrder:
    return StoreOrder(db, woo, woo_url, database_url, capsys)


async def test_mark_paid_says_what_it_would_do_then_does_it_with_yes(cli: StoreOrder) -> None:
    await cli.synced(woo_order(1, status="on-hold", date_paid=None, date_paid_gmt=None))
    assert "would mark 1 as paid at its store; add --yes" in cli.asks("mark-paid", "1")
    assert cli.woo.orders[1]["status"] == "on-hold"
    assert "1 is marked as paid" in cli.done("mark-paid", "1", "--yes")
    assert cli.woo.orders[1]["status"] == "processing"
    assert cli.order().payment_status == "paid"


async def test_note_status_and_refund_from_the_command_line(cli: StoreOrder) -> None:
    await cli.two_units()
    cli.done("note", "1", "--text", "Ships Monday", "--to-customer", "--yes")
    assert any(n["customer_note"] and "Ships Monday" in n["note"] for n in cli.woo.notes[1])
    cli.done("status", "1", "--to", "on-hold", "--yes")
    assert cli.woo.orders[1]["status"] == "on-hold"
    refund = ("refund", "1", "--line", "11=1", "--reason", "damaged")
    assert "would refund 12.00 USD on 1" in cli.asks(*refund)
    cli.done(*refund, "--yes")
    (made,) = cli.woo.refunds[1]
    assert made["amount"] == "12.00" and "damaged (podtui-" in made["reason"]
    assert len(cli.events("store_refunded")) == 1


WOO_NOTIFY = "WooCommerce e-mails the customer about a refund by its own settings"


async def test_a_woocommerce_refund_says_notify_is_the_stores_own(cli: StoreOrder) -> None:
    await cli.two_units()
    refund = ("refund", "1", "--line", "11=1", "--notify")
    assert WOO_NOTIFY in cli.asks(*refund)
    out = cli.done(*refund, "--yes")
    assert WOO_NOTIFY in out and "refunded 12.00 USD on 1" in out
    with pytest.raises(SystemExit):
        main(["store-order", "refund", "--help"])
    help_text = " ".join(cli.capsys.readouterr().out.split())
    assert "WooCommerce e-mails the customer by its own settings" in help_text


async def test_bad_input_is_refused_before_anything_is_sent(cli: StoreOrder) -> None:
    """With or without --yes: without it the command says what it would do, never for what
    --yes would refuse."""
    await cli.synced(woo_order(1))  # paid, processing
    asked = len(cli.woo.requests)
    refused = {
        ("refund", "1", "--line", "11=9"): "Some quantities cannot be refunded",
        ("refund", "1", "--line", "999=1"): "1 has no line 999",
        ("mark-paid", "#404"): "No order '#404'",
        ("note", "1", "--text", "   "): "Write the note first.",
        ("note", "1", "--text", "x" * 4001): "The note is 4,001 characters long",
        ("status", "1", "--to", "pending"): "it can go to",
        ("mark-paid", "1"): "only an unpaid, pending or partially paid order",
    }
    for argv, why in refused.items():
        assert why in cli.refuses(*argv)
        assert why in cli.refuses(*argv, "--yes")
    assert len(cli.woo.requests) == asked
    assert "would post the note to 1 at its store" in cli.asks("note", "1", "--text", " Hi ")


async def test_a_refund_with_an_adjustment_and_a_fee_from_the_command_line(
    cli: StoreOrder,
) -> None:
    await cli.two_units()
    refund = ("refund", "1", "--line", "11=1")
    assert "The fee takes more than the refund" in cli.refuses(*refund, "--fee", "99.00", "--yes")
    adjusted = (*refund, "--adjustment", "-2.00", "--fee", "1.00")
    assert "would refund 9.00 USD on 1" in cli.asks(*adjusted)
    assert cli.woo.refunds.get(1, []) == []
    cli.done(*adjusted, "--yes")
    (made,) = cli.woo.refunds[1]
    assert made["amount"] == "9.00" and "restocking fee 1.00 (podtui-" in made["reason"]


async def test_change_the_customer_from_the_command_line(cli: StoreOrder) -> None:
    grace = cli.woo.add_customer("Grace", "Hopper", "grace@navy.example")
    cli.woo.add_customer("Grace", "Kelly", "grace@monaco.example")
    await cli.synced(woo_order(1))
    customer = ("customer", "1")
    out = cli.done(*customer, "--search", "grace")
    assert "Grace Hopper <grace@navy.example>" in out and "Grace Kelly <grace@monaco" in out
    assert "would make Grace Hopper <grace@navy.example> the customer of 1" in cli.asks(
        *customer, "--to", "grace@navy.example"
    )
    assert cli.woo.orders[1]["customer_id"] != grace["id"]
    out = cli.done(*customer, "--to", "GRACE@navy.example", "--yes")
    assert "Grace Hopper is the customer of 1" in out
    assert cli.woo.orders[1]["customer_id"] == grace["id"]
    assert cli.order().customer_email == "grace@navy.example"
    assert len(cli.events("store_customer_set")) == 1
    asked = len(cli.woo.requests)
    two = cli.refuses(*customer, "--to", "grace", "--yes")  # two match: say which
    assert "2 customers match 'grace'" in two
    assert "No customer at" in cli.refuses(*customer, "--to", "nobody@example.com", "--yes")
    assert "--search or --to" in cli.refuses(*customer)  # neither --search nor --to
    assert len(cli.events("store_customer_set")) == 1
    assert all(r.method == "GET" for r in cli.woo.requests[asked:])  # searched, nothing set


async def test_take_a_return_from_the_command_line(cli: StoreOrder) -> None:
    await cli.synced(woo_order(1, status="completed"))
    back = ("return", "1")
    assert "would take back 1 x Ship Your Idea" in cli.asks(
        *back, "--line", "11=1", "--reason", "damaged"
    )
    assert not any("(podtui-" in str(n["note"]) for n in cli.woo.notes.get(1, []))
    assert "Some quantities cannot be returned" in cli.refuses(*back, "--line", "11=5", "--yes")
    assert "1 has no line 999" in cli.refuses(*back, "--line", "999=1", "--yes")
    out = cli.done(*back, "--line", "11=1", "--reason", "damaged", "--yes")
    assert "return taken on 1" in out
    (note,) = [n for n in cli.woo.notes[1] if "(podtui-" in str(n["note"])]
    assert "(damaged)" in str(note["note"])
    assert cli.order().return_status == "partially_returned"
