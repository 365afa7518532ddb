"""artwork: the library's kind, content hash and source

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-12

Artwork added with `podtui artwork add` is copied into the data directory under the sha256 of
its file and every asset its template names, so the same artwork twice is one row.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("artwork", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sqltypes.AutoString(), nullable=False, server_default="template")
        )
        batch_op.add_column(sa.Column("content_hash", sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column("source", sqltypes.AutoString(), nullable=False, server_default="")
        )
        batch_op.create_unique_constraint("uq_artwork_content_hash", ["content_hash"])


def downgrade() -> None:
    with op.batch_alter_table("artwork", schema=None) as batch_op:
        batch_op.drop_constraint("uq_artwork_content_hash", type_="unique")
        batch_op.drop_column("source")
        batch_op.drop_column("content_hash")
        batch_op.drop_column("kind")
