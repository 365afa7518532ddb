"""order list: one search box over the order, its items and its parcels

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

A bare word in the filter matches the order's name and number, the customer's name and e-mail,
the city, the item's SKU and title, and the parcels' tracking numbers, as a case-insensitive
substring. Each needs an index, or a word that matches few rows reads every row:
SQLite: FTS5 trigram tables with external content (the title's is 0003's), kept in step by
triggers that fire only when a searched column changes. PostgreSQL: pg_trgm GIN indexes, the
order's on one expression joining its searched columns (the list's SQL writes the same
expression, `order_text()` in services/listing/query.py).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# FTS5 table -> (content table, searched columns); the triggers are named after the FTS table.
_SQLITE_TABLES = {
    "order_item_sku": ("order_item", ("sku",)),
    "order_text": (
        '"order"',
        ("name", "number", "store_order_id", "customer_name", "customer_email", "ship_city"),
    ),
    "shipment_tracking": ("shipment", ("tracking_number",)),
}

# Keep in step with order_text() in services/listing/query.py: the planner uses the index only
# for the same expression.
ORDER_TEXT = " || E'\\x1f' || ".join(
    ("name", "number", "store_order_id", "customer_name", "customer_email", "ship_city")
)
_PG_INDEXES = {
    "ix_item_sku_trgm": ("order_item", "sku gin_trgm_ops"),
    "ix_order_text_trgm": ('"order"', f"({ORDER_TEXT}) gin_trgm_ops"),
    "ix_shipment_tracking_trgm": ("shipment", "tracking_number gin_trgm_ops"),
}


def _sqlite_up(name: str, table: str, columns: tuple[str, ...]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    content = table.strip('"')
    return [
        f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='{content}', "
        "content_rowid='id', tokenize='trigram')",
        f"INSERT INTO {name}({name}) VALUES ('rebuild')",
        f"CREATE TRIGGER {name}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {name}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {name}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {name}({name}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {name}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name, (table, columns) in _SQLITE_TABLES.items():
            for statement in _sqlite_up(name, table, columns):
                op.execute(statement)
    elif bind.dialect.name == "postgresql":
        creates = "\n".join(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression});"
            for name, (table, expression) in _PG_INDEXES.items()
        )
        # As 0003: without pg_trgm (no CREATE privilege) the search still works, unindexed.
        op.execute(
            f"""DO $$ BEGIN
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                {creates}
            EXCEPTION WHEN insufficient_privilege THEN
                RAISE NOTICE 'pg_trgm unavailable: the search box runs unindexed';
            END $$"""
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in _SQLITE_TABLES:
            for suffix in ("au", "ad", "ai"):
                op.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {name}")
    elif bind.dialect.name == "postgresql":
        for name in _PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
