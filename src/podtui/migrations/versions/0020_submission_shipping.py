"""submission: the shipping method chosen at the send confirm, stored before the vendor is called

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06

A recovery resend after a crash builds the vendor order again from the submission: with the
method stored there it ships the way the operator chose. Submissions made before keep NULL, which
means the vendor's configured default, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("submission", sa.Column("shipping_method", sqltypes.AutoString(), nullable=True))


def downgrade() -> None:
    op.drop_column("submission", "shipping_method")
