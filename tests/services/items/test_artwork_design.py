"""link_artwork (item, variant, listing) and edit_design."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.domain.errors import DomainError, NotFoundError, ValidationError
from podtui.domain.models import ProductMapping, Store
from podtui.domain.status import ItemStatus
from podtui.services.items import actions
from podtui.services.items import design as item_design
from tests.services.items.conftest import Shop

S = ItemStatus


def _mappings(shop: Shop) -> list[ProductMapping]:
    with shop.db.read() as s:
        return list(s.exec(select(ProductMapping)).all())


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (S.MISSING_ARTWORK, S.WAITING_APPROVAL),
        (S.WAITING_APPROVAL, S.WAITING_APPROVAL),
        (S.READY, S.WAITING_APPROVAL),
        (S.ON_HOLD, S.ON_HOLD),
    ],
)
def test_link_one_item(shop: Shop, start: S, end: S) -> None:
    item_id = shop.item(start, managed=False)
    before = shop.get(item_id).artwork_id
    with shop.db.write() as s:
        linked = item_design.link_artwork(s, item_id, shop.other_artwork_id)
    assert [i.id for i in linked] == [item_id]
    stored = shop.get(item_id)
    assert (stored.status, stored.artwork_id, stored.managed) == (end, shop.other_artwork_id, True)
    [ev] = shop.events(item_id=item_id)
    assert (ev.type, ev.from_status, ev.to_status) == ("add_artwork", start.value, end.value)
    assert ev.params == {
        "artwork_id": shop.other_artwork_id,
        "scope": "item",
        "previous_artwork_id": before,
    }
    assert _mappings(shop) == []  # one item: no rule for future syncs


def test_link_a_held_item_missing_artwork_releases_to_waiting_approval(shop: Shop) -> None:
    item_id = shop.item(S.ON_HOLD, status_before=S.MISSING_ARTWORK, artwork_id=None)
    with shop.db.write() as s:
        item_design.link_artwork(s, item_id, shop.artwork_id)
    assert shop.get(item_id).status_before is S.WAITING_APPROVAL
    with shop.db.write() as s:
        actions.release(s, item_id)
    assert shop.get(item_id).status is S.WAITING_APPROVAL


def _variant_fixture(shop: Shop) -> dict[str, int]:
    with shop.db.write() as s:
        other_store = Store(name="Other shop", kind="shopify")
        s.add(other_store)
        s.flush()
        other_store_id = other_store.id
    assert other_store_id is not None
    archived_order = shop.order(archived=True)
    return {
        "chosen": shop.item(S.MISSING_ARTWORK),
        "same_variant": shop.item(S.MISSING_ARTWORK),
        "same_variant_waiting_other_art": shop.item(
            S.WAITING_APPROVAL, artwork_id=shop.other_artwork_id
        ),
        "same_variant_already_linked": shop.item(S.WAITING_APPROVAL),
        "same_variant_sent": shop.item(S.SENT),
        "same_variant_archived": shop.item(
            S.MISSING_ARTWORK, order_id=archived_order, archived=True
        ),
        "other_variant": shop.item(S.MISSING_ARTWORK, variant_id="v2"),
        "other_product": shop.item(S.MISSING_ARTWORK, product_id="p2"),
        "other_store": shop.item(S.MISSING_ARTWORK, store_id=other_store_id),
    }


def test_link_every_open_item_of_the_variant_and_save_a_mapping(shop: Shop) -> None:
    ids = _variant_fixture(shop)
    with shop.db.write() as s:
        linked = item_design.link_artwork(s, ids["chosen"], shop.artwork_id, scope="variant")
    moved = {ids["chosen"], ids["same_variant"], ids["same_variant_waiting_other_art"]}
    assert {i.id for i in linked} == moved
    for name, item_id in ids.items():
        item = shop.get(item_id)
        events = shop.events(item_id=item_id)
        if item_id in moved:
            assert item.artwork_id == shop.artwork_id, name
            assert item.status is S.WAITING_APPROVAL, name
            assert [e.type for e in events] == ["add_artwork"], name
            assert events[0].params["scope"] == "variant"
        else:
            assert events == [], name
    assert shop.get(ids["other_variant"]).status is S.MISSING_ARTWORK
    assert shop.get(ids["same_variant_archived"]).artwork_id is None
    [mapping] = _mappings(shop)
    assert (mapping.store_id, mapping.product_id, mapping.variant_id, mapping.sku) == (
        shop.store_id,
        "p1",
        "v1",
        "",
    )
    assert (mapping.artwork_id, mapping.vendor_id) == (shop.artwork_id, shop.integrated_vendor_id)


def test_link_the_listing_covers_every_variant(shop: Shop) -> None:
    ids = _variant_fixture(shop)
    with shop.db.write() as s:
        linked = item_design.link_artwork(s, ids["chosen"], shop.artwork_id, scope="listing")
    assert ids["other_variant"] in {i.id for i in linked}
    assert ids["other_product"] not in {i.id for i in linked}
    assert ids["other_store"] not in {i.id for i in linked}
    [mapping] = _mappings(shop)
    assert (mapping.product_id, mapping.variant_id) == ("p1", "")


def test_linking_again_updates_the_mapping_instead_of_adding_one(shop: Shop) -> None:
    first = shop.item(S.MISSING_ARTWORK)
    with shop.db.write() as s:
        item_design.link_artwork(s, first, shop.artwork_id, scope="variant")
    second = shop.item(S.MISSING_ARTWORK)
    with shop.db.write() as s:
        linked = item_design.link_artwork(s, second, shop.other_artwork_id, scope="variant")
    [mapping] = _mappings(shop)
    assert mapping.artwork_id == shop.other_artwork_id
    # The first item (waiting approval with the old artwork) follows the new choice.
    assert {i.id for i in linked} == {first, second}
    assert shop.get(first).artwork_id == shop.other_artwork_id


def test_link_refusals_save_nothing(shop: Shop) -> None:
    sent = shop.item(S.SENT)
    missing = shop.item(S.MISSING_ARTWORK)
    no_product = shop.item(S.MISSING_ARTWORK, product_id="")
    with pytest.raises(DomainError, match="Sent"), shop.db.write() as s:
        item_design.link_artwork(s, sent, shop.artwork_id)
    with pytest.raises(NotFoundError, match="Artwork 999"), shop.db.write() as s:
        item_design.link_artwork(s, missing, 999)
    with pytest.raises(ValidationError, match="scope"), shop.db.write() as s:
        item_design.link_artwork(s, missing, shop.artwork_id, scope="shop")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="no store product id"), shop.db.write() as s:
        item_design.link_artwork(s, no_product, shop.artwork_id, scope="variant")
    assert shop.all_events() == []
    assert _mappings(shop) == []
    assert shop.get(missing).artwork_id is None


# --- edit design ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (S.WAITING_APPROVAL, S.WAITING_APPROVAL),
        (S.READY, S.WAITING_APPROVAL),
        (S.ON_HOLD, S.ON_HOLD),
        (S.SENT, S.SENT),
        (S.FULFILLED, S.FULFILLED),
        (S.FAILED, S.FAILED),
        (S.IGNORED, S.IGNORED),
    ],
)
def test_edit_design_merges_fields_and_records_old_and_new(shop: Shop, start: S, end: S) -> None:
    item_id = shop.item(start, personalization={"name": "Zoë", "date": "1 May"})
    with shop.db.write() as s:
        item = item_design.edit_design(s, item_id, {"name": "Ζωή 🌸", "line2": "for ever"})
    assert item.status is end
    stored = shop.get(item_id)
    assert stored.personalization == {"name": "Ζωή 🌸", "date": "1 May", "line2": "for ever"}
    assert stored.personalization_raw == [{"key": "Name", "value": "Zoë"}]  # verbatim, untouched
    [ev] = shop.events(item_id=item_id)
    assert (ev.type, ev.from_status, ev.to_status) == ("edit_design", start.value, end.value)
    assert ev.params == {
        "changes": {
            "name": {"old": "Zoë", "new": "Ζωή 🌸"},
            "line2": {"old": None, "new": "for ever"},
        }
    }


def test_edit_design_that_changes_nothing_writes_nothing(shop: Shop) -> None:
    item_id = shop.item(S.READY)
    with shop.db.write() as s:
        item = item_design.edit_design(s, item_id, {"name": "Zoë"})
    assert item.status is S.READY
    assert shop.get(item_id).version == 0
    assert shop.all_events() == []


@pytest.mark.parametrize(
    "status", [S.MISSING_ARTWORK, S.RENDERING, S.SENDING, S.IN_PRODUCTION, S.CANCELED]
)
def test_edit_design_refused(shop: Shop, status: S) -> None:
    item_id = shop.item(status)
    with pytest.raises(DomainError, match=status.label), shop.db.write() as s:
        item_design.edit_design(s, item_id, {"name": "Ana"})
    assert shop.get(item_id).personalization == {"name": "Zoë"}
    assert shop.all_events() == []


def test_edit_design_with_non_text_values_saves_nothing(shop: Shop) -> None:
    item_id = shop.item(S.WAITING_APPROVAL)
    with pytest.raises(ValidationError) as err, shop.db.write() as s:
        item_design.edit_design(s, item_id, {"name": "Ana", "size": 12})  # type: ignore[dict-item]
    assert list(err.value.fields) == ["size"]
    assert shop.get(item_id).personalization == {"name": "Zoë"}
    assert shop.all_events() == []


def test_a_new_design_on_a_ready_item_retires_its_print_file(shop: Shop) -> None:
    """The print file shows the old design: the approval look and a send must never take it as
    current again (the status table's rule says so; apply_action carries it out)."""
    from podtui.domain.models import PrintFile

    item_id = shop.item(S.READY, personalization={"name": "Zoë"})
    with shop.db.write() as s:
        s.add(PrintFile(item_id=item_id, path="/tmp/old.png"))
    with shop.db.write() as s:
        item = item_design.edit_design(s, item_id, {"name": "Ada"})
    assert item.status is S.WAITING_APPROVAL
    with shop.db.read() as s:
        files = s.exec(select(PrintFile).where(PrintFile.item_id == item_id)).all()
    assert [f.current for f in files] == [False]
