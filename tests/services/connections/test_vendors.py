"""The vendor adapters podtui connects take their turns from the vendor's row in the database.

Two `Database` objects on one file stand for two processes (the app and `submit --due` in cron):
an adapter in one must wait for the turns the other took.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from podtui.db import Database
from podtui.domain.models import Vendor
from podtui.sandbox.http import SandboxServer, serve_loopback
from podtui.sandbox.printful import SandboxPrintful
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.connections.rate_limits import SharedLimits
from podtui.services.connections.vendors import Connector, connector, sharing
from tests.adapters.vendors.printful_support import TOKEN as PRINTFUL_TOKEN
from tests.adapters.vendors.printify_support import SHOP_ID
from tests.adapters.vendors.printify_support import TOKEN as PRINTIFY_TOKEN

START = 1_800_000_000.0


class FakeTime:
    """A clock that moves only when a limiter sleeps, and what each sleep was."""

    def __init__(self) -> None:
        self.now = START
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def make_sandbox(kind: str) -> SandboxServer:
    if kind == "printify":
        return SandboxPrintify(token=PRINTIFY_TOKEN, shop_id=SHOP_ID)
    return SandboxPrintful(token=PRINTFUL_TOKEN, store_id=424242)


@pytest.fixture(params=["printify", "printful"])
def vendor_at(
    request: pytest.FixtureRequest, db: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Vendor, SandboxServer]]:
    """A vendor row of each API kind, 60 requests a minute, served on loopback."""
    kind = str(request.param)
    sandbox = make_sandbox(kind)
    with serve_loopback(sandbox.handler) as url:
        settings: dict[str, Any] = {"timeout": 2.0}
        if kind == "printify":
            settings["shop_id"] = SHOP_ID
            base = url + "/v1"
            monkeypatch.setenv("PODTUI_PRINTIFY_RATED_VENDOR_TOKEN", PRINTIFY_TOKEN)
        else:
            settings["store_id"] = 424242
            base = url
            monkeypatch.setenv("PODTUI_PRINTFUL_RATED_VENDOR_TOKEN", PRINTFUL_TOKEN)
        vendor = Vendor(
            name="Rated vendor", kind=kind, base_url=base, rate_limit_per_min=60, settings=settings
        )
        with db.write() as s:
            s.add(vendor)
        yield vendor, sandbox


async def test_adapters_of_one_vendor_in_two_processes_share_its_rate(
    db: Database, vendor_at: tuple[Vendor, SandboxServer]
) -> None:
    vendor, sandbox = vendor_at
    clock = FakeTime()
    other = Database(db.url)
    here = Connector(limits=SharedLimits(db, clock=clock.time, sleep=clock.sleep))(vendor)
    there = Connector(limits=SharedLimits(other, clock=clock.time, sleep=clock.sleep))(vendor)
    try:
        # The first process takes what the bucket holds at once, without waiting ...
        asked = 0
        while not clock.slept:
            await here.find(f"here-{asked}")
            asked += 1
        burst = asked - 1  # the last one had to wait for its turn
        assert 1 <= burst <= 2
        # ... so the other process, a moment later, waits a whole turn (60 a minute: ~1 s).
        clock.slept.clear()
        before = clock.time()
        await there.find("there")
        assert sum(clock.slept) >= 0.99
        assert clock.time() >= before + 0.99
    finally:
        await here.aclose()
        await there.aclose()
        other.dispose()
    assert len(sandbox.requests) == asked + 1


def test_a_service_shares_the_connector_it_is_handed_over_its_database(db: Database) -> None:
    shared = sharing(connector(), db)
    assert isinstance(shared, Connector) and shared.limits is not None
    assert shared.limits.db is db
    # A connector that already shares (a test's clock, another database) is kept as it is.
    own = Connector(limits=SharedLimits(db))
    assert sharing(own, db) is own
