"""The details screen opened from the list: what it shows, and the simple item actions."""

from __future__ import annotations

from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.models import Event, Order, RenderJob
from podtui.domain.status import ItemStatus
from podtui.screens.order_detail import OrderDetailScreen
from tests.screens.detail.conftest import (
    ORDER,
    SIZE,
    DetailShop,
    app_for,
    approve_with_a_look,
    cursor_to,
    events_of,
    item_row,
    open_from_list,
    screen_text,
    toasts,
    wait_detail,
)


async def test_enter_opens_the_order_with_everything_on_it(db: Database, dshop: DetailShop):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        screen = app.screen
        assert isinstance(screen, OrderDetailScreen)
        assert screen.order_id == dshop.order_id
        text = screen_text(app)
        # header: name, store, customer, derived status, store statuses, money
        assert ORDER in text and "Main Shopify" in text and "Ada Lovelace" in text
        assert "Failed to send" in text  # one failed item makes the order "failed to send"
        assert "processing" in text and "paid" in text and "unfulfilled" in text
        assert "84.50 USD" in text and "card" in text
        assert "shipping 8.50 USD" in text  # the shipping cost beside the totals
        # items with status, quantity, SKU, vendor
        assert "Waiting approval" in text and "3 x Star Map Poster" in text
        assert "Missing artwork" in text and "Family Tree Canvas" in text
        # the right side: shipping, store, fulfillment with the shipment
        assert "1 Market St" in text and "United States (US)" in text
        assert "Standard" in text and "Please gift wrap" in text
        assert "USPS" in text and "9400100000000000000000" in text
        assert "Customer called about the date" in text
        # the timeline, newest first, with the OS user
        timeline = text[text.index("Timeline") :]
        assert timeline.index("submit failed") < timeline.index("add artwork")
        assert "ops" in timeline


async def test_cursor_shows_the_item_and_its_print_link(db: Database, dshop: DetailShop):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["ready"])
        text = screen_text(app)
        assert f"item {dshop.items['ready']}" in text
        assert "file:///srv/podtui/prints/" in text and "ready.png" in text
        screen = app.screen
        assert isinstance(screen, OrderDetailScreen) and screen.current is not None
        assert (
            screen.link_of(screen.current)
            == "file:///srv/podtui/prints/main-shopify/2001/ready.png"
        )
        await cursor_to(pilot, dshop.items["failed"])
        text = screen_text(app)
        assert "Address line 1 is not deliverable [invalid_address] (HTTP 422)" in text


async def test_approve_moves_the_item_and_queues_a_render(db: Database, dshop: DetailShop):
    app = app_for(db)
    item = dshop.items["waiting"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("a")  # the design as large as the terminal allows; y approves
        await approve_with_a_look(pilot)
        assert item_row(db, item).status is ItemStatus.RENDERING
        with db.read() as s:
            jobs = s.exec(select(RenderJob).where(col(RenderJob.item_id) == item)).all()
        assert len(jobs) == 1
        assert [e.type for e in events_of(db, item)][-1] == "approve"
        assert events_of(db, item)[-1].user == "tester"
        assert "Rendering" in screen_text(app)


async def test_a_key_the_status_forbids_does_nothing(db: Database, dshop: DetailShop):
    app = app_for(db)
    item = dshop.items["missing"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        before = len(events_of(db, item))
        await pilot.press("a", "S", "r", "R")
        await wait_detail(pilot)
        assert item_row(db, item).status is ItemStatus.MISSING_ARTWORK
        assert len(events_of(db, item)) == before
        assert app.screen.key_applies("item", ("approve",)) is False


async def test_hold_needs_a_reason_then_holds(db: Database, dshop: DetailShop):
    app = app_for(db)
    item = dshop.items["ready"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("h")
        await pilot.pause()
        await pilot.press("enter")  # no reason typed
        await pilot.pause()
        assert "Say why first" in screen_text(app)
        assert item_row(db, item).status is ItemStatus.READY
        await pilot.press(*"artwork is blurry")
        await pilot.press("enter")
        await wait_detail(pilot)
        row = item_row(db, item)
        assert row.status is ItemStatus.ON_HOLD and row.hold_reason == "artwork is blurry"
        assert isinstance(app.screen, OrderDetailScreen)
        # release goes back where it was
        await pilot.press("H")
        await wait_detail(pilot)
        assert item_row(db, item).status is ItemStatus.READY


async def test_ignore_then_restore(db: Database, dshop: DetailShop):
    app = app_for(db)
    item = dshop.items["missing"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("i")
        await wait_detail(pilot)
        assert item_row(db, item).status is ItemStatus.IGNORED
        assert app.screen.key_applies("item", ("ignore",)) is False
        await pilot.press("u")
        await wait_detail(pilot)
        assert item_row(db, item).status is ItemStatus.MISSING_ARTWORK


async def test_archive_asks_first_and_no_leaves_it(db: Database, dshop: DetailShop):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert "Archive #2001?" in screen_text(app)
        await pilot.press("n")
        await wait_detail(pilot)
        with db.read() as s:
            order = s.get(Order, dshop.order_id)
            assert order is not None and not order.archived
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("y")
        await wait_detail(pilot)
        with db.read() as s:
            order = s.get(Order, dshop.order_id)
            assert order is not None and order.archived
            kinds = s.exec(select(Event.type).where(col(Event.order_id) == dshop.order_id)).all()
        assert "archive" in kinds
        assert "Archived" in screen_text(app)
        assert app.screen.key_applies("archive", (True,)) is False
        assert app.screen.key_applies("archive", (False,)) is True


async def test_resync_without_store_credentials_says_what_to_do(db: Database, dshop: DetailShop):
    """ctrl+r reaches the real sync; a store podtui has no secret for says how to connect it."""
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        before = item_row(db, dshop.items["ready"])
        await pilot.press("ctrl+r")
        await wait_detail(pilot)
        assert "podtui connect shopify" in toasts(app)
        assert item_row(db, dshop.items["ready"]) == before


async def test_escape_goes_back_to_the_list(db: Database, dshop: DetailShop):
    from podtui.screens.orders import OrdersScreen

    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)


async def test_copy_link_copies_and_can_write_it_to_a_file(db: Database, dshop: DetailShop):
    from podtui.config import data_dir

    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["waiting"])
        assert app.screen.key_applies("item", ("copy_link",)) is False  # no print file state
        await cursor_to(pilot, dshop.items["ready"])
        await pilot.press("c")
        await pilot.pause()
        link = "file:///srv/podtui/prints/main-shopify/2001/ready.png"
        assert app.clipboard == link
        assert "L writes it to a file" in toasts(app)
        await pilot.press("L")
        await pilot.pause()
        written = list((data_dir() / "reports").glob("print-link-*.txt"))
        assert [p.read_text().strip() for p in written] == [link]


async def test_raw_payload_shows_what_the_store_sent(db: Database, dshop: DetailShop):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["waiting"])
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(app)
        assert '"personalization_raw"' in text and '"Our night"' in text
        assert '"L-A"' in text  # the store's own line, from the order payload


async def test_a_change_made_elsewhere_shows_up(db: Database, dshop: DetailShop):
    from podtui.services.items import actions
    from tests.screens.orders.conftest import make_app, settle

    app = make_app(db, watch=1.0)
    item = dshop.items["waiting"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        screen = app.screen
        assert isinstance(screen, OrderDetailScreen)
        with db.write() as s:  # another operator, in another session
            actions.approve(s, item)
        assert await app.clock.fire("detail-watch") == 1  # the screen's next look
        await settle(pilot)
        d = screen.detail.item(item) if screen.detail else None
        assert d is not None and d.status is ItemStatus.RENDERING


async def test_back_to_the_list_shows_what_changed(db: Database, dshop: DetailShop):
    from tests.screens.orders.conftest import table_lines

    app = app_for(db)
    item = dshop.items["waiting"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("a")
        await approve_with_a_look(pilot)
        await pilot.press("escape")
        await pilot.pause()
        from tests.screens.orders.conftest import settle

        await settle(pilot)
        lines = "\n".join(table_lines(app))
        assert "Rendering" in lines


async def test_help_and_palette_know_the_detail_keys(db: Database, dshop: DetailShop):
    from podtui.screens.help import HelpModal
    from tests.screens.orders.conftest import settle

    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpModal)
        assert "Split the item" in app.screen.text and "detail.split" in app.screen.text
        await pilot.press("escape")
        await cursor_to(pilot, dshop.items["waiting"])
        await pilot.press("ctrl+p", *"approve the design")
        await settle(pilot)  # the palette's search is a worker: wait for its last hits
        await pilot.press("enter")
        await approve_with_a_look(pilot)
        assert item_row(db, dshop.items["waiting"]).status is ItemStatus.RENDERING
