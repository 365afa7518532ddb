"""order list: a covering index for counting the items of a set of orders

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05

Filters on an order's columns (source, customer e-mail, order name) reach the items through
`order_item.order_id`. Counting them per status then read every matching item's table row;
with the status columns in the order-id index, the tab counts read the index alone (a source
filter over 1,000,000 items: 530 ms -> 310 ms; an e-mail prefix: 230 ms -> 110 ms).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# name -> (table, columns); both dialects accept these. Keep in step with RAW_SQL_INDEXES.
_INDEXES = {
    "ix_item_order_counts": (
        "order_item",
        "order_id, archived, managed, status, vendor_id, store_id, order_created_at",
    ),
}


def upgrade() -> None:
    for name, (table, columns) in _INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ANALYZE")


def downgrade() -> None:
    for name in _INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
