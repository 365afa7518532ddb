"""A size exchange: an item changes to another variant of the same store product (one seen in
orders or mapped), the variant's mapping applied, by compare-and-set with one timeline event; an
approved item goes back to approval with its print file retired; a sent item is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.errors import ConcurrentChangeError, DomainError, ValidationError
from podtui.domain.models import Artwork, Event, OrderItem, PrintFile, ProductMapping, Vendor
from podtui.domain.status import ItemStatus as S
from podtui.sandbox.printify import SandboxPrintify
from podtui.services.items.variant import change_variant, mapping_for, variant_choices
from podtui.services.sending import submissions
from tests.services.sending.conftest import Shop, make_shop


@pytest.fixture
def shop(db: Database, vendor_api: tuple[SandboxPrintify, str], tmp_path: Path) -> Shop:
    shop = make_shop(db, vendor_api[1], tmp_path / "files")
    # Sizes seen in orders: v1 "M" (the item), v2 "L", v3 "XL"; v4 "S" only mapped.
    with db.write() as s:
        art = Artwork(name="XL art", template="poster")
        other = Vendor(name="Printful XL", kind="printful")
        s.add_all([art, other])
        s.flush()
        s.add(
            ProductMapping(
                store_id=shop.store_id, product_id="p1", variant_id="v3", sku="TEE-XL",
                artwork_id=art.id, vendor_id=other.id, vendor_product={"variant_id": 4013},
            )
        )  # fmt: skip
        s.add(
            ProductMapping(
                store_id=shop.store_id, product_id="p1", variant_id="v4", sku="TEE-S",
                vendor_id=shop.vendor_id, vendor_product={"blueprint_id": 68,
                "print_provider_id": 1, "variant_id": 33718},
            )
        )  # fmt: skip
        shop.xl_art, shop.xl_vendor = art.id, other.id  # type: ignore[attr-defined]
    shop.item(order_id=shop.order(), variant_id="v2", variant_title="L", sku="TEE-L")
    shop.item(order_id=shop.order(), variant_id="v3", variant_title="XL", sku="TEE-XL")
    return shop


def _item(shop: Shop, item_id: int) -> OrderItem:
    with shop.db.read() as s:
        item = s.get(OrderItem, item_id)
        assert item is not None
        return item


def _events(shop: Shop, item_id: int) -> list[Event]:
    with shop.db.read() as s:
        return list(
            s.exec(select(Event).where(Event.item_id == item_id).order_by(col(Event.id))).all()
        )


def test_the_other_variants_seen_or_mapped_are_offered(shop: Shop) -> None:
    item = shop.item(variant_title="M")
    with shop.db.read() as s:
        choices = variant_choices(s, item)
    assert [(c.variant_id, c.title, c.sku) for c in choices] == [
        ("v2", "L", "TEE-L"),
        ("v3", "XL", "TEE-XL"),
        ("v4", "", "TEE-S"),
    ]
    assert [c.mapped for c in choices] == [True, True, True]  # v2 by the listing's variant_ids
    assert choices[1].label().startswith("XL")


def test_waiting_item_takes_the_variant_and_its_mapping(shop: Shop) -> None:
    item = shop.item(S.WAITING_APPROVAL, variant_title="M", print_file=False)
    before = _item(shop, item)
    with shop.db.write() as s:
        change_variant(s, item, "v3", expected=S.WAITING_APPROVAL, expected_version=before.version)
    after = _item(shop, item)
    assert (after.variant_id, after.variant_title, after.sku) == ("v3", "XL", "TEE-XL")
    assert after.status is S.WAITING_APPROVAL
    assert after.vendor_id == shop.xl_vendor and after.artwork_id == shop.xl_art  # type: ignore[attr-defined]
    [event] = _events(shop, item)
    assert event.type == "change_variant"
    assert event.params["from_variant"] == "M" and event.params["to_variant"] == "XL"
    assert event.params["from_sku"] == "MUG-11" and event.params["to_sku"] == "TEE-XL"


def test_an_approved_item_goes_back_to_approval_and_its_print_file_is_retired(shop: Shop) -> None:
    item = shop.item(S.READY, variant_title="M")
    with shop.db.write() as s:
        change_variant(s, item, "v4", expected=S.READY, expected_version=_item(shop, item).version)
    after = _item(shop, item)
    assert after.status is S.WAITING_APPROVAL and after.variant_id == "v4"
    assert after.sku == "TEE-S"
    with shop.db.read() as s:
        files = s.exec(select(PrintFile).where(PrintFile.item_id == item)).all()
        assert files and not any(f.current for f in files)  # never sent with the old size
        # Once approved and rendered again, the vendor gets the new size's variant.
        line = submissions.line_of(s, s.get(OrderItem, item))  # type: ignore[arg-type]
    assert line.vendor_product["variant_id"] == 33718
    [event] = _events(shop, item)
    assert (event.from_status, event.to_status) == ("ready", "waiting_approval")


def test_a_sent_item_is_refused_by_the_status_rule(shop: Shop) -> None:
    item = shop.item(S.SENT, variant_title="M")
    with pytest.raises(DomainError, match="Sent"), shop.db.write() as s:
        change_variant(s, item, "v2", expected=S.SENT, expected_version=_item(shop, item).version)
    assert _item(shop, item).variant_id == "v1" and _events(shop, item) == []


def test_an_unknown_or_the_same_variant_changes_nothing(shop: Shop) -> None:
    item = shop.item(S.WAITING_APPROVAL)
    version = _item(shop, item).version
    for bad in ("v9", "v1"):
        with pytest.raises(ValidationError), shop.db.write() as s:
            change_variant(s, item, bad, expected=S.WAITING_APPROVAL, expected_version=version)
    assert _item(shop, item).variant_id == "v1" and _events(shop, item) == []


def test_a_change_someone_else_made_first_wins(shop: Shop) -> None:
    item = shop.item(S.WAITING_APPROVAL)
    seen = _item(shop, item).version
    with shop.db.write() as s:
        change_variant(s, item, "v2", expected=S.WAITING_APPROVAL, expected_version=seen)
    with pytest.raises(ConcurrentChangeError), shop.db.write() as s:
        change_variant(s, item, "v3", expected=S.WAITING_APPROVAL, expected_version=seen)
    assert _item(shop, item).variant_id == "v2"


def test_missing_artwork_with_a_mapped_variant_moves_on_to_approval(shop: Shop) -> None:
    item = shop.item(S.MISSING_ARTWORK, print_file=False)
    with shop.db.write() as s:
        change_variant(
            s, item, "v3", expected=S.MISSING_ARTWORK, expected_version=_item(shop, item).version
        )
    after = _item(shop, item)
    assert after.status is S.WAITING_APPROVAL and after.artwork_id == shop.xl_art  # type: ignore[attr-defined]
    assert [e.type for e in _events(shop, item)] == ["change_variant", "add_artwork"]


def test_the_exchange_and_the_send_take_the_same_mapping(shop: Shop) -> None:
    # One rule for both: the variant's own mapping, else the listing's; never another variant's.
    item_id = shop.item(S.WAITING_APPROVAL)  # v1: no mapping of its own
    with shop.db.read() as s:
        item = s.get(OrderItem, item_id)
        assert item is not None
        own, listing, mine = (
            mapping_for(s, item, "v3"),
            mapping_for(s, item, "v2"),
            mapping_for(s, item),
        )
        assert own is not None and own.variant_id == "v3"
        assert listing is not None and listing.variant_id == ""
        assert mine is not None and mine.id == listing.id
        assert submissions.line_of(s, item).vendor_product["blueprint_id"] == 68


def test_the_product_index_serves_the_choices(db: Database) -> None:
    # At 1,000,000 items the choices read one product's index entries, not the store's items.
    from sqlalchemy import inspect

    with db.read() as s:
        indexes = inspect(s.connection()).get_indexes("order_item")
    found = {i["name"]: list(i["column_names"]) for i in indexes}
    assert found.get("ix_item_product") == ["store_id", "product_id", "variant_id"]
