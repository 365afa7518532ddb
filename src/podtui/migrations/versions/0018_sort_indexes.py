"""order list: indexes for the sorts by order total and by customer

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

Sorting a million items by the order's total or its customer walks these in order, as the sorts
by payment and fulfillment status walk 0003's, instead of sorting every row. The expressions are
the ones the list's SQL writes (`total_sql` and `lower(o.customer_name)` in
services/listing/query.py): the planners use an expression index only for the same expression.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOTAL = {
    "sqlite": "CAST(total AS REAL)",
    # A total that is not a plain decimal counts as 0 (a cast would refuse it).
    "postgresql": (
        "(CASE WHEN total ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN CAST(total AS numeric) ELSE 0 END)"
    ),
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    total = _TOTAL.get(dialect, _TOTAL["sqlite"])
    op.execute(
        f'CREATE INDEX IF NOT EXISTS ix_order_total_created ON "order" ({total}, created_at, id)'
    )
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_order_customer_created "
        'ON "order" (lower(customer_name), created_at, id)'
    )
    if dialect == "sqlite":
        op.execute('ANALYZE "order"')


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_order_customer_created")
    op.execute("DROP INDEX IF EXISTS ix_order_total_created")
