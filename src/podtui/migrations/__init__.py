"""Alembic migrations of podtui's schema, applied at every start.

Some objects are made in raw SQL by migrations and have no ORM model (the FTS5 tables of the
title and the search box, with their shadow tables; expression and covering indexes for the order
list). `include_object` keeps autogenerate from proposing to drop them.
"""

from __future__ import annotations

from typing import Any

# Made by 0003_title_search, 0004_list_count_indexes and 0018_sort_indexes; keep in step.
RAW_SQL_INDEXES = frozenset(
    {
        "ix_item_list_status",
        "ix_item_vendor_created",
        "ix_item_archived_created",
        "ix_item_store_created_id",
        "ix_order_store_order_id",
        "ix_order_email_lower",
        "ix_order_source",
        "ix_order_payment_created",
        "ix_order_fulfillment_created",
        "ix_order_name_id",
        "ix_item_order_counts",
        "ix_order_total_created",
        "ix_order_customer_created",
    }
)
# Made on PostgreSQL only: 0003's trigram title index, 0012's archived items by date, 0017's
# trigram indexes of the search box.
POSTGRESQL_ONLY_INDEXES = frozenset(
    {
        "ix_item_title_trgm",
        "ix_item_archived_true_created",
        "ix_item_sku_trgm",
        "ix_order_text_trgm",
        "ix_shipment_tracking_trgm",
    }
)
# SQLite's FTS5 tables (0003's titles, 0017's search box) and their shadow tables.
RAW_SQL_TABLE_PREFIXES = ("order_item_title", "order_item_sku", "order_text", "shipment_tracking")


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Whether autogenerate should compare this object (False for raw-SQL objects)."""
    if type_ == "table" and name and name.startswith(RAW_SQL_TABLE_PREFIXES):
        return False
    raw = RAW_SQL_INDEXES | POSTGRESQL_ONLY_INDEXES
    return not (type_ == "index" and reflected and compare_to is None and name in raw)
