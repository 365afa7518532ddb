"""The order list's reads against a real SQLite file: filters, keyset windows, counts, marks."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

import podtui.services.listing.query as oq
import podtui.services.listing.ranked as ranked
from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.models import Order, OrderItem, Shipment, Store, Vendor
from podtui.domain.status import WORKFLOW_ORDER, ItemStatus
from podtui.services.listing.filters import ListFilter, format_filter, parse_filter
from podtui.services.listing.query import ListQuery, MarkSet, WindowRequest
from podtui.services.listing.reader import ChangeWatcher, ListReader
from tests.screens.orders.data import NOW, Shop, seed_shop


@dataclass
class Item:
    id: int
    order_name: str
    store_order_id: str
    created: datetime
    order_id: int
    title: str
    status: ItemStatus
    vendor: str
    store_id: int
    email: str
    source: str
    archived: bool
    managed: bool
    payment: str


@pytest.fixture
def shop(db: Database) -> Shop:
    return seed_shop(db)


@pytest.fixture
def reader(db: Database, shop: Shop) -> ListReader:
    r = ListReader(db.url)
    yield r  # type: ignore[misc]
    r.close()


def all_items(db: Database) -> list[Item]:
    with db.read() as s:
        vendors = {v.id: v.name for v in s.exec(select(Vendor)).all()}
        rows = s.exec(select(OrderItem, Order).join(Order)).all()  # type: ignore[call-overload]
    return [
        Item(
            i.id,
            o.name,
            o.store_order_id,
            i.order_created_at,
            o.id,
            i.title,
            i.status,
            vendors.get(i.vendor_id, ""),
            i.store_id,
            o.customer_email,
            o.source,
            i.archived,
            i.managed,
            o.payment_status,
        )
        for i, o in rows
    ]


def visible(items: list[Item]) -> list[Item]:
    return [i for i in items if not i.archived and i.managed]


def newest_first(items: list[Item]) -> list[int]:
    return [i.id for i in sorted(items, key=lambda i: (i.created, i.id), reverse=True)]


def page_all(reader: ListReader, query: ListQuery, page: int = 7) -> list[int]:
    """Every row id of a query, read window by window with keyset paging."""
    r = reader.resolve(query, NOW)
    result = reader.window(r, WindowRequest("first", page))
    ids = [row.item_ids[0] for row in result.rows]
    while not result.exhausted:
        result = reader.window(r, WindowRequest("after", page, key=result.rows[-1].key))
        ids.extend(row.item_ids[0] for row in result.rows)
    return ids


def q(text: str = "", tab: str = "all", per_order: bool = False) -> ListQuery:
    return ListQuery(filter=parse_filter(text), tab=tab, per_order=per_order)


# -- the filter language ------------------------------------------------------------------------


def test_filter_terms_parse_into_fields_and_print_back() -> None:
    f = parse_filter(
        'status:ready,on-hold v:printify title:"name necklace" created:7d bob@ #1001 mug'
    )
    assert f.statuses == (ItemStatus.READY, ItemStatus.ON_HOLD)
    assert f.vendors == ("printify",)
    assert f.title == "name necklace"
    assert f.created == "7d"
    assert f.words == ("bob@", "#1001", "mug")
    assert parse_filter(format_filter(f)) == f


def test_payment_terms_take_the_stores_whole_set_by_key_or_label() -> None:
    f = parse_filter('payment:unpaid,"partially refunded",partially_paid,pend,voided,paid')
    assert f.payments == (
        "unpaid",
        "partially_refunded",
        "partially_paid",
        "pending",
        "voided",
        "paid",
    )
    assert parse_filter(format_filter(f)) == f


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("payment:free", "payment"),
        ("payment:partially", "payment"),  # partially paid or partially refunded?
        ("colour:red", "colour"),
        ("status:shipped", "status"),
        ("created:yesterdayish", "created"),
        ("created:2026-02-01..2026-01-01", "created"),
        ("unmanaged:maybe", "unmanaged"),
        ("sort:price", "sort"),
        ('title:"open', None),
    ],
)
def test_bad_filter_terms_say_what_is_wrong(text: str, field: str | None) -> None:
    with pytest.raises(ValidationError) as err:
        parse_filter(text)
    if field:
        assert field in err.value.fields


def test_status_accepts_labels_and_unambiguous_starts() -> None:
    assert parse_filter("status:wait").statuses == (ItemStatus.WAITING_APPROVAL,)
    assert parse_filter('status:"in production"').statuses == (ItemStatus.IN_PRODUCTION,)


def test_unknown_vendor_names_the_known_ones(reader: ListReader) -> None:
    with pytest.raises(ValidationError) as err:
        reader.resolve(q("vendor:acme"), NOW)
    assert "Printify" in err.value.fields["vendor"]


# -- windows and filters ------------------------------------------------------------------------


def test_default_list_pages_newest_first_without_archived_or_unmanaged(
    db: Database, reader: ListReader
) -> None:
    assert page_all(reader, q()) == newest_first(visible(all_items(db)))


@pytest.mark.parametrize(
    ("text", "keep"),
    [
        ("status:ready", lambda i: i.status is ItemStatus.READY),
        ("status:failed,sent", lambda i: i.status in (ItemStatus.FAILED, ItemStatus.SENT)),
        ("vendor:printify", lambda i: i.vendor == "Printify"),
        ("vendor:print", lambda i: i.vendor in ("Printify", "Printful")),
        ("store:woo", lambda i: i.store_id == 2),
        ("source:etsy", lambda i: i.source == "etsy"),
        ("title:MUG", lambda i: "mug" in i.title.lower()),
        ("title:ag", lambda i: "ag" in i.title.lower()),  # two letters: below the trigram size
        ("title:ÜNÏ", lambda i: "ünï" in i.title.lower()),
        ("mug", lambda i: "mug" in i.title.lower()),
        ("email:ann.", lambda i: i.email.startswith("ann.")),
        ("email:ANN.SMITH8@example.com", lambda i: i.email == "ann.smith8@example.com"),
        ("order:#1010", lambda i: i.order_name == "#1010"),
        ("order:1010", lambda i: i.order_name == "#1010"),
        ("1010", lambda i: i.order_name == "#1010"),
        ("order:5011", lambda i: i.store_order_id == "5011"),
        ("order:101*", lambda i: i.order_name.startswith("#101")),
        ("created:today", lambda i: i.created >= NOW.replace(hour=0)),
        ("created:7d", lambda i: i.created >= NOW.replace(hour=0) - timedelta(days=6)),
        ("created:90d", lambda i: i.created >= NOW.replace(hour=0) - timedelta(days=89)),
        (
            "created:2026-03-05..2026-03-06",
            lambda i: (
                datetime(2026, 3, 5, tzinfo=NOW.tzinfo)
                <= i.created
                < datetime(2026, 3, 7, tzinfo=NOW.tzinfo)
            ),
        ),
        ("created:2026-03-09", lambda i: i.created.date().isoformat() == "2026-03-09"),
        (
            "status:ready,failed vendor:print store:main,woo",
            lambda i: (
                i.status in (ItemStatus.READY, ItemStatus.FAILED)
                and i.vendor.startswith("Print")
                and i.store_id in (1, 2)
            ),
        ),
        (
            "title:necklace source:store",
            lambda i: "necklace" in i.title.lower() and i.source == "store",
        ),
        ("payment:pending", lambda i: i.payment == "pending"),
        ("payment:Refunded,paid", lambda i: i.payment in ("refunded", "paid")),
        ("pay:pend title:mug", lambda i: i.payment == "pending" and "mug" in i.title.lower()),
    ],
)
def test_each_filter_shows_exactly_its_items(
    db: Database, reader: ListReader, text: str, keep: object
) -> None:
    expected = newest_first([i for i in visible(all_items(db)) if keep(i)])  # type: ignore[operator]
    assert expected, "the seed should give every filter something to find"
    assert page_all(reader, q(text)) == expected
    r = reader.resolve(q(text), NOW)
    assert reader.count(r) == len(expected)


def test_walked_and_driven_windows_agree(
    db: Database, reader: ListReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    walked = page_all(reader, q("title:tree"), page=3)
    monkeypatch.setattr(oq, "WALK_ROWS", 2)  # every walk falls short: the drive path answers
    assert page_all(reader, q("title:tree"), page=3) == walked


def test_unmanaged_and_archived_visibility(db: Database, reader: ListReader) -> None:
    items = all_items(db)
    assert page_all(reader, q("unmanaged:only")) == newest_first(
        [i for i in items if not i.managed and not i.archived]
    )
    assert len(page_all(reader, q("unmanaged:show"))) == len([i for i in items if not i.archived])
    assert page_all(reader, q(tab="archived")) == newest_first(
        [i for i in items if i.archived and i.managed]
    )


@pytest.mark.parametrize(
    "sort",
    ["created", "-created", "order", "-order", "status", "-status", "payment", "-fulfillment"],
)
def test_every_sort_pages_forwards_and_backwards_consistently(
    reader: ListReader, sort: str
) -> None:
    query = q(f"sort:{sort}")
    forward = page_all(reader, query, page=5)
    r = reader.resolve(query, NOW)
    assert len(forward) == reader.count(r)
    # From the end, walking backwards, gives the same rows in the same order.
    back = reader.window(r, WindowRequest("last", 5))
    ids = [row.item_ids[0] for row in back.rows]
    while True:
        before = reader.window(r, WindowRequest("before", 5, key=back.rows[0].key))
        if not before.rows:
            break
        ids[:0] = [row.item_ids[0] for row in before.rows]
        back = before
    assert ids == forward
    # And an offset jump lands where paging does.
    middle = reader.window(r, WindowRequest("offset", 4, offset=9))
    assert [row.item_ids[0] for row in middle.rows] == forward[9:13]


def _sorted_ids(db: Database, sort: str, turnaround: dict[str, float]) -> list[int]:
    """Every visible item in the order `sort` promises, worked out here row by row."""
    with db.read() as s:
        vendors = {v.id: v.name for v in s.exec(select(Vendor)).all()}
        stores = {st.id: st.name for st in s.exec(select(Store)).all()}
        rows = s.exec(select(OrderItem, Order).join(Order)).all()  # type: ignore[call-overload]
    key = sort.lstrip("-")
    keys = []
    for i, o in rows:
        if i.archived or not i.managed:
            continue
        created = i.order_created_at
        if key == "status":
            k: tuple[object, ...] = (WORKFLOW_ORDER.index(i.status), created, i.id)
        elif key == "vendor":
            name = vendors.get(i.vendor_id)
            k = (name is None, (name or "").lower(), created, i.id)
        elif key == "total":
            k = (float(o.total), o.created_at, o.id, i.id)
        elif key == "customer":
            k = (o.customer_name.lower(), o.created_at, o.id, i.id)
        else:  # due: the promised stores by due time, then the others by creation time
            days = turnaround.get(stores[i.store_id])
            k = (days is None, created + timedelta(days=days or 0), i.id)
        keys.append((k, i.id))
    return [item_id for _, item_id in sorted(keys, reverse=sort.startswith("-"))]


@pytest.mark.parametrize("walk_rows", [4000, 2])
@pytest.mark.parametrize(
    "sort",
    ["status", "-status", "vendor", "-vendor", "total", "-total", "customer", "-customer",
     "due", "-due"],
)  # fmt: skip
def test_sorts_by_rank_total_and_customer_page_in_their_order_through_ties(
    db: Database, reader: ListReader, monkeypatch: pytest.MonkeyPatch, sort: str, walk_rows: int
) -> None:
    monkeypatch.setattr(oq, "WALK_ROWS", walk_rows)
    # Offsets into the stores merged by due time: read and merged (4000), or sorted by SQL (2).
    monkeypatch.setattr(ranked, "MERGE_READ_ROWS", 1 if walk_rows == 2 else 4000)
    reader.turnaround_days = {"Main Shopify": 2.0, "Woo Outlet": 5.0}  # Etsy Bridge: none
    expected = _sorted_ids(db, sort, reader.turnaround_days)
    query = q(f"sort:{sort}")
    assert page_all(reader, query, page=4) == expected
    r = reader.resolve(query, NOW)
    back = reader.window(r, WindowRequest("last", 4))
    ids = [row.item_ids[0] for row in back.rows]
    while True:
        before = reader.window(r, WindowRequest("before", 4, key=back.rows[0].key))
        if not before.rows:
            break
        ids[:0] = [row.item_ids[0] for row in before.rows]
        back = before
    assert ids == expected
    for offset in (0, 3, 9, 17, len(expected) - 2):
        jump = reader.window(r, WindowRequest("offset", 5, offset=offset))
        assert [row.item_ids[0] for row in jump.rows] == expected[offset : offset + 5]
        # And from a row's key, inclusively, as a refresh keeps its place.
        if jump.rows:
            at = reader.window(r, WindowRequest("at", 3, key=jump.rows[0].key))
            assert [row.item_ids[0] for row in at.rows] == expected[offset : offset + 3]
    # A filter narrows the segments: Ready and Failed, by status, then by vendor.
    narrowed = q(f"status:failed,ready sort:{sort}")
    keep = set(page_all(reader, q("status:failed,ready")))
    assert page_all(reader, narrowed, page=3) == [i for i in expected if i in keep]


def test_status_sorts_in_workflow_order_not_by_name(db: Database, reader: ListReader) -> None:
    rows = reader.window(reader.resolve(q("sort:status"), NOW), WindowRequest("first", 100)).rows
    order = [row.status for row in rows]
    assert order[0] is ItemStatus.MISSING_ARTWORK
    assert order[-1] is ItemStatus.CANCELED
    assert order == sorted(order, key=WORKFLOW_ORDER.index)  # type: ignore[arg-type]


def test_age_is_the_creation_time_the_other_way_round() -> None:
    assert parse_filter("sort:age") == parse_filter("sort:-created")  # the youngest first
    assert parse_filter("sort:-age") == parse_filter("sort:created")  # the oldest first


def test_order_name_sort_is_by_name(db: Database, reader: ListReader) -> None:
    names = [reader.window(reader.resolve(q("sort:order"), NOW), WindowRequest("first", 50)).rows]
    shown = [row.order_name for row in names[0]]
    assert shown == sorted(shown)


def test_one_row_per_order_groups_matching_items(db: Database, reader: ListReader) -> None:
    r = reader.resolve(q("", per_order=True), NOW)
    rows = reader.window(r, WindowRequest("first", 100)).rows
    items = visible(all_items(db))
    by_order: dict[int, set[int]] = {}
    for i in items:
        by_order.setdefault(i.order_id, set()).add(i.id)
    assert {row.order_id: set(row.item_ids) for row in rows} == by_order
    assert reader.count(r) == len(by_order)
    multi = next(row for row in rows if len(row.item_ids) > 1)
    assert "more" in multi.title
    # Keyset paging over orders.
    first = reader.window(r, WindowRequest("first", 4))
    after = reader.window(r, WindowRequest("after", 4, key=first.rows[-1].key))
    assert [x.order_id for x in first.rows + after.rows] == [x.order_id for x in rows[:8]]


# -- counts ---------------------------------------------------------------------------------


def test_tab_counts_follow_the_filter(db: Database, reader: ListReader) -> None:
    items = all_items(db)
    counts = reader.tab_counts(reader.resolve(q("vendor:printify"), NOW)).items
    mine = [i for i in items if i.vendor == "Printify" and i.managed]
    for status in ItemStatus:
        assert counts[status.value] == len(
            [i for i in mine if not i.archived and i.status is status]
        )
    assert counts["all"] == len([i for i in mine if not i.archived])
    assert counts["archived"] == len([i for i in mine if i.archived])


def test_a_status_in_the_filter_replaces_the_tab(reader: ListReader) -> None:
    assert page_all(reader, q("status:ready", tab="failed")) == page_all(reader, q("status:ready"))
    assert page_all(reader, q("status:ready,failed", tab="failed")) == page_all(
        reader, q("status:ready,failed")
    )
    assert page_all(reader, q("status:ready", tab="failed")) != page_all(
        reader, q("", tab="failed")
    )


# -- marks ----------------------------------------------------------------------------------


def test_mark_all_is_the_filter_minus_exclusions_plus_inclusions(
    db: Database, reader: ListReader
) -> None:
    ready = page_all(reader, q("status:ready"))
    failed = page_all(reader, q("status:failed"))
    marks = MarkSet()
    marks.mark_all(reader.resolve(q("status:ready"), NOW))
    marks.set(ready[0], in_base=True, marked=False)
    marks.set(failed[0], in_base=False, marked=True)
    assert reader.count_marks(marks) == len(ready)
    ids = [i for chunk in reader.iter_marked_ids(marks, chunk=2) for i in chunk]
    assert sorted(ids) == sorted([*ready[1:], failed[0]])
    breakdown = {(b.status, b.vendor_id): b.count for b in reader.marks_breakdown(marks)}
    assert sum(breakdown.values()) == len(ready)
    # A window says, per row, whether the marks' filter holds it.
    r = reader.resolve(q(), NOW)
    rows = reader.window(r, WindowRequest("first", 100), marks.base).rows
    for row in rows:
        in_base = row.item_ids[0] in row.base_ids
        assert in_base == (row.status is ItemStatus.READY)
        assert marks.is_marked(row.item_ids[0], in_base) == (row.item_ids[0] in ids)


# -- single rows, orders, changes -----------------------------------------------------------


def test_failure_and_hold_reasons(db: Database, reader: ListReader) -> None:
    failed = page_all(reader, q("status:failed"))
    held = page_all(reader, q("status:on_hold"))
    assert "Print area too small" in (reader.item_reason(failed[0]) or "")
    assert "HTTP 422" in (reader.item_reason(failed[0]) or "")
    assert reader.item_reason(held[0]) == "Address needs checking"
    assert reader.item_reason(page_all(reader, q("status:sent"))[0]) is None


def test_find_orders_by_name_or_store_id(reader: ListReader) -> None:
    assert [name for _, name, _ in reader.find_orders("#1010")] == ["#1010"]
    assert [name for _, name, _ in reader.find_orders("5012")] == ["#1012"]
    assert len(reader.find_orders("10", 12)) == 12  # a prefix, capped


def test_title_index_follows_title_changes(db: Database, reader: ListReader) -> None:
    with db.write() as s:
        item = s.exec(select(OrderItem).where(OrderItem.title == "Star Map Poster")).first()
        assert item is not None
        item.title = "Zebra Stripe Socks"
        s.add(item)
    assert len(page_all(reader, q("title:zebra"))) == (
        0 if item.archived or not item.managed else 1
    )
    assert page_all(reader, q("title:zebra unmanaged:show archived:show")) == [item.id]


def test_watcher_sees_another_process_commit(db_path: Path, sqlite_db: Database) -> None:
    """SQLite's watcher (PostgreSQL's is in test_change_notify.py)."""
    with sqlite_db.write() as s:
        store = Store(name="Shop", kind="shopify")
        s.add(store)
        s.flush()
        order = Order(store_id=store.id, store_order_id="1", name="#1", created_at=NOW)
        s.add(order)
        s.flush()
        s.add(OrderItem(order_id=order.id, store_id=store.id, title="Mug", order_created_at=NOW))
    reader = ListReader(sqlite_db.url)
    watcher = ChangeWatcher(reader)
    assert watcher.changed() is False
    assert watcher.changed() is False
    code = (
        "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);"
        "c.execute(\"UPDATE order_item SET title='x' WHERE id=1\"); c.commit()"
    )
    subprocess.run([sys.executable, "-c", code, str(db_path)], check=True)
    assert watcher.changed() is True
    assert watcher.changed() is False
    watcher.close()
    reader.close()


def test_read_connections_never_write(reader: ListReader) -> None:
    # SQLite: "attempt to write a readonly database"; PostgreSQL: "... in a read-only transaction"
    with reader.connection() as conn, pytest.raises(Exception, match=r"read-?only"):
        cur = conn.cursor()
        cur.execute("DELETE FROM order_item")


def test_empty_filter_is_empty() -> None:
    assert ListFilter().is_empty
    assert ListFilter().with_sort("order", False).is_empty
    assert not parse_filter("mug").is_empty


# -- the search box: a bare word in every searched column -------------------------------------


def add_parcel(db: Database, order_name: str, tracking: str) -> None:
    with db.write() as s:
        order = s.exec(select(Order).where(Order.name == order_name)).one()
        s.add(Shipment(order_id=order.id or 0, carrier="UPS", tracking_number=tracking))


def searched(db: Database, word: str) -> list[int]:
    """The visible items `word` is in (the order's text, the item's SKU or title, a parcel)."""
    needle = word.lower()
    with db.read() as s:
        rows = s.exec(select(OrderItem, Order).join(Order)).all()  # type: ignore[call-overload]
        parcels: dict[int, list[str]] = {}
        for parcel in s.exec(select(Shipment)).all():
            parcels.setdefault(parcel.order_id, []).append(parcel.tracking_number)
    hits = [
        (i.order_created_at, i.id)
        for i, o in rows
        if not i.archived
        and i.managed
        and any(
            needle in text.lower()
            for text in (
                i.title, i.sku, o.name, o.number, o.store_order_id, o.customer_name,
                o.customer_email, o.ship_city, *parcels.get(o.id, []),
            )
        )
    ]  # fmt: skip
    return [item_id for _, item_id in sorted(hits, reverse=True)]


@pytest.mark.parametrize("walk_rows", [4000, 2])  # 2: every walk falls short, the indexes answer
@pytest.mark.parametrize(
    "word",
    [
        "chloe",  # the customer's name and e-mail
        "LEEDS",  # the city
        "sku-3",  # the SKU
        "necklace",  # the title
        "1Z999AA1",  # a parcel's tracking number, any part
        "94001118992231",  # digits too long for an order: a tracking number
        "okafor27",  # part of one e-mail
        "ok",  # below the trigram size
        "emily",  # nobody
    ],
)
def test_a_bare_word_searches_every_searched_column(
    db: Database, reader: ListReader, monkeypatch: pytest.MonkeyPatch, word: str, walk_rows: int
) -> None:
    add_parcel(db, "#1030", "1Z999AA10123456784")
    add_parcel(db, "#1029", "9400111899223100001234")
    monkeypatch.setattr(oq, "WALK_ROWS", walk_rows)
    expected = searched(db, word)
    assert bool(expected) == (word != "emily")
    assert page_all(reader, q(word), page=3) == expected
    assert reader.count(reader.resolve(q(word), NOW)) == len(expected)
    # One row per order: the same items, grouped.
    r = reader.resolve(q(word, per_order=True), NOW)
    grouped = reader.window(r, WindowRequest("first", 100)).rows
    assert sorted(i for row in grouped for i in row.item_ids) == sorted(expected)


def test_two_bare_words_must_both_match(db: Database, reader: ListReader) -> None:
    both = set(searched(db, "austin")) & set(searched(db, "tree"))
    assert both
    assert set(page_all(reader, q("austin tree"))) == both
    ready = set(page_all(reader, q("status:ready")))
    assert page_all(reader, q("status:ready austin")) == [
        i for i in searched(db, "austin") if i in ready
    ]


def test_the_search_indexes_follow_changes(
    db: Database, reader: ListReader, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oq, "WALK_ROWS", 2)  # the indexes answer, not a walk of every row
    assert page_all(reader, q("emily")) == []
    with db.write() as s:
        order = s.exec(select(Order).where(Order.name == "#1031")).one()
        order.customer_name = "Emily Zhang"
        s.add(order)
        item = s.exec(select(OrderItem).where(OrderItem.order_id == order.id)).first()
        assert item is not None
        item.sku = "MUG-EMILY-11OZ"
        s.add(item)
    assert page_all(reader, q("emily")) == searched(db, "emily")
    assert page_all(reader, q("mug-emily")) == [item.id]
    add_parcel(db, "#1031", "1ZEMILY0001")
    assert page_all(reader, q("1zemily")) == searched(db, "#1031")
    with db.write() as s:
        for parcel in s.exec(select(Shipment)).all():
            s.delete(parcel)
        order = s.exec(select(Order).where(Order.name == "#1031")).one()
        order.customer_name = "Ann Smith"
        s.add(order)
    assert page_all(reader, q("1zemily")) == []
    assert page_all(reader, q("emily")) == [item.id]  # the SKU still says it


# -- input the filter line cannot search for ---------------------------------------------------


def _obrien(db: Database) -> int:
    """Give one visible item an apostrophe in its title and its customer's e-mail; its id."""
    with db.write() as s:
        item = s.exec(
            select(OrderItem).where(
                OrderItem.status == ItemStatus.READY,
                OrderItem.archived == False,  # noqa: E712
                OrderItem.managed == True,  # noqa: E712
            )
        ).first()
        assert item is not None
        item.title = "O'Brien Clan Mug"
        order = s.get(Order, item.order_id)
        assert order is not None
        order.customer_email = "o'brien@example.com"
        s.add(item)
        s.add(order)
        return int(item.id or 0)


@pytest.mark.parametrize(
    "text",
    [
        "O'Brien",
        "o'brien",
        "title:O'Brien",
        "title:'O'Brien clan'",
        '"O\'Brien"',
        "o'brien@",
        "email:O'BRIEN@example.com",
        "status:ready O'Brien",
    ],
)
def test_an_apostrophe_is_part_of_the_word(db: Database, reader: ListReader, text: str) -> None:
    item_id = _obrien(db)
    whole_order = newest_first([i for i in visible(all_items(db)) if "'" in i.email])
    assert item_id in whole_order
    if text.startswith(("title:", "email:")) and "@" not in text:
        expected = [item_id]
    elif text.startswith("status:ready"):
        ready = {i.id for i in all_items(db) if i.status is ItemStatus.READY}
        expected = [i for i in whole_order if i in ready]
    else:  # the e-mail, or the search box (the title and the e-mail), finds the whole order
        expected = whole_order
    assert page_all(reader, q(text)) == expected
    f = parse_filter(text)
    assert parse_filter(format_filter(f)) == f


@pytest.mark.parametrize(
    "text",
    [
        "\ud800",
        "mug \udfff",
        "title:ab\ud800",
        "email:\udfff@",
        "source:\ud800",
        "order:#10\ud800",
        "\x00",
        "title:a\x00b",
        "email:bob\x00",
        "order:\x00",
        "necklace\x07",
    ],
)
def test_characters_that_cannot_be_searched_give_a_filter_message(
    reader: ListReader, text: str
) -> None:
    with pytest.raises(ValidationError) as err:
        r = reader.resolve(q(text), NOW)
        reader.window(r, WindowRequest("first", 10))
        reader.count(r)
    message = str(err.value)
    assert "filter" in message.lower()
    assert "U+" in message  # names the character, which may not show on the terminal
    assert "codec" not in message and "chr()" not in message


@pytest.mark.parametrize(
    "text",
    [
        "email:a\U0010ffff",
        "email:\U0010ffff",
        "email:b\ud7ff",
        "order:#10\U0010ffff*",
        "\U0010ffff",
    ],
)
def test_the_highest_code_points_are_searched_for_like_any_other(
    reader: ListReader, text: str
) -> None:
    r = reader.resolve(q(text), NOW)
    assert reader.window(r, WindowRequest("first", 10)).rows == []
    assert reader.count(r) == 0


def test_a_backslash_survives_printing_and_parsing_again() -> None:
    for text in ["a\\", 'title:"x\\\\"', "temp\\x"]:
        f = parse_filter(text)
        assert parse_filter(format_filter(f)) == f
