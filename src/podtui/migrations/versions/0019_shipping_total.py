"""orders: what the customer paid for shipping, shown beside the totals

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06

WooCommerce orders synced before keep their shipping total in the stored payload
(`shipping_total`): it is read from there. Shopify's was not asked for until now: its orders
show 0.00 until their next sync.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FROM_PAYLOAD = {
    "sqlite": (
        """UPDATE "order" SET shipping_total = printf('%.2f', json_extract(raw, '$.shipping_total'))
        WHERE json_valid(raw) AND json_extract(raw, '$.shipping_total') GLOB '[0-9]*'
        AND json_extract(raw, '$.shipping_total') NOT GLOB '*[^0-9.]*'"""
    ),
    "postgresql": (
        """UPDATE "order" SET shipping_total =
            to_char(CAST(raw->>'shipping_total' AS numeric), 'FM9999999990.00')
        WHERE raw->>'shipping_total' ~ '^[0-9]+(\\.[0-9]+)?$'"""
    ),
}


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): the expression indexes on "order" stay as they are.
    op.add_column(
        "order",
        sa.Column("shipping_total", sqltypes.AutoString(), nullable=False, server_default="0.00"),
    )
    backfill = _FROM_PAYLOAD.get(op.get_bind().dialect.name)
    if backfill:
        op.execute(backfill)


def downgrade() -> None:
    op.drop_column("order", "shipping_total")
