"""event: index (item_id, at) for per-item timelines

It replaces the single-column index on item_id, which is its prefix.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_item_at", ["item_id", "at"], unique=False)
        batch_op.drop_index("ix_event_item_id")


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_item_id", ["item_id"], unique=False)
        batch_op.drop_index("ix_event_item_at")
