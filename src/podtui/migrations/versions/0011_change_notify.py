"""PostgreSQL: notify `podtui_changes` once per transaction that changes orders, items or events

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

Every podtui's order list LISTENs on `podtui_changes` and reloads when it hears one, so an
operator sees what another machine did. The triggers are per statement, and PostgreSQL delivers
a notification only at commit, folding identical ones of one transaction into one: a bulk
action of 500 items in one transaction is one notification, and a rolled-back one is none.
SQLite needs nothing: its list watches `PRAGMA data_version`.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = {"order": "order", "order_item": "order_item", "event": "event", "note": "note"}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """CREATE OR REPLACE FUNCTION podtui_notify_change() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('podtui_changes', '');
            RETURN NULL;
        END $$ LANGUAGE plpgsql"""
    )
    for name, table in _TABLES.items():
        op.execute(
            f'CREATE TRIGGER podtui_notify_{name} AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION podtui_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table in _TABLES.items():
        op.execute(f'DROP TRIGGER IF EXISTS podtui_notify_{name} ON "{table}"')
    op.execute("DROP FUNCTION IF EXISTS podtui_notify_change()")
