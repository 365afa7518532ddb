"""Product mappings: keyed on store+product+variant, checked against the vendor's catalogue,
applied to the waiting items with one event each, never to items that moved on."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from podtui.domain.errors import ValidationError
from podtui.domain.models import Event, ProductMapping, Store, Vendor
from podtui.domain.status import ItemStatus
from podtui.services.catalogue import vendor_catalog
from podtui.services.catalogue.mapping_plan import mapping_rows, plan_variants
from podtui.services.catalogue.mappings import MappingDraft, save_mappings
from podtui.services.catalogue.unmapped import unmapped
from podtui.services.sync.context import SyncContext, SyncOptions
from tests.services.catalogue.map_support import MapShop


def _variant(map_shop: MapShop, title: str, blueprint: int = 6, provider: int = 99) -> int:
    found = vendor_catalog.variants(map_shop.db, map_shop.vendors["printify"], blueprint, provider)
    return next(v.id for v in found if v.title == title)


def _draft(map_shop: MapShop, variant: str = "23", **product: Any) -> MappingDraft:
    return MappingDraft(
        store_id=map_shop.store_id,
        product_id="22",
        variant_id=variant,
        artwork_id=map_shop.artwork_id,
        vendor_id=map_shop.vendors["printify"],
        vendor_product=product or {"blueprint_id": 6, "print_provider_id": 99,
                                   "variant_id": _variant(map_shop, "Sport Grey / XL")},
    )  # fmt: skip


def test_unmapped_lists_each_variant_with_its_waiting_items(map_shop: MapShop) -> None:
    map_shop.order()
    map_shop.order()
    map_shop.order(archived=True)
    map_shop.order(status=ItemStatus.SENT)
    rows = unmapped(map_shop.db)
    assert [(r.product_id, r.variant_id, r.waiting) for r in rows] == [
        ("22", "24", 2), ("22", "23", 2), ("30", "31", 2), ("40", "", 2),
    ]  # fmt: skip
    tee = next(r for r in rows if r.variant_id == "23")
    assert (tee.label, tee.sku, tee.example_order) == (
        "Idea Tee / Sport Gray / Extra Large",
        "TEE",
        "#701",
    )
    assert [r.variant_id for r in unmapped(map_shop.db, text="idea small")] == ["24"]
    assert [r.variant_id for r in unmapped(map_shop.db, text="mug")] == ["31"]


def test_a_mapping_moves_the_waiting_items_and_nothing_else(map_shop: MapShop) -> None:
    map_shop.order()
    map_shop.order()
    map_shop.order(archived=True)
    map_shop.order(status=ItemStatus.SENT)
    [saved] = save_mappings(map_shop.db, [_draft(map_shop)])
    waiting, other, archived, sent = map_shop.items["22/23"]
    assert saved.created and saved.moved == (waiting, other) and saved.relinked == ()
    for item_id in (waiting, other):
        item = map_shop.item(item_id)
        assert item.status is ItemStatus.WAITING_APPROVAL and item.managed
        assert (item.artwork_id, item.vendor_id) == (
            map_shop.artwork_id,
            map_shop.vendors["printify"],
        )
        [event] = map_shop.events(item_id)
        assert (event.type, event.from_status, event.to_status) == (
            "add_artwork", "missing_artwork", "waiting_approval",
        )  # fmt: skip
        assert event.params["mapping_id"] == saved.mapping_id
    for untouched in (archived, sent, *map_shop.items["22/24"]):
        assert map_shop.events(untouched) == []
    assert map_shop.item(sent).status is ItemStatus.SENT
    # the SKU is shown, never the key: the other variant with the same SKU is still unmapped
    assert [r.variant_id for r in unmapped(map_shop.db) if r.product_id == "22"] == ["24"]
    [row] = mapping_rows(map_shop.db, text="tee")
    assert row.sku == "TEE" and row.vendor_product["blueprint_id"] == 6
    # saving it again changes no item and writes no event
    [again] = save_mappings(map_shop.db, [_draft(map_shop)])
    assert not again.created and again.moved == again.relinked == ()
    with map_shop.db.read() as s:
        assert len(s.exec(select(ProductMapping)).all()) == 1


def test_a_listing_mapping_covers_the_variants_without_their_own(map_shop: MapShop) -> None:
    map_shop.order()
    save_mappings(map_shop.db, [_draft(map_shop)])
    listing = MappingDraft(
        store_id=map_shop.store_id, product_id="22", artwork_id=map_shop.artwork_id,
        vendor_id=map_shop.vendors["manual"],
    )  # fmt: skip
    [saved] = save_mappings(map_shop.db, [listing])
    assert saved.moved == tuple(map_shop.items["22/24"])
    assert map_shop.item(map_shop.items["22/23"][0]).vendor_id == map_shop.vendors["printify"]
    with map_shop.db.read() as s:
        store = s.get(Store, map_shop.store_id)
        assert store is not None
        ctx = SyncContext.load(s, store, SyncOptions())
    variant, listing = ctx.mapping_for("22", "23"), ctx.mapping_for("22", "99")
    assert variant is not None and variant.vendor_id == map_shop.vendors["printify"]
    assert listing is not None and listing.vendor_id == map_shop.vendors["manual"]
    assert ctx.mapping_for("30", "31") is None


@pytest.mark.parametrize(
    ("product", "field", "reason"),
    [
        ({"blueprint_id": 999999, "print_provider_id": 99, "variant_id": 1},
         "vendor_product", "Printify has no print provider 99 for blueprint 999999"),
        ({"blueprint_id": 6, "print_provider_id": 1, "variant_id": 1},
         "vendor_product", "Printify has no print provider 1 for blueprint 6"),
        ({"blueprint_id": 6, "print_provider_id": 99, "variant_id": 1},
         "variant_id", "Printify has no variant 1 there"),
        ({"blueprint_id": 6, "print_provider_id": 99}, "variant_id", "needs the vendor's variant_id"),
        ({"blueprint_id": "six", "print_provider_id": 99, "variant_id": 1},
         "blueprint_id", "'six' is not a printify id"),
        ({"blueprint_id": 6, "print_provider_id": 99, "variant_id": 1, "queue": "dtg"},
         "queue", "a printify vendor takes no queue"),
    ],
)  # fmt: skip
def test_vendor_ids_are_checked_and_nothing_is_saved(
    map_shop: MapShop, product: dict[str, Any], field: str, reason: str
) -> None:
    map_shop.order()
    good = MappingDraft(
        store_id=map_shop.store_id, product_id="30", variant_id="31", artwork_id=map_shop.artwork_id,
        vendor_id=map_shop.vendors["manual"],
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        save_mappings(map_shop.db, [good, _draft(map_shop, **product)])
    assert reason in caught.value.fields[f"#2 {field}"]
    assert mapping_rows(map_shop.db) == []
    assert map_shop.item(map_shop.items["30/31"][0]).status is ItemStatus.MISSING_ARTWORK


def test_every_kind_of_vendor_and_the_shipping_facts(map_shop: MapShop) -> None:
    map_shop.order()

    def draft(kind: str, variant: str = "31", **extra: Any) -> MappingDraft:
        return MappingDraft(
            store_id=map_shop.store_id, product_id="30", variant_id=variant,
            artwork_id=map_shop.artwork_id, vendor_id=map_shop.vendors[kind], **extra,
        )  # fmt: skip

    def problems(d: MappingDraft) -> dict[str, str]:
        with pytest.raises(ValidationError) as caught:
            save_mappings(map_shop.db, [d])
        return caught.value.fields

    assert problems(draft("hotfolder", vendor_product={"queue": "mugs"})) == {
        "product_type": "a hotfolder mapping needs the vendor's product_type",
        "queue": "'mugs' is not a queue of DTG (dtg)",
    }
    assert (
        "a manual vendor takes no variant_id"
        in problems(draft("manual", vendor_product={"variant_id": 3})).values()
    )
    assert problems(draft("manual", weight_grams=0, hs_code="61")) == {
        "weight_grams": "a weight is 1 to 100000 grams",
        "hs_code": "'61' is not an HS code (6 to 10 digits, e.g. 6109.10)",
    }
    assert (
        "no product 30 variant 99 in any synced order"
        in problems(draft("manual", "99"))["product_id"]
    )
    pf = vendor_catalog.variants(map_shop.db, map_shop.vendors["printful"], 19)
    mug = next(v.id for v in pf if v.title.endswith("(White / 11 oz)"))
    [saved] = save_mappings(
        map_shop.db,
        [draft("printful", vendor_product={"product_id": 19, "variant_id": mug},
               weight_grams=340, hs_code="6912.00")],
    )  # fmt: skip
    assert saved.moved == tuple(map_shop.items["30/31"])
    [row] = mapping_rows(map_shop.db)
    assert (row.weight_grams, row.hs_code) == (340, "6912.00")
    [hot] = save_mappings(
        map_shop.db,
        [MappingDraft(store_id=map_shop.store_id, product_id="40", artwork_id=map_shop.artwork_id,
                      vendor_id=map_shop.vendors["hotfolder"],
                      vendor_product={"queue": "dtg", "product_type": "poster"})],
    )  # fmt: skip
    assert hot.moved == tuple(map_shop.items["40/"])


def test_the_store_variant_suggests_the_vendor_variant(map_shop: MapShop) -> None:
    map_shop.order()
    with map_shop.db.read() as s:
        printify = s.get(Vendor, map_shop.vendors["printify"])
    assert printify is not None
    plans = plan_variants(
        map_shop.db, store_id=map_shop.store_id, product_id="22", variants=[], every_variant=True,
        artwork_id=map_shop.artwork_id, vendor=printify,
        vendor_product={"blueprint_id": 6, "print_provider_id": 99},
    )  # fmt: skip
    chosen = {p.draft.variant_id: p.draft.vendor_product["variant_id"] for p in plans}
    assert chosen == {
        "23": _variant(map_shop, "Sport Grey / XL"),
        "24": _variant(map_shop, "Black / S"),
    }
    assert "(Sport Grey / XL, suggested)" in next(
        p.label for p in plans if p.draft.variant_id == "23"
    )
    mug = plan_variants(
        map_shop.db, store_id=map_shop.store_id, product_id="30", variants=["31"], every_variant=False,
        artwork_id=map_shop.artwork_id, vendor=printify,
        vendor_product={"blueprint_id": 68, "print_provider_id": 1},
    )  # fmt: skip
    assert mug[0].draft.vendor_product["variant_id"] == _variant(map_shop, "White / 11oz", 68, 1)
    with pytest.raises(ValidationError) as caught:
        plan_variants(
            map_shop.db, store_id=map_shop.store_id, product_id="40", variants=[], every_variant=False,
            artwork_id=map_shop.artwork_id, vendor=printify,
            vendor_product={"blueprint_id": 282, "print_provider_id": 2},
        )  # fmt: skip
    assert "give --vendor-variant" in caught.value.fields["variant"]
    with map_shop.db.read() as s:
        assert s.exec(select(Event)).all() == []
