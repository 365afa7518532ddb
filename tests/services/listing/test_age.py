"""Order age: the `age:` filter term, each row's age and lateness, and the count of late items."""

from __future__ import annotations

from datetime import timedelta

import pytest

from podtui.config import ConfigError, parse_config
from podtui.db import Database
from podtui.domain.errors import ValidationError
from podtui.domain.status import ItemStatus
from podtui.services.listing.filters import parse_filter
from podtui.services.listing.query import Resolved
from podtui.services.listing.reader import ListReader
from tests.screens.orders.data import NOW, Shop, seed_shop
from tests.services.listing.test_query import all_items, newest_first, page_all, q, visible

DONE = {ItemStatus.FULFILLED, ItemStatus.CANCELED, ItemStatus.IGNORED}


@pytest.fixture
def shop(db: Database) -> Shop:
    return seed_shop(db)


@pytest.fixture
def reader(db: Database, shop: Shop) -> ListReader:
    r = ListReader(db.url)
    yield r  # type: ignore[misc]
    r.close()


def test_age_terms_parse_and_print_back() -> None:
    f = parse_filter("age:>3d age:<12H")
    assert f.ages == (">3d", "<12h")
    assert f.text() == "age:>3d age:<12h"
    assert parse_filter(f.text()) == f
    assert parse_filter("age:>90m").ages == (">90m",)
    assert parse_filter("age:<2w").ages == ("<2w",)


@pytest.mark.parametrize("text", ["age:3d", "age:>3", "age:>d", "age:>3y", "age:=3d", "age:>-1d"])
def test_bad_age_terms_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_filter(text)
    assert "age" in caught.value.fields


@pytest.mark.parametrize(
    ("text", "keep"),
    [
        ("age:>3d", lambda age: age > timedelta(days=3)),
        ("age:<12h", lambda age: age < timedelta(hours=12)),
        ("age:>1d age:<3d", lambda age: timedelta(days=1) < age < timedelta(days=3)),
        ("age:>2d status:ready", None),
    ],
)
def test_the_age_filter_shows_exactly_the_items_of_that_age(
    db: Database, reader: ListReader, text: str, keep: object
) -> None:
    items = visible(all_items(db))
    if keep is None:  # age and status together
        wanted = [
            i for i in items if NOW - i.created > timedelta(days=2) and i.status is ItemStatus.READY
        ]
    else:
        wanted = [i for i in items if keep(NOW - i.created)]  # type: ignore[operator]
    expected = newest_first(wanted)
    assert expected, "the seed should give every filter something to find"
    assert page_all(reader, q(text)) == expected
    assert reader.count(reader.resolve(q(text), NOW)) == len(expected)


def test_rows_know_when_they_are_late(db: Database, reader: ListReader) -> None:
    reader.turnaround_days = {"Main Shopify": 3.0}
    late = sorted(
        i.id
        for i in visible(all_items(db))
        if i.store_id == 1 and NOW - i.created > timedelta(days=3) and i.status not in DONE
    )
    assert late, "the seed should have late items"
    rows = reader.window(reader.resolve(q(), NOW), oq_first(1000)).rows
    assert sorted(r.item_ids[0] for r in rows if r.late_at and r.late_at <= NOW) == late
    assert reader.tab_counts(Resolved(), NOW).late["all"] == len(late)
    reader.turnaround_days = {}
    assert reader.tab_counts(Resolved(), NOW).late["all"] == 0


def _late(db: Database, days: float, keep: object) -> list[int]:
    return sorted(
        i.id
        for i in visible(all_items(db))
        if i.store_id == 1
        and NOW - i.created > timedelta(days=days)
        and i.status not in DONE
        and keep(i)  # type: ignore[operator]
    )


def test_late_counts_follow_the_filter_and_each_tab(db: Database, reader: ListReader) -> None:
    """The late count is read with the tab counts, in the same query: per tab, under the filter."""
    reader.turnaround_days = {"Main Shopify": 3.0}
    base = reader.resolve(q("vendor:printify"), NOW)
    counts = reader.tab_counts(base, NOW)
    everywhere = _late(db, 3.0, lambda i: True)
    printify = _late(db, 3.0, lambda i: i.vendor == "Printify")
    assert printify and len(printify) < len(everywhere), "the seed should tell them apart"
    assert counts.late["all"] == len(printify)
    for status in ItemStatus:
        expected = _late(db, 3.0, lambda i, s=status: i.vendor == "Printify" and i.status is s)
        assert counts.late.get(status.value, 0) == len(expected), status
    assert counts.late.get("archived", 0) == 0
    # Without a promise nothing is late, and the counts are the plain tab counts.
    reader.turnaround_days = {}
    plain = reader.tab_counts(base, NOW)
    assert plain.items == counts.items and not any(plain.late.values())


def oq_first(n: int):  # type: ignore[no-untyped-def]
    from podtui.services.listing.query import WindowRequest

    return WindowRequest("first", n)


def test_turnaround_is_read_from_the_config_and_checked() -> None:
    cfg = parse_config({"stores": {"Main Shopify": {"turnaround_days": 3, "auto_submit_hours": 2}}})
    assert cfg.turnaround_days == {"Main Shopify": 3.0}
    for bad in (0, -1, "3", True):
        with pytest.raises(ConfigError, match="turnaround_days"):
            parse_config({"stores": {"Main Shopify": {"turnaround_days": bad}}})
