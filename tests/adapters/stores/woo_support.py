"""A WooCommerce sandbox store on loopback, and the documentation's order to fill it with.

The fixtures (`clock`, `woo`, `woo_url`) are imported by the conftests that use them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from podtui.adapters.credentials import set_secret
from podtui.adapters.http import RetryPolicy
from podtui.db import Database
from podtui.domain.models import Artwork, ProductMapping, Store, Vendor
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.woocommerce import SandboxWooStore

# Copies of shared/reference/fixtures/woocommerce (the REST v3 documentation's examples).
FIXTURES = Path(__file__).with_name("fixtures")


WOO_ORDER: dict[str, Any] = json.loads((FIXTURES / "woo_order.json").read_text())


KEY, SECRET = "ck_test_4f2a", "cs_test_9b7c"
T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


FAST = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.05)


def _fmt(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def woo_order(order_id: int, *, minutes: int | None = None, **changes: Any) -> dict[str, Any]:
    """The documentation's order (fixtures/woocommerce/order.json) as order `order_id`."""
    order = copy.deepcopy(WOO_ORDER)
    when = T0 + timedelta(minutes=order_id if minutes is None else minutes)
    order.update(
        id=order_id,
        number=str(order_id),
        date_created=_fmt(when),
        date_created_gmt=_fmt(when),
        date_modified=_fmt(when),
        date_modified_gmt=_fmt(when),
    )
    for n, line in enumerate(order["line_items"]):
        line["id"] = order_id * 10 + n
    order.update(changes)
    return order


class Clock:
    """The sandbox's clock, moved by tests (WooCommerce stamps date_modified with it)."""

    def __init__(self) -> None:
        self.now = T0 + timedelta(days=30)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int = 1) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def woo(clock: Clock) -> SandboxWooStore:
    return SandboxWooStore(consumer_key=KEY, consumer_secret=SECRET, clock=clock)


@pytest.fixture
def woo_url(woo: SandboxWooStore) -> Iterator[str]:
    with serve_loopback(woo.handler) as url:
        yield url


def loopback_store(db: Database, url: str) -> Store:
    """A WooCommerce store at `url` whose secret is in the (test) keyring; product 22 mapped."""
    set_secret("woocommerce", "Loopback Woo", f"{KEY}:{SECRET}")
    with db.write() as session:
        row = Store(name="Loopback Woo", kind="woocommerce", base_url=url)
        vendor = Vendor(name="Printify", kind="printify")
        artwork = Artwork(name="Idea tee", template="tee.toml", fields=["name"])
        session.add_all([row, vendor, artwork])
        session.flush()
        # Product 22 ("Ship Your Idea") is produced here; product 93 is not (unmanaged).
        session.add(
            ProductMapping(
                store_id=row.id, product_id="22", artwork_id=artwork.id, vendor_id=vendor.id
            )
        )
    return row
