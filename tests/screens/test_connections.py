"""The Connections screen, driven by real keys: states, adding and replacing secrets, testing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from podtui.adapters.credentials import set_secret
from podtui.db import Database
from podtui.domain.models import Store, Vendor
from podtui.sandbox.http import serve_loopback
from podtui.sandbox.shopify import SandboxShopify
from podtui.screens.connection_add import AddConnectionModal
from podtui.screens.connections import COLUMNS, ConnectionsScreen, SecretModal
from tests.adapters.stores.shopify_support import TOKEN, shop
from tests.conftest import MemoryKeyring
from tests.screens.conftest import assert_inside, both_sizes, notices, steady_cursors, until
from tests.screens.orders.conftest import make_app, settle
from tests.screens.orders.data import NOW

SIZE = (120, 30)


@pytest.fixture
def sandbox() -> SandboxShopify:
    return shop(2, shop_name="Northwind Prints")


@pytest.fixture
def shop_url(sandbox: SandboxShopify) -> Iterator[str]:
    with serve_loopback(sandbox.handler) as url:
        yield url


def _seed(db: Database, url: str) -> None:
    with db.write() as s:
        s.add(Store(name="Northwind", kind="shopify", base_url=url, created_at=NOW))
        s.add(
            Store(
                name="Atelier Lumen",
                kind="woocommerce",
                base_url="https://lumen.example",
                last_sync_ok_at=NOW - timedelta(hours=2),
                sync_failures=3,
                last_sync_error="HTTP 503: maintenance",
                created_at=NOW,
            )
        )
        s.add(
            Store(
                name="Quiet Goods",
                kind="woocommerce",
                base_url="https://quiet.example",
                last_sync_ok_at=NOW - timedelta(minutes=5),
                created_at=NOW,
            )
        )
        s.add(Vendor(name="Printify", kind="printify", created_at=NOW))
        s.add(Vendor(name="In-house", kind="hotfolder", created_at=NOW))
    set_secret("woocommerce", "Quiet Goods", "ck_1:cs_2")
    set_secret("woocommerce", "Atelier Lumen", "ck_3:cs_4")


async def _open(pilot: Pilot[Any]) -> ConnectionsScreen:
    await settle(pilot)
    await pilot.press("C")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ConnectionsScreen)
    return screen


def _states(screen: ConnectionsScreen) -> dict[str, str]:
    return {s.name: s.state for s in screen.states}


def _notes(app: Any) -> list[str]:
    return notices(app)


async def test_the_row_under_the_cursor_says_its_whole_detail_at_80x24(
    db: Database, keyring_backend: MemoryKeyring
) -> None:
    _seed(db, "https://northwind.myshopify.com")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        line = screen.query_one("#connection-detail", Static)
        failing = next(s for s in screen.states if s.name == "Atelier Lumen")
        assert screen.table.cursor_row == screen.states.index(failing)
        # The table's Detail column is cut at 80 columns; the line under it is not.
        assert failing.detail and failing.detail in str(line.render()).replace("\n", " ")
        await pilot.press("down")
        await settle(pilot)
        current = screen.states[screen.table.cursor_row]
        assert str(line.render()).startswith(f"{current.name}: {current.state}")
        assert line.region.bottom <= screen.region.bottom


async def test_states_and_replacing_a_secret(
    db: Database, shop_url: str, keyring_backend: MemoryKeyring
) -> None:
    _seed(db, shop_url)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        assert _states(screen) == {
            "Atelier Lumen": "failing",
            "Northwind": "no secret",
            "Quiet Goods": "connected",
            "In-house": "not needed",
            "Printify": "no secret",
        }
        assert screen.query_one(DataTable).row_count == 5
        # Northwind is the second row: give it its token
        await pilot.press("down", "s")
        assert isinstance(app.screen, SecretModal)
        field = app.screen.query_one("#secret-value", Input)
        assert field.password
        await pilot.press(*"shpat_wrong")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert any("not connected, nothing changed" in m for m in _notes(app))
        assert ("podtui", "shopify:Northwind:token") not in keyring_backend.secrets
        await pilot.press("s")
        await pilot.press(*TOKEN, "enter")
        await settle(pilot)
        assert _states(screen)["Northwind"] == "connected"
        assert keyring_backend.secrets[("podtui", "shopify:Northwind:token")] == TOKEN
        assert any("Reconnected Shopify store 'Northwind'" in m for m in _notes(app))
        assert not any(TOKEN in m for m in _notes(app))
        # test it against the shop
        await pilot.press("t")
        await settle(pilot)
        assert any(m.startswith("Northwind: Northwind Prints (") for m in _notes(app))
        await pilot.press("escape")
        assert not isinstance(app.screen, ConnectionsScreen)


async def test_n_sets_whether_the_customer_is_notified_by_default(
    db: Database, shop_url: str, keyring_backend: MemoryKeyring
) -> None:
    _seed(db, shop_url)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        assert [s.notify for s in screen.states][:3] == [False, False, False]
        await pilot.press("down", "down", "n")  # Quiet Goods
        await until(pilot, lambda: screen.states[2].notify is True, "the new setting")
        assert "Quiet Goods: notify the customer is on by default." in _notes(app)
        table = screen.query_one(DataTable)
        assert "on" in str(table.get_row_at(2)[COLUMNS.index("Notify")])
        await pilot.press("n")
        await until(pilot, lambda: screen.states[2].notify is False, "off again")
        await pilot.press("down", "n")  # a vendor: nothing to notify
        await settle(pilot)
        assert "In-house is a vendor: only a store tells the customer." in _notes(app)
    with db.read() as s:
        quiet = s.exec(select(Store).where(Store.name == "Quiet Goods")).one()
    assert quiet.settings == {"notify_customer": False}


async def test_adding_a_store_and_the_palette(
    db: Database, shop_url: str, keyring_backend: MemoryKeyring
) -> None:
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Connections")
        await settle(pilot)  # the palette's search is a worker: wait for its last hits
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectionsScreen) and screen.states == []
        await pilot.press("a")
        modal = app.screen
        assert isinstance(modal, AddConnectionModal)  # Shopify comes first
        modal.query_one("#add-url", Input).value = shop_url
        await pilot.click("#add-name")
        await pilot.press(*"Northwind", "tab")  # tab: on to the secret
        assert modal.query_one("#add-secret", Input).password
        await pilot.press(*TOKEN, "enter")
        await settle(pilot)
        assert _states(screen) == {"Northwind": "connected"}
    with db.read() as s:
        row = s.exec(select(Store)).one()
    assert (row.name, row.kind, row.base_url) == ("Northwind", "shopify", shop_url)


async def test_testing_a_failing_store_says_why(
    db: Database, keyring_backend: MemoryKeyring
) -> None:
    with serve_loopback(shop(0).handler) as url:
        _seed(db, url)
        set_secret("shopify", "Northwind", "shpat_revoked")
        app = make_app(db)
        async with app.run_test(size=SIZE) as pilot:
            await _open(pilot)
            await pilot.press("down", "t")
            await settle(pilot)
            [message] = [m for m in _notes(app) if m.startswith("Northwind")]
    assert "HTTP 401" in message and "Invalid API key or access token" in message
    assert "shpat_revoked" not in message


@both_sizes
@pytest.mark.parametrize("view", ["list", "secret"])
def test_connections_snapshot(
    snap_compare: Callable[..., bool],
    db: Database,
    keyring_backend: MemoryKeyring,
    view: str,
    size: tuple[int, int],
) -> None:
    _seed(db, "https://northwind.myshopify.com")

    async def before(pilot: Pilot[Any]) -> None:
        await _open(pilot)
        await pilot.press("down")
        if view == "secret":
            await pilot.press("s")
            await settle(pilot)
            assert isinstance(pilot.app.screen, SecretModal)
        await steady_cursors(pilot)
        if size == (80, 24):
            assert_inside(pilot)

    assert snap_compare(make_app(db), terminal_size=size, run_before=before)


async def test_giving_a_vendor_its_token(db: Database, keyring_backend: MemoryKeyring) -> None:
    from podtui.sandbox.printful import SandboxPrintful

    printful = SandboxPrintful(token="pf_token_1")
    with serve_loopback(printful.handler) as url:
        with db.write() as s:
            s.add(Vendor(name="Printful", kind="printful", base_url=url, created_at=NOW))
        app = make_app(db)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open(pilot)
            assert _states(screen) == {"Printful": "no secret"}
            await pilot.press("s")
            modal = app.screen
            assert isinstance(modal, SecretModal)
            assert modal.query_one("#secret-value", Input).placeholder == "API token"
            await pilot.press(*"pf_token_1", "enter")
            await settle(pilot)
            assert _states(screen) == {"Printful": "connected"}
            await pilot.press("t")
            await settle(pilot)
            assert "Printful: the token was accepted" in _notes(app)
    assert keyring_backend.secrets[("podtui", "printful:Printful:token")] == "pf_token_1"


async def _give_secret(pilot: Pilot[Any], secret: str) -> str:
    """Type a new secret for the row under the cursor; what the screen says back."""
    before = set(_notes(pilot.app))
    await pilot.press("s")
    assert isinstance(pilot.app.screen, SecretModal)
    await pilot.press(*secret, "enter")
    await until(pilot, lambda: set(_notes(pilot.app)) - before, "an answer to the secret")
    await settle(pilot)
    [said] = set(_notes(pilot.app)) - before
    return said


async def test_a_demo_secret_is_tried_on_the_demo_sandbox_never_the_internet(
    db: Database, keyring_backend: MemoryKeyring, tmp_path: Any
) -> None:
    from podtui.app import PodTUI
    from podtui.clock import ManualClock
    from podtui.config import Config
    from podtui.demo.sandboxes import PRINTIFY_TOKEN, WOO_KEY, WOO_SECRET, demo_reach
    from podtui.demo.seed import seed_demo

    seed_demo(db, orders=12, seed=5, now=NOW, hotfolder_path=str(tmp_path / "rip"))
    reach = demo_reach(db)
    assert reach is not None
    app = PodTUI(db, Config(), clock=ManualClock(NOW), watch_interval=3600.0, reach=reach)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot)
        names = [s.name for s in screen.states]
        printify = next(s for s in screen.states if s.kind == "printify")
        woo = next(s for s in screen.states if s.kind == "woocommerce")
        for state, wrong, right, sandbox in (
            (printify, "not-the-demo-token", PRINTIFY_TOKEN, reach.sandbox.printify),
            (woo, "ck_x:cs_y", f"{WOO_KEY}:{WOO_SECRET}", reach.sandbox.woo),
        ):
            screen.table.move_cursor(row=names.index(state.name))
            await pilot.pause()
            seen = len(sandbox.requests)
            said = await _give_secret(pilot, wrong)
            assert "not connected, nothing changed" in said  # the sandbox refused it
            assert "HTTP 401" in said, said  # not a failed connection to the real API
            said = await _give_secret(pilot, right)
            assert said.startswith("Reconnected"), said
            assert len(sandbox.requests) >= seen + 2  # both tries reached the sandbox
            assert _states(screen)[state.name] == "sandbox"
