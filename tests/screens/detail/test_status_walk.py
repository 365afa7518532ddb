"""Walk the status table: on the details screen, every item key is enabled exactly where the
table allows its action (for the item's kind of vendor), and a disabled key changes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import func, select

from podtui import keymap
from podtui.db import Database
from podtui.domain.models import Event, Order, OrderItem, Store, Vendor
from podtui.domain.status import Action, ItemStatus, is_allowed
from podtui.screens.order_detail import OrderDetailScreen
from tests.screens.detail.conftest import SIZE, app_for, cursor_to, open_from_list
from tests.screens.orders.data import NOW

ITEM_KEYS = {
    entry.action.removeprefix("item('").removesuffix("')"): entry.keys
    for entry in keymap.REGISTRY
    if entry.scope == "detail" and entry.action.startswith("item(")
}


def _seed(db: Database) -> list[tuple[int, ItemStatus, bool]]:
    with db.write() as s:
        store = Store(name="Shop", kind="sandbox")
        api = Vendor(name="Printify", kind="printify")
        hand = Vendor(name="Hand", kind="manual")
        for row in (store, api, hand):
            s.add(row)
        s.flush()
        created = NOW - timedelta(hours=1)
        order = Order(store_id=store.id or 0, store_order_id="1", name="#3001",
                      created_at=created, ship_country="US")  # fmt: skip
        s.add(order)
        s.flush()
        rows = []
        for status in ItemStatus:
            for vendor in (api, hand):
                item = OrderItem(
                    order_id=order.id or 0,
                    store_id=store.id or 0,
                    order_created_at=created,
                    title=f"{status.value} {vendor.name}",
                    status=status,
                    status_before=ItemStatus.READY,
                    vendor_id=vendor.id,
                    quantity=2,
                )
                s.add(item)
                s.flush()
                rows.append((item.id or 0, status, vendor.integrated))
        return rows


def _events(db: Database) -> int:
    with db.read() as s:
        return int(s.exec(select(func.count()).select_from(Event)).one())


async def test_every_item_key_follows_the_status_table(db: Database) -> None:
    rows = _seed(db)
    assert set(ITEM_KEYS) == {a.value for a in Action if a.value in ITEM_KEYS}
    assert len(ITEM_KEYS) >= 15  # every operator action of the table has a key here
    app = app_for(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_from_list(pilot, "#3001")
        screen = app.screen
        assert isinstance(screen, OrderDetailScreen)
        for item_id, status, integrated in rows:
            await cursor_to(pilot, item_id)
            disabled = []
            for name, keys in ITEM_KEYS.items():
                action = Action(name)
                allowed = is_allowed(status, action, vendor_integrated=integrated)
                assert screen.key_applies("item", (name,)) is allowed, (status, integrated, name)
                if not allowed:
                    disabled.append(keys.split(",")[0])
            # The dim keys change nothing: no dialog opens, no event is written (they only say why).
            before = _events(db)
            if integrated:
                await pilot.press(*disabled)
            assert app.screen is screen, status
            assert _events(db) == before, status
