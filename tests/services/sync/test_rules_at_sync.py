"""A sync routes the new items no mapping covers by the shop's rules; a mapping still wins."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from podtui.db import Database
from podtui.domain.models import Artwork, Event, OrderItem, Store, Vendor
from podtui.domain.status import ItemStatus
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.catalogue import rules
from podtui.services.catalogue.rules import RuleDraft
from podtui.services.sync.pull import SyncOptions, sync_store_async
from tests.adapters.stores.woo_support import woo_order

pytestmark = pytest.mark.usefixtures("store")


async def test_new_items_are_routed_by_the_first_rule_that_matches(
    db: Database, store: Store, woo: SandboxWooStore, tmp_path: object
) -> None:
    with db.write() as s:
        manual = Vendor(name="Back room", kind="manual")
        art = Artwork(name="Single", template="poster", fields=[])
        s.add_all([manual, art])
        s.flush()
        manual_id, art_id = manual.id, art.id
    rules.save_rule(db, RuleDraft(name="Singles", title="woo single", vendor_id=manual_id,
                                  artwork_id=art_id, approve="no_fields"))  # fmt: skip
    rules.save_rule(db, RuleDraft(name="All", vendor_id=manual_id))  # never beats the mapping
    woo.add_order(woo_order(1))
    report = await sync_store_async(db, store, SyncOptions(mode="all"))
    assert report.ok, report.error
    with db.read() as s:
        single, idea = s.exec(select(OrderItem).order_by(col(OrderItem.id))).all()
        assert (single.product_id, single.status, single.vendor_id) == (
            "93", ItemStatus.RENDERING, manual_id,
        )  # fmt: skip
        assert single.managed and single.rule_id is not None
        assert idea.rule_id is None and idea.status is ItemStatus.WAITING_APPROVAL
        types = s.exec(select(Event.type).where(Event.item_id == single.id)).all()
    assert list(types) == ["imported", "route"]
