"""Point 2 of the store's truth: an order podtui cannot honour is a sync problem, not an import."""

from __future__ import annotations

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.models import Event, Order, OrderItem, Store, SyncProblem
from podtui.domain.status import ItemStatus
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.items.order_detail import read_order_detail
from tests.adapters.stores.woo_support import Clock, woo_order
from tests.services.sync.test_sync_service import count, events, items_of, order_row, sync

pytestmark = pytest.mark.usefixtures("store")


def problems(db: Database, *, resolved: bool = False) -> list[SyncProblem]:
    with db.read() as session:
        return list(session.exec(select(SyncProblem).where(SyncProblem.resolved == resolved)).all())


async def resync_changes_nothing(db: Database, store: Store) -> None:
    before = (count(db, Event), count(db, Order), count(db, OrderItem), count(db, SyncProblem))
    for mode in ("incremental", "all"):
        report = await sync(db, store, mode=mode)
        assert report.ok, report.error
        assert (report.orders_created, report.orders_updated) == (0, 0), mode
    after = (count(db, Event), count(db, Order), count(db, OrderItem), count(db, SyncProblem))
    assert after == before


def shipping(**fields: str) -> dict[str, str]:
    base = {
        "first_name": "John", "last_name": "Doe", "company": "", "address_1": "969 Market",
        "address_2": "", "city": "San Francisco", "state": "CA", "postcode": "94103",
        "country": "US",
    }  # fmt: skip
    return {**base, **fields}


async def test_a_line_of_quantity_zero_holds_the_order_as_a_sync_problem(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    order = woo_order(1)
    order["line_items"][0]["quantity"] = 0
    woo.add_order(order)
    report = await sync(db, store, mode="all")
    assert report.ok and report.problems == 1
    (problem,) = problems(db)
    assert problem.store_order_id == "1" and "quantity 0" in problem.reason
    assert '"quantity": 0' in problem.raw
    (item,) = items_of(db, "1")  # the line of quantity 0 became no item
    assert item.status is ItemStatus.ON_HOLD
    assert item.hold_reason is not None and item.hold_reason.startswith("Sync problem")
    with db.read() as session:
        detail = read_order_detail(session, item.order_id)
    assert [p.reason for p in detail.problems] == [problem.reason]
    await resync_changes_nothing(db, store)


async def test_an_order_without_line_items_is_a_problem(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, line_items=None))
    woo.add_order(woo_order(2, line_items=[]))
    await sync(db, store, mode="all")
    reasons = sorted((p.store_order_id, p.reason) for p in problems(db))
    assert reasons == [("1", "the order has no line items"), ("2", "the order has no line items")]
    await resync_changes_nothing(db, store)


@pytest.mark.parametrize(
    ("country", "code"),
    [("USA", "US"), ("United Kingdom", "GB"), ("united states of america", "US"), ("de", "DE")],
)
async def test_an_unambiguous_country_name_is_read_as_its_code(
    db: Database, store: Store, woo: SandboxWooStore, country: str, code: str
) -> None:
    woo.add_order(woo_order(1, shipping=shipping(country=country)))
    await sync(db, store, mode="all")
    assert order_row(db, "1").ship_country == code
    assert problems(db) == []
    assert items_of(db, "1")[1].status is ItemStatus.WAITING_APPROVAL
    await resync_changes_nothing(db, store)


@pytest.mark.parametrize(
    ("country", "word"),
    [("Georgia", "ambiguous"), ("Congo", "ambiguous"), ("Korea", "ambiguous"), ("Xanadu", "ISO")],
)
async def test_a_country_that_is_no_code_is_a_problem(
    db: Database, store: Store, woo: SandboxWooStore, country: str, word: str
) -> None:
    woo.add_order(woo_order(1, shipping=shipping(country=country)))
    await sync(db, store, mode="all")
    (problem,) = problems(db)
    assert word in problem.reason and country in problem.reason
    assert items_of(db, "1")[1].status is ItemStatus.ON_HOLD
    await resync_changes_nothing(db, store)


async def test_an_address_with_only_a_country_is_a_problem_until_the_store_fixes_it(
    db: Database, store: Store, woo: SandboxWooStore, clock: Clock
) -> None:
    bare = dict.fromkeys(shipping(), "") | {"country": "US", "first_name": "John"}
    woo.add_order(woo_order(1, shipping=bare, billing=bare | {"email": "j@example.com"}))
    await sync(db, store, mode="all")
    (problem,) = problems(db)
    assert "only a country" in problem.reason
    assert items_of(db, "1")[1].status is ItemStatus.ON_HOLD
    await resync_changes_nothing(db, store)
    clock.tick()
    woo.update_order(1, shipping=shipping())
    await sync(db, store)
    assert problems(db) == [] and len(problems(db, resolved=True)) == 1
    assert items_of(db, "1")[1].status is ItemStatus.WAITING_APPROVAL
    await resync_changes_nothing(db, store)


async def test_shipping_taken_from_billing_is_said_on_the_order_and_the_timeline(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1, shipping={}))
    await sync(db, store, mode="all")
    order = order_row(db, "1")
    assert order.ship_address1 == "969 Market"
    assert any("billing" in n for n in order.notices)
    (event,) = events(db, "shipping_from_billing")
    assert event.order_id == order.id
    await resync_changes_nothing(db, store)


async def test_checkout_drafts_are_skipped_and_counted(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    woo.add_order(woo_order(1))
    woo.add_order(woo_order(2, status="checkout-draft"))
    woo.add_order(woo_order(3, status="checkout-draft"))
    report = await sync(db, store, mode="all")
    assert (report.orders_created, report.drafts_skipped) == (1, 2)
    assert "2 drafts skipped" in report.summary()


async def test_the_order_details_show_its_problems_and_notices(
    db: Database, store: Store, woo: SandboxWooStore
) -> None:
    from podtui.widgets.detail_text import store_section

    order = woo_order(1, shipping={}, billing=shipping(country="Georgia"))
    woo.add_order(order)
    await sync(db, store, mode="all")
    with db.read() as session:
        detail = read_order_detail(session, order_row(db, "1").id or 0)
    text = store_section(detail).plain
    assert "billing address is used" in text
    assert "sync problem: shipping country 'Georgia' is ambiguous" in text
