"""Routing rules: tried before they are saved, applied with one event per item and one
transaction per batch; an explicit mapping always wins, sent items are never touched, and Ready
items are re-routed (and re-rendered) only when the caller confirms."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from podtui.domain.errors import ValidationError
from podtui.domain.models import Artwork, OrderItem, RenderJob
from podtui.domain.status import ItemStatus
from podtui.services.catalogue import rules
from podtui.services.catalogue.mappings import MappingDraft, save_mappings
from podtui.services.catalogue.rules import RuleDraft
from tests.services.catalogue.map_support import MapShop


def _mug_rule(shop: MapShop, **kw: Any) -> RuleDraft:
    values: dict[str, Any] = {
        "name": "Mugs to the RIP",
        "sku": "MUG*",
        "vendor_id": shop.vendors["hotfolder"],
        "vendor_product": {"queue": "dtg", "product_type": "mug"},
        "artwork_id": shop.artwork_id,
    }
    values.update(kw)
    return RuleDraft(**values)


def _rest_rule(shop: MapShop, **kw: Any) -> RuleDraft:
    values: dict[str, Any] = {"name": "The rest by hand", "vendor_id": shop.vendors["manual"],
                              "artwork_id": shop.artwork_id}  # fmt: skip
    values.update(kw)
    return RuleDraft(**values)


def _jobs(shop: MapShop) -> list[int]:
    with shop.db.read() as s:
        return list(s.exec(select(RenderJob.item_id).order_by(col(RenderJob.item_id))).all())


def _shop(shop: MapShop) -> None:
    shop.order()
    shop.order()
    shop.order(archived=True)
    shop.order(status=ItemStatus.SENT)
    tee = MappingDraft(
        store_id=shop.store_id, product_id="22", variant_id="23", artwork_id=shop.artwork_id,
        vendor_id=shop.vendors["manual"],
    )  # fmt: skip
    save_mappings(shop.db, [tee])


def test_a_rule_is_tried_then_saved_with_one_event_per_item(map_shop: MapShop) -> None:
    _shop(map_shop)
    plan = rules.try_rule(map_shop.db, _mug_rule(map_shop))
    assert plan.summary() == "This rule would route 2 waiting items: 2 to DTG."
    assert all(map_shop.events(i) == [] for i in map_shop.items["30/31"])  # trying changes nothing

    saved = rules.save_rule(map_shop.db, _mug_rule(map_shop))
    waiting, other, archived, sent = map_shop.items["30/31"]
    assert saved.routed == 2 and saved.ready_left == 0
    for item_id in (waiting, other):
        item = map_shop.item(item_id)
        assert item.status is ItemStatus.WAITING_APPROVAL and item.managed
        assert (item.vendor_id, item.artwork_id, item.rule_id) == (
            map_shop.vendors["hotfolder"], map_shop.artwork_id, saved.rule_id,
        )  # fmt: skip
        [event] = map_shop.events(item_id)
        assert (event.type, event.from_status, event.to_status) == (
            "route", "missing_artwork", "waiting_approval",
        )  # fmt: skip
        assert event.params["rule_id"] == saved.rule_id
    for untouched in (archived, sent):
        assert map_shop.events(untouched) == []
    assert map_shop.item(sent).status is ItemStatus.SENT

    # A catch-all after it takes what is left, but never a mapped item nor the mugs.
    rest = rules.try_rule(map_shop.db, _rest_rule(map_shop))
    assert rest.summary() == "This rule would route 4 waiting items: 4 to Back room."
    # Put first, it would take the mugs too.
    first = rules.try_rule(map_shop.db, _rest_rule(map_shop, position=1))
    assert first.summary() == "This rule would route 6 waiting items: 6 to Back room."
    rules.save_rule(map_shop.db, _rest_rule(map_shop))
    tee = map_shop.items["22/23"][0]
    assert map_shop.item(tee).rule_id is None  # the mapping wins
    assert [r.name for r in rules.list_rules(map_shop.db)] == [
        "Mugs to the RIP",
        "The rest by hand",
    ]
    assert [r.waiting for r in rules.list_rules(map_shop.db)] == [2, 4]


def test_a_rule_that_approves_queues_the_renders(map_shop: MapShop) -> None:
    _shop(map_shop)
    with map_shop.db.write() as s:
        plain = Artwork(name="Plain mug", template="mug-wrap", fields=[])
        s.add(plain)
        s.flush()
        plain_id = plain.id
    saved = rules.save_rule(
        map_shop.db, _mug_rule(map_shop, artwork_id=plain_id, approve="no_fields")
    )
    waiting, other = map_shop.items["30/31"][:2]
    assert saved.routed == 2
    assert [map_shop.item(i).status for i in (waiting, other)] == [ItemStatus.RENDERING] * 2
    assert _jobs(map_shop) == [waiting, other]
    [event] = map_shop.events(waiting)
    assert (event.type, event.to_status, event.params["approved"]) == ("route", "rendering", True)


def test_ready_items_move_only_when_the_caller_confirms(map_shop: MapShop) -> None:
    _shop(map_shop)
    saved = rules.save_rule(map_shop.db, _mug_rule(map_shop))
    waiting, other = map_shop.items["30/31"][:2]
    with map_shop.db.write() as s:
        item = s.get(OrderItem, waiting)
        assert item is not None
        item.status = ItemStatus.READY
        s.add(item)
    changed = _mug_rule(map_shop, rule_id=saved.rule_id, vendor_id=map_shop.vendors["manual"],
                        vendor_product={})  # fmt: skip
    plan = rules.try_rule(map_shop.db, changed)
    assert plan.summary() == (
        "This rule would route 1 waiting item: 1 to Back room; "
        "1 Ready item would be re-routed and rendered again if you confirm."
    )
    kept = rules.save_rule(map_shop.db, changed)
    assert (kept.routed, kept.ready_left) == (1, 1)
    assert map_shop.item(waiting).vendor_id == map_shop.vendors["hotfolder"]
    assert map_shop.item(other).vendor_id == map_shop.vendors["manual"]

    moved = rules.save_rule(map_shop.db, changed, reroute_ready=True)
    assert (moved.routed, moved.ready_left) == (1, 0)
    item = map_shop.item(waiting)
    assert (item.status, item.vendor_id) == (ItemStatus.RENDERING, map_shop.vendors["manual"])
    assert _jobs(map_shop) == [waiting]
    assert [e.type for e in map_shop.events(waiting)][-1] == "route"


def test_a_mapping_saved_later_wins_over_the_rule(map_shop: MapShop) -> None:
    _shop(map_shop)
    rules.save_rule(map_shop.db, _mug_rule(map_shop))
    mug = MappingDraft(
        store_id=map_shop.store_id, product_id="30", artwork_id=map_shop.artwork_id,
        vendor_id=map_shop.vendors["manual"],
    )  # fmt: skip
    [saved] = save_mappings(map_shop.db, [mug])
    assert len(saved.relinked) == 2
    item = map_shop.item(map_shop.items["30/31"][0])
    assert (item.vendor_id, item.rule_id) == (map_shop.vendors["manual"], None)
    assert rules.try_rule(map_shop.db, _mug_rule(map_shop)).routed == 0


def test_rules_are_checked_reordered_and_removed(map_shop: MapShop) -> None:
    _shop(map_shop)
    with pytest.raises(ValidationError) as bad:
        rules.save_rule(map_shop.db, _mug_rule(map_shop, countries=("USA",),
                                               vendor_product={"queue": "nope"}))  # fmt: skip
    assert set(bad.value.fields) >= {"countries", "queue"}
    mugs = rules.save_rule(map_shop.db, _mug_rule(map_shop))
    rest = rules.save_rule(map_shop.db, _rest_rule(map_shop))
    rules.move_rule(map_shop.db, rest.rule_id, 1)
    assert [r.id for r in rules.list_rules(map_shop.db)] == [rest.rule_id, mugs.rule_id]
    # moving the catch-all first re-routes nothing by itself: applying says what it would do
    assert rules.try_rules(map_shop.db).routed == 2
    rules.remove_rule(map_shop.db, mugs.rule_id)
    assert [r.id for r in rules.list_rules(map_shop.db)] == [rest.rule_id]
    item = map_shop.item(map_shop.items["30/31"][0])
    assert (item.vendor_id, item.rule_id) == (map_shop.vendors["hotfolder"], None)


def test_trying_a_saved_rule_unchanged_routes_nothing(map_shop: MapShop) -> None:
    _shop(map_shop)
    saved = rules.save_rule(map_shop.db, _mug_rule(map_shop))
    same = _mug_rule(map_shop, rule_id=saved.rule_id)
    assert rules.try_rule(map_shop.db, same).summary() == ("This rule would route 0 waiting items.")


def test_an_item_changed_meanwhile_is_left_alone(map_shop: MapShop) -> None:
    from podtui.services.catalogue import routing

    _shop(map_shop)
    with map_shop.db.read() as s:
        found = routing.plan(
            routing.candidates(s),
            [routing.RuleInfo(7, rules.RuleDraft(vendor_id=None).terms,
                              map_shop.vendors["manual"], map_shop.artwork_id, False)],
        )  # fmt: skip
    stale, fresh = found.moves[0], found.moves[1]
    with map_shop.db.write() as s:
        item = s.get(OrderItem, stale.item_id)
        assert item is not None
        item.version += 1  # another operator's change
        s.add(item)
    with map_shop.db.write() as s:
        assert routing.apply_moves(s, [stale, fresh], "route") == [fresh.item_id]
    assert map_shop.events(stale.item_id) == []
    assert [e.type for e in map_shop.events(fresh.item_id)] == ["route"]
    assert map_shop.item(stale.item_id).vendor_id is None


def test_a_rule_matches_the_store_product_type(map_shop: MapShop) -> None:
    map_shop.order()
    draft = _mug_rule(map_shop, sku="", product_type="mug")
    assert rules.try_rule(map_shop.db, draft).summary() == (
        "This rule would route 1 waiting item: 1 to DTG."
    )
    rules.save_rule(map_shop.db, draft)
    [row] = rules.list_rules(map_shop.db)
    assert (row.terms.product_type, row.describe(), row.waiting) == ("mug", "type mug", 1)
    [mug] = map_shop.items["30/31"]
    assert map_shop.item(mug).vendor_id == map_shop.vendors["hotfolder"]
    assert all(map_shop.item(i).vendor_id is None for i in map_shop.items["22/23"])
