"""order: return_status, what came back of a fulfilled order (returns made from podtui)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("return_status", sqltypes.AutoString(), nullable=False, server_default="")
        )


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a copy of "order" could not be dropped and
    # recreated under the foreign keys that point at it.
    with op.batch_alter_table("order", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("return_status")
