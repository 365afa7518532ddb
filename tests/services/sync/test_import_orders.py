"""Import on request (the Sync screen's import): all, a date range or order ids, each checked
before anything runs; progress from the sync's own pages; a stop that keeps what came in."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlmodel import select

from podtui.db import Database
from podtui.domain.errors import DomainError, ValidationError
from podtui.domain.models import Order, Store
from podtui.sandbox.woocommerce import SandboxWooStore
from podtui.services.sync.import_orders import ImportProgress, ImportRun, import_request
from tests.adapters.stores.woo_support import Clock
from tests.services.sync.import_support import NOW, fill, order_count


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"date_from": "2026-11-30", "date_to": "2026-11-01"}, "date_to", "before it starts"),
        ({"date_from": "30/11/2026"}, "date_from", "not a date like 2026-11-30"),
        ({"date_from": ""}, "date_from", "first day"),
        ({"date_from": "2027-01-01"}, "date_from", "future"),
    ],
)
def test_a_bad_date_range_is_refused_before_anything_runs(
    kwargs: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        import_request("range", now=NOW, **kwargs)
    assert field in caught.value.fields
    assert words in str(caught.value) + caught.value.fields[field]


@pytest.mark.parametrize(
    ("ids", "words"), [("", "at least one"), ("1042, abc", "'abc' is not an order id")]
)
def test_bad_order_ids_are_refused(ids: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        import_request("ids", ids=ids, now=NOW)
    assert words in str(caught.value) + caught.value.fields["ids"]


def test_ids_read_as_typed() -> None:
    request = import_request("ids", ids="#1042, 1043 1042\n1044", now=NOW)
    assert request.options.ids == ("1042", "1043", "1044")
    assert request.describe() == "orders 1042, 1043, 1044 from every store"


@pytest.mark.usefixtures("store")
def test_an_unknown_order_id_is_said_before_anything_is_imported(
    db: Database, woo: SandboxWooStore
) -> None:
    fill(woo, 5)
    run = ImportRun(db, import_request("ids", ids="3, 99", now=NOW))
    with pytest.raises(ValidationError) as caught:
        run.run()
    assert "99" in str(caught.value) and "Loopback Woo" in str(caught.value)
    assert order_count(db) == 0


@pytest.mark.usefixtures("store")
def test_import_by_ids_then_again_counts_updates(
    db: Database, woo: SandboxWooStore, clock: Clock
) -> None:
    fill(woo, 5)
    summary = ImportRun(db, import_request("ids", ids="3, 4", now=NOW)).run()
    assert (summary.imported, summary.updated, summary.problems) == (2, 0, 0)
    assert order_count(db) == 2
    clock.tick(5)
    woo.update_order(3, customer_note="Gift wrap please")
    again = ImportRun(db, import_request("ids", ids="3,4", now=NOW)).run()
    assert (again.imported, again.updated) == (0, 1)
    assert again.headline() == "Imported 0 orders, 1 updated, 0 problems"


@pytest.mark.usefixtures("store")
def test_import_a_date_range_with_progress_per_page(db: Database, woo: SandboxWooStore) -> None:
    fill(woo, 250)
    events: list[ImportProgress] = []
    request = import_request("range", date_from="2026-11-05", date_to="2026-11-30", now=NOW)
    summary = ImportRun(db, request, on_progress=events.append).run()
    with db.read() as session:
        created = session.exec(select(Order.created_at)).all()
    assert summary.imported == len(created) > 100  # more than a page
    assert all(
        datetime(2026, 11, 4, tzinfo=UTC)
        < c.replace(tzinfo=UTC)
        < datetime(2026, 12, 2, tzinfo=UTC)
        for c in created
    )
    pages = [e for e in events if e.phase == "importing" and e.pages]
    assert [e.pages for e in pages] == list(range(1, len(pages) + 1))
    assert pages[-1].pages == pages[-1].pages_total and pages[-1].orders == summary.imported
    assert pages[0].store == "Loopback Woo" and pages[0].stores == 1


@pytest.mark.usefixtures("store")
def test_import_all_from_one_named_store(db: Database, woo: SandboxWooStore) -> None:
    fill(woo, 12)
    summary = ImportRun(db, import_request("all", stores=("Loopback Woo",), now=NOW)).run()
    assert summary.imported == 12 and not summary.stopped
    with pytest.raises(DomainError, match="No store named Elsewhere"):
        ImportRun(db, import_request("all", stores=("Elsewhere",), now=NOW)).run()


def test_stopping_keeps_the_pages_already_imported(
    db: Database, woo: SandboxWooStore, gated: threading.Event
) -> None:
    fill(woo, 250)
    first_page = threading.Event()

    def progress(event: ImportProgress) -> None:
        if event.phase == "importing" and event.pages == 1:
            first_page.set()

    run = ImportRun(db, import_request("all", now=NOW), on_progress=progress)
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(run.run()))
    worker.start()
    assert first_page.wait(30)
    run.stop()  # while the next pages hang at the store
    worker.join(30)
    gated.set()
    assert not worker.is_alive()
    summary = results[0]
    assert summary.stopped and summary.imported == 100  # type: ignore[attr-defined]
    assert "stopped" in summary.headline()  # type: ignore[attr-defined]
    assert order_count(db) == 100
    with db.read() as session:
        store = session.exec(select(Store)).one()
    # A stop is no failure, and the next incremental sync must still ask for everything.
    assert store.sync_failures == 0 and store.last_sync_error is None
    assert store.sync_cursor is None


@pytest.mark.usefixtures("store")
def test_an_order_number_podtui_knows_reads_as_its_store_id(
    db: Database, woo: SandboxWooStore, clock: Clock
) -> None:
    """Operators know orders by their number (#1001); Shopify's ids are long numbers."""
    fill(woo, 5)
    ImportRun(db, import_request("ids", ids="3", now=NOW)).run()
    with db.write() as session:
        order = session.exec(select(Order)).one()
        order.name, order.number = "#5003", "5003"  # a store whose numbers are not its ids
        session.add(order)
    clock.tick(5)
    woo.update_order(3, customer_note="Gift wrap please")
    summary = ImportRun(db, import_request("ids", ids="#5003", now=NOW)).run()
    assert (summary.imported, summary.updated) == (0, 1)
