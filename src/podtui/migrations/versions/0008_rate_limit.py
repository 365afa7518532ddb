"""rate limits shared across processes: one row per vendor

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-09

Two senders on one database (the app and `submit --due` in cron, two operators) each took the
vendor's whole rate from a limiter of their own. The turns now come from one row per vendor
(services/connections/rate_limits.py), plain SQL that SQLite and PostgreSQL both run.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_limit",
        sa.Column("name", sqltypes.AutoString(), nullable=False),
        sa.Column("next_free", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("rate_limit")
