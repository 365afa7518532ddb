"""Each dialog of the details screen through its invalid and valid paths, checked in the DB."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col, select
from textual.widgets import Input, TextArea

from podtui.db import Database
from podtui.domain.models import Event, Note, Order, OrderItem, ProductMapping, Shipment
from podtui.domain.status import ItemStatus
from podtui.screens.artwork_picker import ArtworkPicker
from podtui.screens.design_dialog import DesignDialog
from podtui.screens.failure_panel import FailurePanel
from podtui.screens.fulfilled_dialog import FulfilledDialog
from podtui.screens.note_dialog import NoteDialog
from podtui.screens.order_detail import OrderDetailScreen
from podtui.screens.shipping_dialog import ShippingDialog
from podtui.screens.split_dialog import SplitDialog
from podtui.widgets.preview import ImagePreview
from tests.screens.detail.conftest import (
    SIZE,
    DetailShop,
    app_for,
    cursor_to,
    events_of,
    item_row,
    items_of,
    open_from_list,
    screen_text,
    toasts,
    wait_detail,
)
from tests.screens.orders.conftest import settle


def _order(db: Database, order_id: int) -> Order:
    with db.read() as s:
        order = s.get(Order, order_id)
        assert order is not None
        return order


# --- split ------------------------------------------------------------------------------------


async def test_split_refuses_parts_that_do_not_add_up(db: Database, dshop: DetailShop):
    app = app_for(db)
    item = dshop.items["waiting"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SplitDialog)
        assert "Quantity 3" in screen_text(app)
        first = dialog.parts[0]
        first.value = "5"
        await pilot.pause()
        assert "3 too many" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SplitDialog)
        assert "add up to 3 (they add up to 6)" in dialog.last_error
        assert len(items_of(db, dshop.order_id)) == 5
        assert item_row(db, item).quantity == 3
        first.value = "1"  # the refusal's sum goes as the parts change: no stale "(... 6)"
        await pilot.pause()
        assert "they add up to 6" not in dialog.last_error
        assert "they add up to" not in " ".join(screen_text(app).replace("█", " ").split())
        assert "sum 2 of 3" in screen_text(app)
        first.value = "x"
        await pilot.press("enter")
        await settle(pilot)
        assert "whole number" in dialog.last_error
        await pilot.press("escape")
        await wait_detail(pilot)
        assert [e.type for e in events_of(db, item)] == ["add_artwork"]


async def test_split_into_three_creates_the_items(db: Database, dshop: DetailShop):
    app = app_for(db)
    item = dshop.items["waiting"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, SplitDialog)
        dialog.parts[0].value = "1"
        await pilot.press("ctrl+n")  # a third part, filled with what is left
        await pilot.pause()
        assert [p.value for p in dialog.parts] == ["1", "1", "1"]
        assert "adds up" in screen_text(app)
        await pilot.press("ctrl+r")  # and remove it again: 1 + 1 leaves 1 to place
        await pilot.pause()
        assert len(dialog.parts) == 2 and "1 left to place" in screen_text(app)
        await pilot.press("ctrl+n")
        await pilot.press("enter")
        await wait_detail(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        rows = items_of(db, dshop.order_id)
        children = [r for r in rows if r.parent_id == item]
        assert item_row(db, item).quantity == 1
        assert [c.quantity for c in children] == [1, 1]
        assert all(c.personalization == item_row(db, item).personalization for c in children)
        assert "split" in [e.type for e in events_of(db, item)]
        assert "↳ Star Map Poster" in screen_text(app)


async def test_split_key_is_off_where_the_table_forbids_it(db: Database, dshop: DetailShop):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["failed"])
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, OrderDetailScreen)


# --- shipping ---------------------------------------------------------------------------------


async def test_shipping_checks_each_field_and_saves_nothing_bad(db: Database, dshop: DetailShop):
    app = app_for(db)
    before = _order(db, dshop.order_id)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["ready"])
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ShippingDialog)
        assert dialog.query_one("#ship-country", Input).value == "United States (US)"
        postal = dialog.query_one("#ship-postal_code", Input)
        postal.focus()
        postal.value = "ABCDE"
        await pilot.press("tab")  # leaving the field checks it
        await pilot.pause()
        assert "ZIP" in screen_text(app) or "postal" in screen_text(app).lower()
        assert dialog.query_one("#err-postal_code").display
        dialog.query_one("#ship-city", Input).value = ""
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert isinstance(app.screen, ShippingDialog)
        assert "Not saved: 2 fields need fixing." in screen_text(app)
        assert "city is required" in screen_text(app)
        after = _order(db, dshop.order_id)
        assert after.ship_postal_code == before.ship_postal_code == "94105"
        assert after.ship_city == "San Francisco" and after.local_edits == []
        await pilot.press("escape")
        await wait_detail(pilot)
        with db.read() as s:
            kinds = s.exec(select(Event.type).where(col(Event.order_id) == dshop.order_id)).all()
        assert "edit_shipping" not in kinds


async def test_shipping_saves_a_good_address_with_a_typed_country(db: Database, dshop: DetailShop):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["ready"])
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ShippingDialog)
        values = {
            "address1": "Unter den Linden 77",
            "city": "Berlin",
            "state": "",
            "postal_code": "10117",
            "phone": "",
        }
        for name, value in values.items():
            dialog.query_one(f"#ship-{name}", Input).value = value
        country = dialog.query_one("#ship-country", Input)
        country.focus()
        country.value = ""
        await pilot.press(*"Germ")
        await pilot.press("right")  # take the suggestion
        await pilot.pause()
        assert country.value == "Germany (DE)"
        await pilot.press("enter")
        await wait_detail(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        order = _order(db, dshop.order_id)
        assert (order.ship_address1, order.ship_city, order.ship_country) == (
            "Unter den Linden 77",
            "Berlin",
            "DE",
        )
        assert "ship_address1" in order.local_edits
        assert "edit_shipping" in [e.type for e in events_of(db, dshop.items["ready"])]
        assert "Germany (DE)" in screen_text(app)


async def test_shipping_warns_when_an_item_is_at_the_vendor(db: Database, dshop: DetailShop):
    with db.write() as s:
        s.execute(
            update(OrderItem)
            .where(col(OrderItem.id) == dshop.items["failed"])
            .values(status=ItemStatus.SENT)
        )
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert "already at the vendor" in screen_text(app)
        dialog = app.screen
        assert isinstance(dialog, ShippingDialog)
        dialog.query_one("#ship-address1", Input).value = "2 Market St"
        await pilot.press("ctrl+y")
        await wait_detail(pilot)
        assert "keep the old address" in toasts(app)
        assert _order(db, dshop.order_id).ship_address1 == "2 Market St"


# --- mark fulfilled ---------------------------------------------------------------------------


async def test_mark_fulfilled_refuses_a_bad_link_then_records_the_shipment(
    db: Database, dshop: DetailShop
):
    app = app_for(db)
    item = dshop.items["manual"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["ready"])
        assert app.screen.key_applies("item", ("mark_fulfilled",)) is False  # integrated vendor
        await cursor_to(pilot, item)
        assert app.screen.key_applies("item", ("send",)) is False  # manual vendor
        await pilot.press("F")
        await pilot.pause()
        await pilot.press(*"DHL", "tab", *"JD0001", "tab", *"ftp://track")
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FulfilledDialog)
        assert "must be a web address" in dialog.last_error
        assert item_row(db, item).status is ItemStatus.READY
        app.screen.query_one("#ful-tracking_url", Input).value = "https://dhl.example/JD0001"
        await pilot.press("enter")
        await wait_detail(pilot)
        assert item_row(db, item).status is ItemStatus.FULFILLED
        with db.read() as s:
            ships = s.exec(select(Shipment).where(col(Shipment.item_id) == item)).all()
        assert [(x.carrier, x.tracking_number) for x in ships] == [("DHL", "JD0001")]
        assert "JD0001" in screen_text(app)


# --- notes ------------------------------------------------------------------------------------


async def test_notes_add_edit_delete(db: Database, dshop: DetailShop):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+y")  # empty
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NoteDialog)
        assert "it is empty" in dialog.last_error
        app.screen.query_one(TextArea).text = "Ship with the next batch"
        await pilot.press("ctrl+y")
        await wait_detail(pilot)
        assert "Ship with the next batch" in screen_text(app)
        with db.read() as s:
            bodies = s.exec(select(Note.body).order_by(col(Note.id))).all()
        assert bodies == ["Customer called about the date", "Ship with the next batch"]
        await pilot.press("N")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Customer called: date is 2 May"
        await pilot.press("ctrl+y")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert "Delete tester's note?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("escape")
        await wait_detail(pilot)
        with db.read() as s:
            bodies = s.exec(select(Note.body).order_by(col(Note.id))).all()
            kinds = s.exec(select(Event.type).where(col(Event.order_id) == dshop.order_id)).all()
        assert bodies == ["Ship with the next batch"]
        assert {"note_added", "note_edited", "note_deleted"} <= set(kinds)
        assert "Customer called" not in screen_text(app).split("Notes")[1].split("Timeline")[0]


# --- failure reason ---------------------------------------------------------------------------


async def test_failure_panel_shows_the_vendor_answer_and_leads_to_fixes(
    db: Database, dshop: DetailShop
):
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, dshop.items["ready"])
        await pilot.press("w")  # not failed: the key is off
        await pilot.pause()
        assert isinstance(app.screen, OrderDetailScreen)
        await cursor_to(pilot, dshop.items["failed"])
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, FailurePanel)
        text = screen_text(app)
        for expected in (
            "Address line 1 is not deliverable",
            "invalid_address",
            "422",
            "attempts    2",
            "address1 undeliverable",
        ):
            assert expected in text
        assert app.screen.check_action("fix", ("retry",)) is True
        await pilot.press("s")  # straight to the shipping editor for this item
        await pilot.pause()
        assert isinstance(app.screen, ShippingDialog)


# --- artwork ----------------------------------------------------------------------------------


async def test_artwork_picker_filters_and_links(db: Database, dshop: DetailShop):
    app = app_for(db)
    item = dshop.items["missing"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("l")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ArtworkPicker)
        await pilot.press(*"zzz")
        await settle(pilot)
        await pilot.press("enter")  # nothing matches: nothing to link
        await settle(pilot)
        assert "Choose an artwork first" in screen_text(app)
        assert item_row(db, item).artwork_id is None
        picker.query_one(Input).value = "mug"
        await settle(pilot)
        await pilot.press("ctrl+o")  # every item of this variant
        await pilot.press("enter")
        await settle(pilot)
        assert "Link Pet portrait mug to 1 item now" in screen_text(
            app
        )  # more than the item: it asks
        await pilot.press("y")
        await wait_detail(pilot)
        row = item_row(db, item)
        assert row.artwork_id == dshop.other_artwork_id
        assert row.status is ItemStatus.WAITING_APPROVAL
        with db.read() as s:
            mapping = s.exec(select(ProductMapping)).all()
        assert [(m.product_id, m.variant_id) for m in mapping] == [("P-tree", "V-tree")]


async def test_linking_a_whole_listing_names_the_count_and_asks(db: Database, dshop: DetailShop):
    item = dshop.items["missing"]
    with db.write() as s:
        base = s.get(OrderItem, item)
        assert base is not None
        for n in range(2):  # two more open items of the same listing, in other variants
            other = OrderItem(
                **{
                    k: v
                    for k, v in base.model_dump().items()
                    if k not in ("id", "version", "created_at", "updated_at")
                },
            )
            other.variant_id = f"V-other-{n}"
            other.store_line_id = f"{base.store_line_id}-{n}"
            s.add(other)
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("l")
        await settle(pilot)
        app.screen.query_one(Input).value = "mug"
        await settle(pilot)
        await pilot.press("ctrl+o", "ctrl+o")  # every item of this listing
        await pilot.press("enter")
        await settle(pilot)
        assert "Link Pet portrait mug to 3 items now" in screen_text(app)
        await pilot.press("n")  # no: nothing changes, back in the picker
        await settle(pilot)
        assert isinstance(app.screen, ArtworkPicker)
        with db.read() as s:
            assert s.exec(select(OrderItem).where(col(OrderItem.artwork_id).is_(None))).all()
            assert s.exec(select(ProductMapping)).all() == []
        await pilot.press("enter", "y")
        await wait_detail(pilot)
        with db.read() as s:
            linked = s.exec(
                select(OrderItem).where(OrderItem.artwork_id == dshop.other_artwork_id)
            ).all()
        assert len(linked) == 3


# --- design -----------------------------------------------------------------------------------


async def test_design_editor_saves_fields_and_approves(db: Database, dshop: DetailShop):
    app = app_for(db)
    item = dshop.items["waiting"]
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot)
        await cursor_to(pilot, item)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DesignDialog)
        text = screen_text(app)
        assert "artwork Star poster" in text and "Title" in text and "Date" in text
        title = dialog.query_one("#design-title", Input)
        assert title.value == "Our night"
        await pilot.press("escape")  # cancel: nothing saved
        await wait_detail(pilot)
        assert item_row(db, item).personalization["title"] == "Our night"
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DesignDialog)
        dialog.query_one("#design-title", Input).value = "Our first night"
        await pilot.press("ctrl+r")  # a preview of the values as typed, nothing saved
        await settle(pilot)
        assert dialog.query_one(ImagePreview).image is not None
        assert item_row(db, item).personalization["title"] == "Our night"
        await pilot.click("#approve")
        await wait_detail(pilot)
        row = item_row(db, item)
        assert row.personalization["title"] == "Our first night"
        assert row.status is ItemStatus.RENDERING
        assert [e.type for e in events_of(db, item)][-2:] == ["edit_design", "approve"]
