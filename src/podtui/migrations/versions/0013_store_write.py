"""store_write: changes asked of a store, each with podtui's idempotency key

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

A row is committed before the store is called, so a lost answer is looked up by its key before
anything is asked again (services/store_ops/writes.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "store_write",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqltypes.AutoString(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("operation", sqltypes.AutoString(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("notify", sa.Boolean(), nullable=True),
        sa.Column("state", sqltypes.AutoString(), nullable=False),
        sa.Column("store_ref", sqltypes.AutoString(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("user", sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["order.id"]),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("store_write", schema=None) as batch_op:
        batch_op.create_index("ix_store_write_order_state", ["order_id", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("store_write", schema=None) as batch_op:
        batch_op.drop_index("ix_store_write_order_state")
    op.drop_table("store_write")
