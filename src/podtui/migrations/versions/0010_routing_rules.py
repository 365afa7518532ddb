"""routing_rule: ordered rules routing the items no mapping covers; order_item.rule_id

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

A shop with hundreds of products routes by rules (SKU glob, title, store, destination country ->
vendor and queue, artwork, approval); an item remembers the rule that routed it, so a changed rule
can move its items and a send can read the vendor's ids from it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "routing_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sqltypes.AutoString(), nullable=False),
        sa.Column("match_sku", sqltypes.AutoString(), nullable=False),
        sa.Column("match_title", sqltypes.AutoString(), nullable=False),
        sa.Column("match_store_id", sa.Integer(), nullable=True),
        sa.Column("match_countries", sa.JSON(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("vendor_product", sa.JSON(), nullable=False),
        sa.Column("artwork_id", sa.Integer(), nullable=True),
        sa.Column("approve", sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["artwork_id"], ["artwork.id"]),
        sa.ForeignKeyConstraint(["match_store_id"], ["store.id"]),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendor.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("routing_rule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_routing_rule_position"), ["position"], unique=False)
    # Plain ADD COLUMN (no table copy): the order list's indexes on order_item stay as they are.
    op.add_column("order_item", sa.Column("rule_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("order_item", "rule_id")
    with op.batch_alter_table("routing_rule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_routing_rule_position"))
    op.drop_table("routing_rule")
