"""product_mapping: keyed on store + product + variant (not SKU); weight and HS code

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-12

SKUs are blank or repeated in real shops, so the SKU leaves the unique key. Rows that the old
key kept apart but the new one does not (same store, product and variant, another SKU) are
merged into the newest of them. The table is made again and the rows copied, which both
SQLite and PostgreSQL do the same way (the old unique constraint has no name to drop).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COPIED = (
    "id, store_id, product_id, variant_id, sku, artwork_id, vendor_id, vendor_product, created_at"
)


def _create(name: str, key: sa.UniqueConstraint, new_columns: bool) -> None:
    extra = (
        [
            sa.Column("weight_grams", sa.Integer(), nullable=True),
            sa.Column("hs_code", sqltypes.AutoString(), nullable=False, server_default=""),
            sa.Column("updated_at", sqltypes.UTCDateTime(), nullable=True),
        ]
        if new_columns
        else []
    )
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sqltypes.AutoString(), nullable=False),
        sa.Column("variant_id", sqltypes.AutoString(), nullable=False),
        sa.Column("sku", sqltypes.AutoString(), nullable=False),
        sa.Column("artwork_id", sa.Integer(), nullable=True),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("vendor_product", sa.JSON(), nullable=False),
        *extra,
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["artwork_id"], ["artwork.id"]),
        sa.ForeignKeyConstraint(["store_id"], ["store.id"]),
        sa.ForeignKeyConstraint(["vendor_id"], ["vendor.id"]),
        sa.PrimaryKeyConstraint("id"),
        key,
    )


def _swap(new_columns: bool, key: sa.UniqueConstraint, rows: str) -> None:
    _create("product_mapping_next", key, new_columns)
    op.execute(
        f"INSERT INTO product_mapping_next ({_COPIED}) SELECT {_COPIED} FROM product_mapping {rows}"
    )
    op.drop_table("product_mapping")
    op.rename_table("product_mapping_next", "product_mapping")
    op.create_index("ix_product_mapping_product_id", "product_mapping", ["product_id"])
    op.create_index("ix_product_mapping_store_id", "product_mapping", ["store_id"])
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('product_mapping', 'id'), "
            "COALESCE((SELECT MAX(id) FROM product_mapping), 1))"
        )


def upgrade() -> None:
    newest = (
        "WHERE id IN (SELECT MAX(id) FROM product_mapping "
        "GROUP BY store_id, product_id, variant_id)"
    )
    key = sa.UniqueConstraint("store_id", "product_id", "variant_id", name="uq_mapping_key")
    _swap(True, key, newest)
    op.execute("UPDATE product_mapping SET updated_at = created_at")
    with op.batch_alter_table("product_mapping", schema=None) as batch_op:
        batch_op.alter_column("updated_at", nullable=False)


def downgrade() -> None:
    _swap(False, sa.UniqueConstraint("store_id", "product_id", "variant_id", "sku"), "")
