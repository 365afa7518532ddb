"""order: test flag and notices; order_item: what the store took back after sending

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-20

A test order (Shopify `test`, a WooCommerce store's own rule) is never printed; what the sync had
to read into an order (a shipping address taken from billing, a country name read as a code) is
said on the order; an item whose line the store refunded after it was sent says so.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMN (no table copy): other tables' foreign keys and the expression
    # indexes on "order" stay as they are.
    op.add_column(
        "order", sa.Column("test", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.add_column("order", sa.Column("notices", sa.JSON(), nullable=False, server_default="[]"))
    op.create_index("ix_order_test", "order", ["test"], unique=False)
    op.add_column("order_item", sa.Column("store_flag", sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    op.drop_column("order_item", "store_flag")
    op.drop_index("ix_order_test", table_name="order")
    op.drop_column("order", "notices")
    op.drop_column("order", "test")
