"""order list: trigram title search and the indexes the list filters and sorts need

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

SQLite: an FTS5 external-content table with the trigram tokenizer indexes order_item.title, so
a partial, case-insensitive title search reads the index instead of every row; triggers keep it
in step (the update trigger fires only when the title changes, so status moves never touch it).
PostgreSQL: a pg_trgm GIN index serves the same ILIKE search, when the extension is available.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_UP = [
    """CREATE VIRTUAL TABLE order_item_title USING fts5(
        title, content='order_item', content_rowid='id', tokenize='trigram')""",
    "INSERT INTO order_item_title(order_item_title) VALUES ('rebuild')",
    """CREATE TRIGGER order_item_title_ai AFTER INSERT ON order_item BEGIN
        INSERT INTO order_item_title(rowid, title) VALUES (new.id, new.title);
    END""",
    """CREATE TRIGGER order_item_title_ad AFTER DELETE ON order_item BEGIN
        INSERT INTO order_item_title(order_item_title, rowid, title)
        VALUES ('delete', old.id, old.title);
    END""",
    """CREATE TRIGGER order_item_title_au AFTER UPDATE OF title ON order_item BEGIN
        INSERT INTO order_item_title(order_item_title, rowid, title)
        VALUES ('delete', old.id, old.title);
        INSERT INTO order_item_title(rowid, title) VALUES (new.id, new.title);
    END""",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS order_item_title_au",
    "DROP TRIGGER IF EXISTS order_item_title_ad",
    "DROP TRIGGER IF EXISTS order_item_title_ai",
    "DROP TABLE IF EXISTS order_item_title",
]

# name -> (table, expression list); both dialects accept these.
_INDEXES = {
    # Counts of a filter come from covering indexes: no table row is read to count.
    "ix_item_list_status": (
        "order_item",
        "archived, managed, status, vendor_id, store_id, order_created_at",
    ),
    "ix_item_vendor_created": ("order_item", "vendor_id, order_created_at, id"),
    "ix_item_archived_created": ("order_item", "archived, order_created_at, id"),
    "ix_item_store_created_id": ("order_item", "store_id, order_created_at, id"),
    # Lookups by the store's order id and by e-mail prefix, case-insensitively.
    "ix_order_store_order_id": ('"order"', "store_order_id"),
    "ix_order_email_lower": ('"order"', "lower(customer_email)"),
    "ix_order_source": ('"order"', "source, created_at, id"),
    # Sorts by the store's payment and fulfillment status walk these instead of sorting.
    "ix_order_payment_created": ('"order"', "payment_status, created_at, id"),
    "ix_order_fulfillment_created": ('"order"', "store_fulfillment_status, created_at, id"),
    "ix_order_name_id": ('"order"', "name, id"),
}


def upgrade() -> None:
    bind = op.get_bind()
    for name, (table, columns) in _INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_UP:
            op.execute(statement)
        op.execute("ANALYZE")
    elif bind.dialect.name == "postgresql":
        # pg_trgm needs CREATE privilege on the database; without it ILIKE still works, unindexed.
        op.execute(
            """DO $$ BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX IF NOT EXISTS ix_item_title_trgm
                    ON order_item USING gin (title gin_trgm_ops);
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE NOTICE 'pg_trgm unavailable: title search runs unindexed';
            END $$"""
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in _SQLITE_DOWN:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_item_title_trgm")
    for name in _INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
