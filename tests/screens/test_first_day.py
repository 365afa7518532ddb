"""Done when (issue 15): a shop's first day, from an empty database to the first tracking number,
doing what docs/first-day.md says, through `podtui` commands and the app's keys, against sandboxes
on loopback (a Shopify or a WooCommerce store, Printify) and a hot folder on disk. The test writes
nothing to the database itself and uses no demo seeder: everything goes through the product."""

from __future__ import annotations

import asyncio
import copy
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Static

from podtui.app import PodTUI
from podtui.cli import main
from podtui.clock import ManualClock
from podtui.config import Config
from podtui.db import Database
from podtui.domain.models import OrderItem
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.printify import SandboxPrintify
from podtui.sandbox.shopify import SandboxShopify
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.screens.bulk_dialogs import BulkConfirmDialog, BulkSummaryModal
from podtui.screens.catalogue import CatalogueScreen
from podtui.screens.catalogue_mapping import MappingEditor
from podtui.screens.catalogue_rules import RuleEditor
from podtui.screens.fulfilled_dialog import FulfilledDialog
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.orders import OrdersScreen
from podtui.widgets.preview import ImagePreview
from tests.adapters.stores.shopify_support import FIXTURE as SHOPIFY_ORDER
from tests.adapters.stores.woo_support import KEY, SECRET, woo_order
from tests.screens.conftest import assert_inside, until
from tests.screens.orders.conftest import settle
from tests.screens.orders.data import NOW
from tests.screens.test_catalogue import choose, press_button

PRINTIFY_TOKEN, PRINTIFY_SHOP = "pfy-first-day", 4242
SHOPIFY_TOKEN = "shpat_first_day_0123"


def _shopify_line(line_id: int, product: int, variant: int, sku: str, title: str,
                  variant_title: str) -> dict[str, Any]:  # fmt: skip
    return {
        "id": line_id, "product_id": product, "variant_id": variant, "sku": sku,
        "title": title, "variant_title": variant_title, "name": f"{title} - {variant_title}",
        "quantity": 1, "price": "24.00", "requires_shipping": True, "properties": [],
        "fulfillment_service": "manual",
    }  # fmt: skip


def _shopify_orders() -> list[dict[str, Any]]:
    """Two paid orders: each a shirt (product 7001, two variants) and a mug (SKU MUG-11OZ)."""
    orders = []
    for n, (variant, size) in enumerate([(7101, "Black / M"), (7102, "Sport Grey / XL")], 1):
        order = copy.deepcopy(SHOPIFY_ORDER)
        order.pop("fulfillments", None)
        order.update(id=9000 + n, name=f"#{100 + n}", order_number=100 + n,
                     financial_status="paid", fulfillment_status=None,
                     created_at=f"2026-03-0{n}T12:00:00Z", updated_at=f"2026-03-0{n}T12:00:00Z")  # fmt: skip
        if n == 2:  # another customer, somewhere else
            order["email"] = "ada@example.com"
            order["shipping_address"] = {
                **order["shipping_address"], "first_name": "Ada", "last_name": "Lovelace",
                "name": "Ada Lovelace", "address1": "969 Market", "city": "San Francisco",
                "province": "California", "province_code": "CA", "zip": "94103",
            }  # fmt: skip
        order["line_items"] = [
            _shopify_line(n * 10 + 1, 7001, variant, f"TEE-{n}", "Idea Tee", size),
            _shopify_line(n * 10 + 2, 7002, 7201, "MUG-11OZ", "Idea Mug", "11 oz"),
        ]
        orders.append(order)
    return orders


def _woo_orders() -> list[dict[str, Any]]:
    """Two orders: each the simple product 93 (no SKU) and a variant of the shirt (product 22)."""
    black = woo_order(1001)
    gray = woo_order(1002)
    gray["billing"] = {**gray["billing"], "first_name": "Ada", "email": "ada@example.com"}
    gray["shipping"] = {**gray["shipping"], "first_name": "Ada", "address_1": "1 Main St",
                        "city": "Louisville", "state": "KY", "postcode": "40202"}  # fmt: skip
    gray["line_items"][1].update(
        variation_id=24,
        sku="Bar4",
        name="Ship Your Idea &ndash; Color: Sport Gray, Size: Extra Large",
        meta_data=[
            {"id": 2097, "key": "pa_color", "value": "sport-gray"},
            {"id": 2098, "key": "size", "value": "Extra Large"},
        ],
    )
    return [black, gray]


@dataclass
class Store:
    """The store side of a first day: how to connect it, what it sells, what it was told."""

    kind: str
    connect: list[str]  # the `podtui connect` arguments after the URL
    secret: str
    shirt: str  # the product id of the shirt, mapped through Printify's catalogue
    rule: list[str]  # what the rule for the other product matches: [SKU glob, title words]
    sandbox: SandboxShopify | SandboxWooStore
    url: str = ""

    def tracking(self) -> dict[str, list[str]]:
        """The tracking numbers each store order was told about, in the order they came."""
        out: dict[str, list[str]] = {}
        if isinstance(self.sandbox, SandboxShopify):
            for order_id in self.sandbox.orders:
                numbers = [
                    info["number"]
                    for f in self.sandbox.fulfillments_of(order_id)
                    for info in f.get("trackingInfo") or []
                ]
                out[str(order_id)] = numbers
        else:
            for order_id, notes in self.sandbox.notes.items():
                out[str(order_id)] = [
                    n["note"].split("tracking number ")[1].split(":")[0]
                    for n in notes
                    if "tracking number" in n["note"]
                ]
        return out


@pytest.fixture(params=["shopify", "woocommerce"])
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    if request.param == "shopify":
        shop = SandboxShopify(_shopify_orders(), token=SHOPIFY_TOKEN, restore_rate=5000.0)
        world = Store("shopify", ["--name", "Northwind"], SHOPIFY_TOKEN, "7001",
                      ["MUG-*", ""], shop)  # fmt: skip
    else:
        woo = SandboxWooStore(_woo_orders(), consumer_key=KEY, consumer_secret=SECRET)
        world = Store("woocommerce", ["--name", "Lumen"], f"{KEY}:{SECRET}", "22",
                      ["", "Woo Single"], woo)  # fmt: skip
    with serve_loopback(world.sandbox.handler) as url:
        world.url = url
        yield world


@pytest.fixture
def first_day_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database nothing was ever written to: a new SQLite file (the first command makes it),
    or in the PostgreSQL run this worker's database, emptied."""
    if request.getfixturevalue("_postgres_url") is not None:
        return str(request.getfixturevalue("database_url"))
    return f"sqlite:///{tmp_path / 'first-day.db'}"


async def _row_of(pilot: Pilot[Any], screen: CatalogueScreen, product: str) -> None:
    """Put the Unmapped tab's cursor on the first row of `product`."""
    index = next(i for i, r in enumerate(screen.rows) if r.product_id == product)
    await pilot.press("home", *["down"] * index)


async def test_a_shop_first_day_to_the_first_tracking_number(
    tmp_path: Path,
    store: Store,
    first_day_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    printify = SandboxPrintify(token=PRINTIFY_TOKEN, shop_id=PRINTIFY_SHOP)
    art = tmp_path / "designs" / "Idea front.png"
    art.parent.mkdir()
    Image.new("RGBA", (450, 540), (30, 90, 160, 255)).save(art, dpi=(300, 300))
    rip = tmp_path / "rip"  # the RIP software's hot folder, with a folder per queue
    (rip / "mugs").mkdir(parents=True)

    async def podtui(*args: str, stdin: str = "") -> str:
        """A `podtui` command, off the test's event loop as it runs in a shell (the worker, which
        sets signal handlers, on the main thread: no app is open then)."""
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        argv = ["--db", first_day_url, *args]
        code = main(argv) if args[0] == "worker" else await asyncio.to_thread(main, argv)
        out = capsys.readouterr()
        assert code == 0, f"podtui {' '.join(args)}: {out.err}{out.out}"
        return out.out

    with serve_loopback(printify.handler) as printify_url:
        # 1. Connect the store and the vendors.
        await podtui("connect", store.kind, "--url", store.url, *store.connect, "--secret-stdin",
               stdin=store.secret + "\n")  # fmt: skip
        await podtui("connect", "printify", "--url", f"{printify_url}/v1", "--name", "Printify",
               "--shop-id", str(PRINTIFY_SHOP), "--secret-stdin", stdin=PRINTIFY_TOKEN + "\n")  # fmt: skip
        await podtui("connect", "hotfolder", "--name", "DTG", "--path", str(rip), "--queue", "mugs")
        # 2. Pull the orders.
        assert "2 orders read" in await podtui("sync", "--all")
        # 3. What is unmapped; the artwork.
        unmapped = (await podtui("mappings", "unmapped")).splitlines()[1:]
        assert len(unmapped) == 3, unmapped  # two variants of the shirt, the other product
        assert await podtui("artwork", "add", str(art)) == "Added #1 'Idea front' (print image)\n"

        db = Database(first_day_url)
        try:
            await _in_the_app(db, store)
            # 6. Render (the app renders too; a machine without it runs the worker).
            await podtui("worker", "--once")
            await _send(db)
        finally:
            db.dispose()

        # 7. What each vendor got: a Printify order per store order, a ticket per mug.
        assert len(printify.created) == 2
        assert set(printify.orders_by_external_id().values()) == {1}
        tickets = sorted((rip / "mugs").glob("*.json"))
        assert len(tickets) == 2, list(rip.rglob("*"))
        [line] = json.loads(tickets[0].read_text())["items"]
        assert line["product"] == {"queue": "mugs", "product_type": "mug"}, line
        assert (rip / "mugs" / line["file"]).is_file()

        # 8. Printify ships; poll brings the tracking back and hands it to the store.
        for n, order_id in enumerate(sorted(printify.orders)):
            printify.ship(order_id, "USPS", f"9400100000000000000{n}")
        assert "2 items moved, 2 shipments" in await podtui("poll", "--vendor", "Printify")
        told = store.tracking()
        assert sorted(n for numbers in told.values() for n in numbers) == [
            "94001000000000000000", "94001000000000000001",
        ], told  # fmt: skip
        # The RIP printed the mugs and moved their tickets on; the parcels left with UPS.
        (rip / "mugs" / "done").mkdir()
        for ticket in tickets:
            ticket.rename(rip / "mugs" / "done" / ticket.name)
        polled = await podtui("poll", "--vendor", "DTG")
        assert polled.count("Sent → In production") == 2, polled
        db = Database(first_day_url)
        try:
            await _mark_fulfilled(db)
        finally:
            db.dispose()
        await podtui("sync", "--all")  # the store hears of the hand-marked parcels
        await podtui("sync", "--all")  # and a second sync tells it nothing twice
    told = store.tracking()
    assert sorted(n for numbers in told.values() for n in numbers) == [
        "1Z999AA10000000001", "1Z999AA10000000002",
        "94001000000000000000", "94001000000000000001",
    ], told  # fmt: skip
    assert all(len(numbers) == 2 for numbers in told.values()), told


async def _look(pilot: Pilot[Any]) -> None:
    """The list's next look at the database (each second in the app; the test's clock is still)."""
    await settle(pilot)
    clock = pilot.app.clock  # type: ignore[attr-defined]
    assert isinstance(clock, ManualClock)
    await clock.fire("watch")
    await settle(pilot)


async def _in_the_app(db: Database, store: Store) -> None:
    """4-6: map the shirt through Printify's catalogue, route the rest by a rule, approve."""
    app = PodTUI(db, Config(), clock=ManualClock(NOW), watch_interval=3600.0)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CatalogueScreen)
        await _row_of(pilot, screen, store.shirt)
        await pilot.press("space", "space", "enter")
        await settle(pilot)
        editor = app.screen
        assert isinstance(editor, MappingEditor) and len(editor.rows) == 2
        await choose(pilot, 1)  # the artwork
        await pilot.press("tab")
        await choose(pilot, 2)  # DTG, Printify
        await pilot.press("tab", *"heavy cotton gildan", "tab", "enter")
        await settle(pilot)
        await pilot.press("tab")
        await choose(pilot, 2)  # Monster Digital, Printify Choice
        suggested = str(editor.query_one("#map-suggested", Static).render())
        assert "→ Black / M" in suggested and "→ Sport Grey / XL" in suggested, suggested
        await press_button(pilot, "#map-save")
        assert app.screen is screen, editor.last_error
        assert len(screen.rows) == 1  # the other product

        # 5. The rest goes to the hot folder by a rule.
        await pilot.press("]", "]")
        await settle(pilot)
        assert screen.tab == "rules-tab"
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RuleEditor)
        sku, title = store.rule
        await pilot.press(*"Mugs", "tab", *sku, "tab", *title, "tab", "tab", "tab", "tab")
        await choose(pilot, 1)  # DTG
        await pilot.press("tab", *"queue=mugs product_type=mug", "tab")
        await choose(pilot, 1)  # the artwork
        await press_button(pilot, "#rule-try")
        rule_editor = app.screen
        assert isinstance(rule_editor, RuleEditor) and rule_editor.tried is not None
        assert rule_editor.tried.summary() == "This rule would route 2 waiting items: 2 to DTG."
        await press_button(pilot, "#rule-save")
        assert app.screen is screen
        await pilot.press("[", "[")
        await settle(pilot)
        assert screen.rows == []
        await pilot.press("escape")
        await _look(pilot)

        # 6. Approve, with a look: open the first order, see the design, approve its items.
        orders = app.screen
        assert isinstance(orders, OrdersScreen)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, OrderDetailScreen)
        await until(pilot, lambda: detail.query_one(ImagePreview).has_class("has-image"),
                    "the design's preview")  # fmt: skip
        # a: the design as large as the terminal allows; y approves it, then the order's next.
        await pilot.press("a")
        await until(pilot, lambda: getattr(app.screen, "look", None) is not None, "the look")
        first = app.screen.item_id  # type: ignore[attr-defined]
        await pilot.press("y")
        await until(
            pilot,
            lambda: (
                getattr(app.screen, "item_id", first) != first
                and not getattr(app.screen, "busy", True)
            ),
            "the order's next item waiting",
        )
        await pilot.press("y")
        await until(pilot, lambda: app.screen is detail, "the approval to close")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        # The other order's items from the list: every waiting one at once.
        await pilot.press("asterisk", "a")
        await settle(pilot)
        assert isinstance(app.screen, BulkConfirmDialog)
        question = str(app.screen.query_one("#dialog-question", Static).content)
        assert question.startswith("Approve 2 items: 1 for DTG, 1 for Printify?"), question
        await pilot.press("y")
        await settle(pilot, timeout=30)
        assert isinstance(app.screen, BulkSummaryModal), app.screen
        assert app.screen.report.done == 2, app.screen.report.text()
        await pilot.press("escape")
        await settle(pilot)
    with db.read() as session:
        statuses = session.exec(select(OrderItem.status)).all()
    assert sorted(statuses) == [ItemStatus.RENDERING] * 4


async def _send(db: Database) -> None:
    """7: look at the print files, send everything Ready from the list."""
    app = PodTUI(db, Config(), clock=ManualClock(NOW), watch_interval=3600.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, OrderDetailScreen)
        await until(pilot, lambda: detail.query_one(ImagePreview).has_class("has-image"),
                    "the print file's preview")  # fmt: skip
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("asterisk", "S")
        await settle(pilot)
        assert isinstance(app.screen, BulkConfirmDialog)
        assert_inside(pilot)
        await pilot.press("y")
        await settle(pilot, timeout=30)
        assert isinstance(app.screen, BulkSummaryModal), app.screen
        assert app.screen.report.done == 4, app.screen.report.text()
    with db.read() as session:
        items = session.exec(select(OrderItem).order_by(col(OrderItem.id))).all()
    assert {i.status for i in items} == {ItemStatus.SENT}


async def _mark_fulfilled(db: Database) -> None:
    """8: the hot folder's parcels, marked in each order's details with carrier and tracking."""
    app = PodTUI(db, Config(), clock=ManualClock(NOW), watch_interval=3600.0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"vendor:dtg", "enter")
        await settle(pilot)
        orders = app.screen
        assert isinstance(orders, OrdersScreen)
        for n in (1, 2):
            await pilot.press("home", *["down"] * (n - 1), "enter")
            await settle(pilot)
            detail = app.screen
            assert isinstance(detail, OrderDetailScreen)
            current = detail.current
            assert current is not None and current.vendor is not None
            assert current.vendor.name == "DTG"
            await pilot.press("F")
            await settle(pilot)
            assert isinstance(app.screen, FulfilledDialog)
            assert_inside(pilot)
            await pilot.press(*"UPS", "tab", *f"1Z999AA1000000000{n}", "enter")
            await settle(pilot)
            assert app.screen is detail, app.screen
            assert detail.current is not None
            assert detail.current.item.status is ItemStatus.FULFILLED
            await pilot.press("escape")
            await settle(pilot)
    with db.read() as session:
        statuses = session.exec(select(OrderItem.status)).all()
    assert set(statuses) == {ItemStatus.FULFILLED}
