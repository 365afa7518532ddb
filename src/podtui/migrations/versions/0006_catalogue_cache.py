"""catalogue_cache: vendor catalogue answers kept with the time they were fetched

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-12

Printify's blueprint list (1,000+ rows) is read once and searched from here; a product's
providers and variants are kept the first time they are opened.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalogue_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("key", sqltypes.AutoString(), nullable=False),
        sa.Column("fetched_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendor.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("vendor_id", "key"),
    )
    with op.batch_alter_table("catalogue_cache", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalogue_cache_vendor_id"), ["vendor_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("catalogue_cache", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_cache_vendor_id"))
    op.drop_table("catalogue_cache")
