"""order_item.product_type and routing_rule.match_product_type: rules match the store's type

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

A rule can route by the store's own product type (Shopify's "Mug", "T-Shirt"), as well as by
SKU, title, store and country; each item keeps the type its store gave (empty where the store's
order says none, as WooCommerce's do).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): the order list's indexes on order_item stay as they are.
    op.add_column(
        "order_item",
        sa.Column("product_type", sqltypes.AutoString(), nullable=False, server_default=""),
    )
    op.add_column(
        "routing_rule",
        sa.Column("match_product_type", sqltypes.AutoString(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    # Plain DROP COLUMN, as 0010 does: a batch copy of order_item breaks its foreign keys.
    op.drop_column("routing_rule", "match_product_type")
    op.drop_column("order_item", "product_type")
