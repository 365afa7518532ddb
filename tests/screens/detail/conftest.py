"""Fixtures for the order details tests: the list's small shop plus one order, #2001, that has
an item in each status the dialogs need, a print file, a failed submission, a shipment, a note
and a short timeline, all at fixed times so snapshots are stable."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Input

from podtui.adapters.credentials import set_secret
from podtui.app import PodTUI
from podtui.db import Database
from podtui.domain.models import (
    Artwork,
    Event,
    Note,
    Order,
    OrderItem,
    PrintFile,
    Shipment,
    Store,
    Submission,
    SubmissionItem,
)
from podtui.domain.status import ItemStatus
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.shopify import SandboxShopify
from tests.adapters.stores.shopify_support import TOKEN, rest_order, shop
from tests.screens.conftest import notices
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import NOW, Shop, seed_shop

SIZE = (120, 40)
ORDER = "#2001"


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@dataclass
class DetailShop:
    """The seeded shop and the ids of order #2001's parts."""

    shop: Shop
    order_id: int
    items: dict[str, int]  # waiting, ready, failed, missing, manual
    artwork_id: int
    other_artwork_id: int
    note_id: int
    print_dir: Path


def seed_detail(db: Database, root: Path) -> DetailShop:
    shop = seed_shop(db)
    created = NOW - timedelta(hours=3)
    printify = shop.vendors["Printify"]
    manual = shop.vendors["Local Embroidery"]
    store = shop.stores["Main Shopify"]
    prints = root / "prints"
    prints.mkdir(parents=True, exist_ok=True)
    preview = prints / "ready.preview.png"
    Image.new("RGB", (60, 90), (200, 60, 40)).save(preview)
    with db.write() as s:
        art = Artwork(name="Star poster", template="poster", fields=["title", "subtitle"])
        other = Artwork(name="Pet portrait mug", template="mug-wrap", fields=["name"])
        s.add(art)
        s.add(other)
        s.flush()
        order = Order(
            store_id=store,
            store_order_id="9001",
            name=ORDER,
            number="2001",
            created_at=created,
            customer_name="Ada Lovelace",
            customer_email="ada@example.com",
            ship_name="Ada Lovelace",
            ship_address1="1 Market St",
            ship_city="San Francisco",
            ship_state="CA",
            ship_postal_code="94105",
            ship_country="US",
            ship_phone="+1 415 555 0100",
            shipping_method="Standard",
            subtotal="76.00",
            shipping_total="8.50",
            total="84.50",
            currency="USD",
            payment_method="card",
            payment_status="paid",
            store_status="processing",
            store_fulfillment_status="unfulfilled",
            customer_note="Please gift wrap",
            raw={"line_items": [{"id": "L-A", "name": "Star Map Poster", "quantity": 3}]},
            synced_at=NOW,
        )
        s.add(order)
        s.flush()
        assert order.id is not None and art.id is not None and other.id is not None

        def item(key: str, status: ItemStatus, **kw: Any) -> OrderItem:
            values: dict[str, Any] = {
                "order_id": order.id,
                "store_id": store,
                "order_created_at": created,
                "store_line_id": f"L-{key}",
                "product_id": "P-star",
                "variant_id": "V-18x24",
                "sku": "POSTER-18",
                "title": "Star Map Poster",
                "variant_title": "18x24",
                "quantity": 1,
                "unit_price": "19.00",
                "status": status,
                "vendor_id": printify,
                "artwork_id": art.id,
                "personalization": {"title": "Our night", "subtitle": "1 May 2020"},
                "personalization_raw": [{"name": "Title", "value": "Our night"}],
                "created_at": created,
                "updated_at": created,
            }
            values.update(kw)
            row = OrderItem(**values)
            s.add(row)
            s.flush()
            return row

        waiting = item("A", ItemStatus.WAITING_APPROVAL, quantity=3)
        ready = item("B", ItemStatus.READY, quantity=2)
        failed = item("C", ItemStatus.FAILED, submitted_at=created)
        missing = item(
            "D",
            ItemStatus.MISSING_ARTWORK,
            artwork_id=None,
            vendor_id=None,
            title="Family Tree Canvas",
            sku="CANVAS-1",
            product_id="P-tree",
            variant_id="V-tree",
            personalization={},
            personalization_raw=[],
        )
        hand = item("E", ItemStatus.READY, vendor_id=manual, title="Embroidered Cap", sku="CAP-1")
        s.add(
            PrintFile(
                item_id=ready.id or 0,
                path="/srv/podtui/prints/main-shopify/2001/ready.png",
                preview_path=str(preview),
                width=5400,
                height=7200,
                created_at=created,
            )
        )
        sub = Submission(
            idempotency_key=f"podtui-{failed.id}",
            vendor_id=printify,
            state="failed",
            attempts=2,
            error_code="invalid_address",
            error_message="Address line 1 is not deliverable",
            http_status=422,
            raw_response='{"status":"error","errors":{"reason":"address1 undeliverable"}}',
            created_at=created,
            updated_at=created + timedelta(minutes=5),
        )
        s.add(sub)
        s.flush()
        s.add(SubmissionItem(submission_id=sub.id or 0, item_id=failed.id or 0))
        s.add(
            Shipment(
                order_id=order.id,
                item_id=None,
                carrier="USPS",
                tracking_number="9400100000000000000000",
                tracking_url="https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000",
                shipped_at=created,
                created_at=created,
            )
        )
        note = Note(
            order_id=order.id,
            author="tester",
            body="Customer called about the date",
            created_at=created + timedelta(minutes=30),
            updated_at=created + timedelta(minutes=30),
        )
        s.add(note)
        for minutes, kind, item_row, before, after in (
            (10, "add_artwork", waiting, "missing_artwork", "waiting_approval"),
            (20, "approve", ready, "waiting_approval", "rendering"),
            (25, "render_done", ready, "rendering", "ready"),
            (40, "submit_failed", failed, "sending", "failed"),
        ):
            s.add(
                Event(
                    at=created + timedelta(minutes=minutes),
                    user="ops",
                    type=kind,
                    order_id=order.id,
                    item_id=item_row.id,
                    from_status=before,
                    to_status=after,
                )
            )
        s.flush()
        assert note.id is not None
        items = {
            "waiting": waiting.id or 0,
            "ready": ready.id or 0,
            "failed": failed.id or 0,
            "missing": missing.id or 0,
            "manual": hand.id or 0,
        }
        return DetailShop(shop, order.id, items, art.id, other.id, note.id, prints)


@pytest.fixture
def dshop(db: Database, tmp_path: Path) -> DetailShop:
    return seed_detail(db, tmp_path)


def app_for(db: Database) -> PodTUI:
    return make_app(db)


async def open_from_list(pilot: Pilot[Any], name: str = ORDER, item: str | None = None) -> None:
    """Filter the list to the order, put the cursor on it, press enter; wait for the read."""
    await settle(pilot)
    await pilot.press("slash")
    pilot.app.screen.query_one("#filter-input", Input).value = name
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await wait_detail(pilot)


async def wait_detail(pilot: Pilot[Any]) -> None:
    """Wait until the details screen has read its order and no worker is running."""
    from podtui.screens.order_detail import OrderDetailScreen

    for _ in range(400):
        await settle(pilot)
        screens = [s for s in pilot.app.screen_stack if isinstance(s, OrderDetailScreen)]
        if screens and screens[-1].detail is not None:
            return
    raise AssertionError("the details screen never read its order")


async def cursor_to(pilot: Pilot[Any], item_id: int) -> None:
    """Move the items cursor onto `item_id` with the arrow keys."""
    from podtui.screens.order_detail import OrderDetailScreen

    screen = pilot.app.screen
    assert isinstance(screen, OrderDetailScreen) and screen.detail is not None
    ids = [d.id for d in screen.detail.items]
    current = screen.current.id if screen.current else ids[0]
    step = "down" if ids.index(item_id) > ids.index(current) else "up"
    for _ in range(abs(ids.index(item_id) - ids.index(current))):
        await pilot.press(step)
    await pilot.pause(0.01)
    assert screen.current is not None and screen.current.id == item_id


def screen_text(app: PodTUI) -> str:
    """What the terminal shows now, as plain text."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip).rstrip() for strip in strips)


def toasts(app: PodTUI) -> str:
    """Every notification shown so far, one per line (the app's history: toasts expire)."""
    return "\n".join(notices(app))


def item_row(db: Database, item_id: int) -> OrderItem:
    with db.read() as s:
        row = s.get(OrderItem, item_id)
        assert row is not None
        return row


def events_of(db: Database, item_id: int) -> list[Event]:
    with db.read() as s:
        return list(
            s.exec(select(Event).where(col(Event.item_id) == item_id).order_by(col(Event.id))).all()
        )


def items_of(db: Database, order_id: int) -> list[OrderItem]:
    with db.read() as s:
        return list(
            s.exec(
                select(OrderItem)
                .where(col(OrderItem.order_id) == order_id)
                .order_by(col(OrderItem.id))
            ).all()
        )


async def approve_with_a_look(pilot: Pilot[Any]) -> None:
    """After `a`: wait for the approval's look, answer y, wait until it has closed."""
    from podtui.screens.approval import ApprovalModal
    from tests.screens.conftest import until

    app = pilot.app

    def looking() -> bool:
        return isinstance(app.screen, ApprovalModal) and app.screen.look is not None

    await until(pilot, looking, "the approval's look")
    await pilot.press("y")
    await until(pilot, lambda: not isinstance(app.screen, ApprovalModal), "the approval to close")
    await wait_detail(pilot)


@pytest.fixture
def shopify() -> SandboxShopify:
    """The store's side of #2001: the order, payment pending (a manual payment)."""
    sandbox = shop()
    sandbox.add_order(rest_order(1, id=9001, name="#2001", financial_status="pending"))
    return sandbox


@pytest.fixture
def pending(db: Database, dshop: DetailShop, shopify: SandboxShopify) -> Iterator[DetailShop]:
    """#2001 awaiting its payment, its store (Main Shopify) served on loopback."""
    with serve_loopback(shopify.handler) as url:
        set_secret("shopify", "Main Shopify", TOKEN)
        with db.write() as s:
            store = s.get(Store, dshop.shop.stores["Main Shopify"])
            order = s.get(Order, dshop.order_id)
            assert store is not None and order is not None
            store.base_url = url
            order.payment_status = "pending"
            order.store_status = "open"  # what Shopify calls an order not closed nor cancelled
            s.add_all([store, order])
        yield dshop
