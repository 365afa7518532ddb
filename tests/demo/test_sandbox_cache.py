"""The demo's sandboxes are built once per seeding, never handed to a later seeding of the URL."""

from __future__ import annotations

from podtui.db import Database
from podtui.demo.sandboxes import sandbox_for
from podtui.demo.seed import reset_demo, seed_demo
from tests.demo.conftest import NOW


def test_a_database_seeded_again_gets_new_sandboxes(db: Database) -> None:
    seed_demo(db, orders=40, seed=3, now=NOW, hotfolder_path="/tmp/demo-hotfolder")
    first = sandbox_for(db)
    assert first is not None
    assert sandbox_for(db) is first  # one seeding, one set of sandboxes (they hold its state)
    first.woo.orders.clear()  # what a test does to its sandbox must not reach the next seeding

    reset_demo(db)  # the same URL, emptied and seeded again with the same settings
    seed_demo(db, orders=40, seed=3, now=NOW, hotfolder_path="/tmp/demo-hotfolder")
    second = sandbox_for(db)
    assert second is not None and second is not first
    assert second.woo.orders
