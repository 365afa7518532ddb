"""The order list by keyboard: rows, tabs, every filter, marks, sorting, views, help, palette."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from podtui.config import Config, config_file, load_config
from podtui.db import Database
from podtui.domain.models import Order, Shipment
from podtui.domain.status import ItemStatus
from podtui.domain.wording import count
from podtui.screens.orders import OrdersScreen
from podtui.services.listing.query import TABS
from tests.screens.conftest import until
from tests.screens.orders.conftest import header, make_app, settle, table_lines
from tests.screens.orders.data import NOW, Shop


def orders_screen(app: object) -> OrdersScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, OrdersScreen)
    return screen


def shown_statuses(screen: OrdersScreen) -> set[ItemStatus | None]:
    return {row.status for row in screen.table.loaded_rows}


async def type_filter(pilot: object, text: str) -> None:
    """`/`, the filter text (set in the line at once: typing key by key is tested once), enter."""
    await pilot.press("slash")  # type: ignore[attr-defined]
    pilot.app.screen.query_one("#filter-input").value = text  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_list_shows_items_newest_first_with_header_and_columns(
    db: Database, shop: Shop
) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        lines = table_lines(app)
        assert lines[0].split()[:4] == ["Order", "Created▼", "Age", "Product"]
        assert lines[1].lstrip().startswith("#1032")  # the newest order
        assert header(app) == "All · 42 items"
        assert screen.table.total == 42
        # A failed row carries its mark; the reason shows under the list when the cursor is on it.
        assert any("✗ Failed" in line for line in lines)


async def test_every_tab_shows_its_status_and_counts(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        assert screen.counts is not None
        counts = screen.counts.items
        for tab in TABS[1:]:
            await pilot.press("right_square_bracket")
            await settle(pilot)
            assert screen.list_query.tab == tab.id
            assert header(app).startswith(f"{tab.label} · {counts[tab.id]:,} items")
            if tab.status is not None:
                assert shown_statuses(screen) <= {tab.status}
            else:
                assert all(row.archived for row in screen.table.loaded_rows)
            assert len(screen.table.loaded_rows) == counts[tab.id]
        await pilot.press("right_square_bracket")  # wraps round to All
        await settle(pilot)
        assert screen.list_query.tab == "all"


async def test_a_tab_key_pressed_while_the_app_starts_moves_the_list_too(
    db: Database, shop: Shop
) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")  # before any row came
        await settle(pilot)
        screen = orders_screen(app)
        tab = TABS[2]
        assert screen.list_query.tab == tab.id
        assert screen.tabs.active == tab.id  # the bar and the list agree
        assert header(app).startswith(f"{tab.label} · ")
        assert shown_statuses(screen) <= {tab.status}
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.list_query.tab == screen.tabs.active == TABS[1].id


FILTERS = [
    ("order:#1010", lambda r: r.order_name == "#1010"),
    ("1012", lambda r: r.order_name == "#1012"),
    ("order:5011", lambda r: r.order_name == "#1011"),  # the store's own order id
    ("created:30d", lambda r: (NOW - r.created_at).days < 30),
    ("archived:only", lambda r: r.archived and r.order_name in {"#1001", "#1002"}),
    ("created:today", lambda r: r.created_at.day == 10),
    ("created:7d", lambda r: r.created_at.month == 3),
    ("created:2026-03-09..2026-03-09", lambda r: r.created_at.day == 9),
    ("title:mug", lambda r: "Mug" in r.title),
    ("necklace", lambda r: "Necklace" in r.title),
    ("chloe", lambda r: r.customer.startswith("Chloe")),  # a bare word: the customer too
    ("LEEDS", lambda r: r.place.startswith("Leeds")),  # and the city
    ("email:bob.", lambda r: r.customer.startswith("Bob")),
    ("v:printful", lambda r: r.vendor == "Printful"),
    ("s:failed,ready", lambda r: r.status in (ItemStatus.FAILED, ItemStatus.READY)),
    ("source:etsy", lambda r: r.source == "etsy"),
    ("store:woo", lambda r: r.order_name in {f"#{1000 + o}" for o in range(1, 33) if o % 3 == 1}),
    ("unmanaged:only", lambda r: r.item_id in UNMANAGED),
    (
        "v:print s:sent sort:order",
        lambda r: r.vendor.startswith("Print") and r.status is ItemStatus.SENT,
    ),
]
UNMANAGED = {6, 17, 28, 39}  # every 11th item from the 6th (see tests/ui/data.py)


async def test_each_filter_from_the_filter_line(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        # One filter typed key by key; the others set in the line, then entered.
        await pilot.press("slash", *"o:#1007", "enter")
        await settle(pilot)
        assert {row.order_name for row in screen.table.loaded_rows} == {"#1007"}
        singles = 0
        for text, expect in FILTERS:
            await type_filter(pilot, text)
            rows = screen.table.loaded_rows
            assert rows, f"{text} found nothing"
            assert all(expect(row) for row in rows), text  # type: ignore[no-untyped-call]
            assert len(rows) < 42, text
            shown = count(len(rows), "item")  # "1 item", never "1 items"
            assert header(app) == f"All · {shown} · {screen.list_query.filter.text()}"
            singles += len(rows) == 1
            assert screen.query_one("#filter-bar").display is False
            assert app.focused is screen.table
        assert singles  # one filter, at least, finds a single item


async def test_one_search_box_finds_a_customer_a_sku_and_a_parcel(db: Database, shop: Shop) -> None:
    with db.write() as s:
        order = s.exec(select(Order).where(Order.name == "#1031")).one()
        order.customer_name = "Emily Zhang"
        s.add(order)
        s.add(Shipment(order_id=order.id or 0, carrier="UPS", tracking_number="1Z999AA10123456784"))
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("slash", *"emily", "enter")  # typed key by key, as an operator does
        await settle(pilot)
        names = {row.order_name for row in screen.table.loaded_rows}
        assert names == {"#1031"}
        assert all(row.customer == "Emily Zhang" for row in screen.table.loaded_rows)
        assert header(app).startswith("All · ") and header(app).endswith(" · emily")
        await type_filter(pilot, "a10123456")  # any part of the tracking number
        assert {row.order_name for row in screen.table.loaded_rows} == {"#1031"}
        await type_filter(pilot, "sku-5")
        assert screen.table.loaded_rows
        assert all(row.title == "Ünïcode Tee" for row in screen.table.loaded_rows)
        await type_filter(pilot, "nobody-here")
        assert screen.table.loaded_rows == []
        assert header(app).startswith("All · 0 items")


async def test_filter_line_reports_mistakes_and_esc_restores(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await type_filter(pilot, "status:ready")
        await pilot.press("slash", *" vendor:acme", "enter")
        await settle(pilot)
        assert "No vendor matches 'acme'" in str(screen.query_one("#filter-error").content)
        assert screen.query_one("#filter-bar").display is True
        await pilot.press("escape")
        await settle(pilot)
        assert screen.list_query.filter.text() == "status:ready"
        assert screen.query_one("#filter-bar").display is False
        # Typing q in the filter line types a q; it does not quit.
        await pilot.press("slash", "q")
        assert app.is_running
        await pilot.press("escape")


async def test_filter_applies_while_typing(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("slash", *"status:failed")
        # Typing applies the filter after a short debounce: wait for it, then for its rows.
        await until(pilot, lambda: screen.list_query.filter.text() == "status:failed", "filter")
        await settle(pilot)
        assert shown_statuses(screen) == {ItemStatus.FAILED}
        assert screen.query_one("#filter-bar").display is True


async def test_marks_single_range_all_and_esc_order(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        table = screen.table
        first = table.row_at(0)
        assert first is not None
        await pilot.press("space")  # marks and moves down
        await settle(pilot)
        assert table.cursor == 1
        assert "1 marked" in header(app)
        assert table_lines(app)[1].startswith("●")
        await pilot.press("space")
        await pilot.press("shift+down", "shift+down")
        await settle(pilot)
        assert "5 marked" in header(app)  # rows 0-4: space, space, then a range of three
        await pilot.press("up", "space")  # unmark row 3
        await settle(pilot)
        assert "4 marked" in header(app)
        # A filter, then * marks everything it matches (all pages), on top of the marks made.
        await type_filter(pilot, "status:ready")
        await pilot.press("asterisk")
        await settle(pilot)
        ready = screen.table.total
        assert ready is not None
        assert f"{ready + 4} marked" in header(app) or f"{ready + 3} marked" in header(app)
        # esc: first the filter goes, then the marks.
        await pilot.press("escape")
        await settle(pilot)
        assert screen.list_query.filter.is_empty
        assert "marked" in header(app)
        await pilot.press("escape")
        await settle(pilot)
        assert "marked" not in header(app)
        assert table.marks.is_empty


async def test_mark_all_counts_every_page(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 12)) as pilot:  # a short screen: most rows are off it
        await settle(pilot)
        await pilot.press("asterisk")
        await settle(pilot)
        assert header(app) == "All · 42 items · 42 marked"
        await pilot.press("end", "space")  # unmark the last one, far below the first page
        await settle(pilot)
        assert header(app) == "All · 42 items · 41 marked"


async def test_paging_and_jumps_keep_rows_in_order(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 12)) as pilot:
        await settle(pilot)
        table = orders_screen(app).table
        seen = []
        for _ in range(8):
            await settle(pilot)
            row = table.current_row
            assert row is not None
            seen.append((row.created_at, row.item_ids[0]))
            await pilot.press("pagedown")
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor == 41
        assert table.current_row is not None
        await pilot.press("home")
        await settle(pilot)
        assert table.cursor == 0
        assert seen == sorted(seen, reverse=True)


async def test_sort_and_direction_keys(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("s")  # created -> order name
        await settle(pilot)
        names = [row.order_name for row in screen.table.loaded_rows]
        assert names == sorted(names, reverse=True)
        await pilot.press("d")
        await settle(pilot)
        names = [row.order_name for row in screen.table.loaded_rows]
        assert names == sorted(names)
        assert "sort:order" in header(app)


async def test_one_row_per_order(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("o")
        await settle(pilot)
        rows = screen.table.loaded_rows
        assert len({row.order_id for row in rows}) == len(rows)
        assert header(app).startswith("All · 28 orders")
        multi = next(row for row in rows if len(row.item_ids) > 1)
        index = rows.index(multi)
        screen.table.cursor = index
        await pilot.press("space")
        await settle(pilot)
        assert f"{len(multi.item_ids)} marked" in header(app)


async def test_one_row_per_order_shows_the_whole_orders_status(db: Database, shop: Shop) -> None:
    from sqlmodel import col, select

    from podtui.domain.models import OrderItem
    from podtui.domain.order_status import order_state
    from podtui.domain.status import ItemStatus

    app = make_app(db)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("o")
        await settle(pilot)
        # On the Ready tab an order shows only its Ready items, but its status is the order's.
        await pilot.press("slash", *"status:ready", "enter")
        await settle(pilot)
        rows = screen.table.loaded_rows
        assert rows
        for row in rows:
            with db.read() as s:
                every = s.exec(
                    select(OrderItem.status).where(
                        OrderItem.order_id == row.order_id, col(OrderItem.managed)
                    )
                ).all()
            state = order_state([ItemStatus(x) for x in every], archived=False)
            assert row.status_text == state.short(), (row.order_name, every)
        assert any(r.status_text.startswith("New: ") for r in rows)  # held by something


async def test_failure_reason_shows_under_the_cursor(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await type_filter(pilot, "status:failed")
        line = screen.query_one("#reason-panel")
        assert line.text.startswith("✗ Failed: Print area too small")  # type: ignore[attr-defined]
        await pilot.press("w")
        await settle(pilot)
        assert "Print area too small" in app.screen.text  # type: ignore[attr-defined]
        await pilot.press("escape")
        await type_filter(pilot, "status:sent")
        assert line.text == ""  # type: ignore[attr-defined]


async def test_enter_opens_the_order_details(db: Database, shop: Shop) -> None:
    from podtui.screens.order_detail import OrderDetailScreen

    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        row = orders_screen(app).table.current_row
        assert row is not None
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert (app.screen.order_id, app.screen.want_item) == (row.order_id, row.item_id)


async def test_filter_panel_builds_the_same_filter(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("f")
        await settle(pilot)
        panel = app.screen
        panel.query_one("#f-title").value = "mug"
        panel.query_one("#f-status").select("ready")
        panel.query_one("#f-status").select("failed")
        panel.query_one("#f-vendor").select("printify")
        panel.query_one("#f-created").value = "30d"
        panel.query_one("#f-unmanaged").value = "show"
        await pilot.click("#apply")
        await settle(pilot)
        assert screen.list_query.filter.text() == (
            "title:mug status:ready,failed vendor:printify created:30d unmanaged:show"
        )


async def test_saved_views_go_to_the_config_file(db: Database, shop: Shop) -> None:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('# my settings\n[ui]\ntheme = "textual-dark"\n', encoding="utf-8")
    app = make_app(db, load_config())
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await type_filter(pilot, "status:ready vendor:printify")
        await pilot.press("V", *"ready printify", "enter")
        await settle(pilot)
        await pilot.press("escape")  # clear the filter
        await settle(pilot)
        assert screen.list_query.filter.is_empty
        await pilot.press("v", "enter")
        await settle(pilot)
        assert screen.list_query.filter.text() == "status:ready vendor:printify"
    text = Path(path).read_text(encoding="utf-8")
    assert "# my settings" in text
    assert load_config().views == {"ready printify": "status:ready vendor:printify"}


async def test_help_lists_keys_from_the_registry_with_rebinds(db: Database, shop: Shop) -> None:
    app = make_app(db, Config(keymap={"orders.approve": "A"}))
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = app.screen.text  # type: ignore[attr-defined]
        approve = next(line for line in text.splitlines() if "orders.approve" in line)
        assert approve.split()[:3] == ["A", "Approve", "design"]
        assert "status:" in text  # the filter fields are explained too
        await pilot.press("escape")


async def test_command_palette_jumps_to_an_order(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("ctrl+p", *"#1007")
        await settle(pilot)  # the palette's search is a worker: wait for its last hits
        await pilot.press("enter")
        await settle(pilot)
        from podtui.screens.order_detail import OrderDetailScreen

        assert isinstance(app.screen, OrderDetailScreen)
        assert app.screen is not screen and app.screen.detail is not None
        assert app.screen.detail.order.name == "#1007"


async def test_command_palette_runs_any_registry_action(db: Database, shop: Shop) -> None:
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("ctrl+p", *"one row per order")
        await settle(pilot)  # the palette's search is a worker: wait for its last hits
        await pilot.press("enter")
        await settle(pilot)
        assert screen.list_query.per_order is True


async def test_a_look_up_or_a_named_status_is_not_narrowed_by_the_tab(
    db: Database, shop: Shop
) -> None:
    from sqlmodel import col, select

    from podtui.domain.models import Order, OrderItem
    from podtui.domain.status import ItemStatus

    with db.read() as s:
        order_id, name = s.exec(
            select(Order.id, Order.name)
            .join(OrderItem, col(OrderItem.order_id) == Order.id)
            .where(
                col(OrderItem.status) != ItemStatus.READY,
                col(OrderItem.managed),
                col(Order.archived).is_(False),
            )
        ).first()
        statuses = set(
            s.exec(
                select(OrderItem.status).where(
                    OrderItem.order_id == order_id, col(OrderItem.managed)
                )
            ).all()
        )
    app = make_app(db)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("slash", *"status:ready", "enter")
        await settle(pilot)
        await pilot.press("escape")  # back to no filter; now go to the Ready tab
        await settle(pilot)
        while screen.list_query.tab != "ready":
            await pilot.press("right_square_bracket")
            await settle(pilot)
        await pilot.press("slash", *name, "enter")
        await settle(pilot)
        assert shown_statuses(screen) == statuses  # the whole order, whatever the tab
        assert header(app).startswith("Every status")
        assert "look-up" in header(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("slash", *"status:failed", "enter")
        await settle(pilot)
        assert shown_statuses(screen) == {ItemStatus.FAILED}  # the filter's status, not the tab's
        assert header(app).startswith("Every status")


async def test_filter_line_takes_apostrophes_and_refuses_unsearchable_characters(
    db: Database, shop: Shop
) -> None:
    from sqlmodel import select

    from podtui.domain.models import Order, OrderItem

    with db.write() as s:
        item = s.exec(
            select(OrderItem).where(
                OrderItem.title == "Star Map Poster",
                OrderItem.archived == False,  # noqa: E712
                OrderItem.managed == True,  # noqa: E712
            )
        ).first()
        assert item is not None
        item.title = "O'Brien Star Map"
        order = s.get(Order, item.order_id)
        assert order is not None
        order.customer_email = "o'brien@example.com"
        s.add(item)
        s.add(order)
    app = make_app(db)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        await pilot.press("slash", *"O'Brien", "enter")  # typed key by key
        await settle(pilot)
        # A bare word searches the e-mail too: every item of the order shows.
        rows = screen.table.loaded_rows
        assert {row.order_id for row in rows} == {order.id}
        assert "O'Brien Star Map" in [row.title for row in rows]
        await type_filter(pilot, "title:O'Brien")
        assert [row.title for row in screen.table.loaded_rows] == ["O'Brien Star Map"]
        assert screen.query_one("#filter-bar").display is False
        for bad in ("mug\ud800", "title:a\x00b", "email:\udfff@"):
            await pilot.press("slash")
            screen.query_one("#filter-input").value = bad  # type: ignore[attr-defined]
            await pilot.press("enter")
            await settle(pilot)
            error = str(screen.query_one("#filter-error").content)
            assert "filter" in error.lower() and "U+" in error, error
            assert screen.query_one("#filter-bar").display is True
            await pilot.press("escape")
            await settle(pilot)
            assert app.is_running
            assert screen.list_query.filter.text() == "title:O'Brien"
            assert [row.title for row in screen.table.loaded_rows] == ["O'Brien Star Map"]


async def test_sort_keys_and_the_palette_sort_by_total_customer_vendor_status_and_due(
    db: Database, shop: Shop
) -> None:
    config = Config()
    config.turnaround_days = {"Main Shopify": 2.0}
    app = make_app(db, config)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        screen = orders_screen(app)
        seen = []
        for _ in range(8):  # created -> order -> status -> ... -> due, each as it starts
            await pilot.press("s")
            await settle(pilot)
            seen.append(screen.list_query.filter.sort)
        assert seen == [
            "order", "status", "payment", "fulfillment", "total", "vendor", "customer", "due"
        ]  # fmt: skip
        await pilot.press("s")  # round to the creation time
        await settle(pilot)
        # The palette names each sort; status starts in workflow order, Missing artwork first.
        await pilot.press("ctrl+p", *"sort by status")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "sort:status" in header(app)
        statuses = [row.status for row in screen.table.loaded_rows]
        assert statuses[0] is ItemStatus.MISSING_ARTWORK
        assert statuses[-1] is ItemStatus.CANCELED
        assert table_lines(app)[0].split()[5] == "Status▲"
        await pilot.press("ctrl+p", *"sort by order total")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        totals = [float(row.total) for row in screen.table.loaded_rows]
        assert totals == sorted(totals, reverse=True)  # the biggest first
        assert "Total▼" in table_lines(app)[0]
        await pilot.press("d")
        await settle(pilot)
        totals = [float(row.total) for row in screen.table.loaded_rows]
        assert totals == sorted(totals)
        # One row per order has no status, vendor or due sort: `s` skips them.
        await pilot.press("o")
        await settle(pilot)
        assert screen.sort_keys() == [
            "created", "order", "payment", "fulfillment", "total", "customer"
        ]  # fmt: skip
