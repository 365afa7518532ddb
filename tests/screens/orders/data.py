"""A small shop, the same every run: 32 orders, 48 items across every status, vendor and store.

Built through the models (real SQLite file, real migrations), with times fixed around NOW, so
tests and snapshots of the order list see exactly the same rows every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from podtui.db import Database
from podtui.domain.models import (
    Order,
    OrderItem,
    Store,
    Submission,
    SubmissionItem,
    Vendor,
)
from podtui.domain.status import ItemStatus

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
STATUSES = list(ItemStatus)
TITLES = [
    "Custom Pet Portrait Mug",
    "Personalized Name Necklace",
    "Family Tree Canvas",
    "Star Map Poster",
    "Monogram Tote Bag",
    "Ünïcode Tee",
]
FIRST = ["Ann", "Bob", "Chloe", "Dev", "Eva", "Finn", "Gita", "Hugo"]
LAST = ["Smith", "Ng", "Garcia", "Okafor"]
CITIES = [("Austin", "TX", "US"), ("Leeds", "", "GB"), ("Toronto", "ON", "CA")]
SOURCES = ["store", "store", "etsy", "amazon"]


@dataclass(frozen=True)
class Shop:
    """Ids of what was seeded, for assertions."""

    stores: dict[str, int]
    vendors: dict[str, int]
    items: list[int]
    orders: list[int]


def order_created(o: int) -> datetime:
    """Orders 1-4 are old (200, 60, 70, 80 days); the rest are one every 7 hours up to NOW."""
    if o <= 4:
        return NOW - timedelta(days=200 if o == 1 else 40 + o * 10)
    return NOW - timedelta(hours=7 * (32 - o))


def seed_shop(db: Database) -> Shop:
    with db.write() as s:
        stores = [
            Store(name="Main Shopify", kind="shopify", auto_submit_hours=2.0),
            Store(name="Woo Outlet", kind="woocommerce"),
            Store(name="Etsy Bridge", kind="sandbox"),
        ]
        vendors = [
            Vendor(name="Printify", kind="printify"),
            Vendor(name="Printful", kind="printful"),
            Vendor(name="In-house", kind="hotfolder"),
            Vendor(name="Local Embroidery", kind="manual"),
        ]
        for row in (*stores, *vendors):
            row.created_at = NOW - timedelta(days=400)
            s.add(row)
        s.flush()
        items: list[int] = []
        orders: list[int] = []
        k = 0
        for o in range(1, 33):
            created = order_created(o)
            store = stores[o % 3]
            first, last = FIRST[o % len(FIRST)], LAST[o % len(LAST)]
            city, state, country = CITIES[o % len(CITIES)]
            order = Order(
                store_id=store.id or 0,
                store_order_id=str(5000 + o),
                name=f"#{1000 + o}",
                number=str(1000 + o),
                created_at=created,
                customer_name=f"{first} {last}",
                customer_email=f"{first.lower()}.{last.lower()}{o}@example.com",
                ship_city=city,
                ship_state=state,
                ship_country=country,
                total=f"{20 + o}.50",
                currency="USD",
                payment_method=["card", "paypal"][o % 2],
                payment_status=["paid", "pending", "refunded"][o % 3],
                store_fulfillment_status=["unfulfilled", "partial", "fulfilled"][o % 3],
                source=SOURCES[o % 4],
                archived=o <= 2,
                synced_at=NOW,
            )
            s.add(order)
            s.flush()
            orders.append(order.id or 0)
            for _line in range(1 + (o % 3 == 0) + (o % 5 == 0)):
                status = STATUSES[k % len(STATUSES)]
                # Each status meets every vendor once in a while (k // 12 turns over slowly).
                vendor = None if status is ItemStatus.MISSING_ARTWORK else vendors[(k // 12) % 4]
                item = OrderItem(
                    order_id=order.id or 0,
                    store_line_id=f"L{k}",
                    product_id=f"P{k % len(TITLES)}",
                    sku=f"SKU-{k % len(TITLES)}",
                    title=TITLES[k % len(TITLES)],
                    variant_title=["S / White", "M / Black", "11oz"][k % 3],
                    quantity=1 + (k % 4 == 0),
                    unit_price="19.00",
                    status=status,
                    status_before=ItemStatus.READY
                    if status in (ItemStatus.ON_HOLD, ItemStatus.IGNORED, ItemStatus.CANCELED)
                    else None,
                    hold_reason="Address needs checking" if status is ItemStatus.ON_HOLD else None,
                    managed=k % 11 != 5,
                    vendor_id=vendor.id if vendor else None,
                    submitted_at=created + timedelta(hours=1)
                    if status
                    in (
                        ItemStatus.SENDING,
                        ItemStatus.SENT,
                        ItemStatus.IN_PRODUCTION,
                        ItemStatus.FULFILLED,
                        ItemStatus.FAILED,
                    )
                    else None,
                    auto_submit_at=NOW + timedelta(minutes=30 + 10 * k)
                    if status is ItemStatus.READY and store.auto_submit_hours
                    else None,
                    store_id=store.id or 0,
                    order_created_at=created,
                    archived=order.archived,
                    created_at=created,
                    updated_at=created,
                )
                s.add(item)
                s.flush()
                items.append(item.id or 0)
                if status is ItemStatus.FAILED and vendor is not None:
                    sub = Submission(
                        idempotency_key=f"podtui-{item.id}",
                        vendor_id=vendor.id or 0,
                        state="failed",
                        error_code="invalid_print_area",
                        error_message="Print area too small for the design",
                        http_status=422,
                    )
                    s.add(sub)
                    s.flush()
                    s.add(SubmissionItem(submission_id=sub.id or 0, item_id=item.id or 0))
                k += 1
        return Shop(
            stores={st.name: st.id or 0 for st in stores},
            vendors={v.name: v.id or 0 for v in vendors},
            items=items,
            orders=orders,
        )
