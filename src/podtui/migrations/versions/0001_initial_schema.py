"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql import sqltypes

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "artwork",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqltypes.AutoString(), nullable=False),
        sa.Column("template", sqltypes.AutoString(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("preview_path", sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("artwork", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_artwork_name"), ["name"], unique=False)

    op.create_table(
        "store",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqltypes.AutoString(), nullable=False),
        sa.Column("base_url", sqltypes.AutoString(), nullable=False),
        sa.Column("auto_submit_hours", sa.Float(), nullable=False),
        sa.Column("sync_cursor", sqltypes.AutoString(), nullable=True),
        sa.Column("last_sync_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_sync_ok_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_sync_error", sqltypes.AutoString(), nullable=True),
        sa.Column("sync_failures", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_store_name"), ["name"], unique=True)

    op.create_table(
        "vendor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqltypes.AutoString(), nullable=False),
        sa.Column("base_url", sqltypes.AutoString(), nullable=False),
        sa.Column("rate_limit_per_min", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("vendor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vendor_name"), ["name"], unique=True)

    op.create_table(
        "order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("store_order_id", sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqltypes.AutoString(), nullable=False),
        sa.Column("number", sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("store_updated_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("customer_name", sqltypes.AutoString(), nullable=False),
        sa.Column("customer_email", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_name", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_company", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_address1", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_address2", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_city", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_state", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_postal_code", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_country", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_phone", sqltypes.AutoString(), nullable=False),
        sa.Column("ship_email", sqltypes.AutoString(), nullable=False),
        sa.Column("shipping_method", sqltypes.AutoString(), nullable=False),
        sa.Column("subtotal", sqltypes.AutoString(), nullable=False),
        sa.Column("total", sqltypes.AutoString(), nullable=False),
        sa.Column("currency", sqltypes.AutoString(), nullable=False),
        sa.Column("payment_method", sqltypes.AutoString(), nullable=False),
        sa.Column("store_status", sqltypes.AutoString(), nullable=False),
        sa.Column("payment_status", sqltypes.AutoString(), nullable=False),
        sa.Column("store_fulfillment_status", sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqltypes.AutoString(), nullable=False),
        sa.Column("customer_note", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("local_edits", sa.JSON(), nullable=False),
        sa.Column("store_pending", sa.JSON(), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.Column("synced_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["store.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "store_order_id"),
    )
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_archived"), ["archived"], unique=False)
        batch_op.create_index("ix_order_created", ["created_at", "id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_order_customer_email"), ["customer_email"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_order_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_store_id"), ["store_id"], unique=False)

    op.create_table(
        "product_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sqltypes.AutoString(), nullable=False),
        sa.Column("variant_id", sqltypes.AutoString(), nullable=False),
        sa.Column("sku", sqltypes.AutoString(), nullable=False),
        sa.Column("artwork_id", sa.Integer(), nullable=True),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("vendor_product", sa.JSON(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["artwork_id"],
            ["artwork.id"],
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["store.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["vendor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("store_id", "product_id", "variant_id", "sku"),
    )
    with op.batch_alter_table("product_mapping", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_mapping_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_product_mapping_store_id"), ["store_id"], unique=False)

    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sqltypes.AutoString(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=False),
        sa.Column("state", sqltypes.AutoString(), nullable=False),
        sa.Column("vendor_order_id", sqltypes.AutoString(), nullable=True),
        sa.Column("vendor_status", sqltypes.AutoString(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error_code", sqltypes.AutoString(), nullable=True),
        sa.Column("error_message", sqltypes.AutoString(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("raw_response", sa.Text(), nullable=True),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["vendor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idempotency_key"),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_vendor_id"), ["vendor_id"], unique=False)

    op.create_table(
        "sync_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("store_order_id", sqltypes.AutoString(), nullable=True),
        sa.Column("reason", sqltypes.AutoString(), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["store.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sync_problem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_problem_store_id"), ["store_id"], unique=False)

    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("author", sqltypes.AutoString(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_order_id"), ["order_id"], unique=False)

    op.create_table(
        "order_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("store_line_id", sqltypes.AutoString(), nullable=False),
        sa.Column("product_id", sqltypes.AutoString(), nullable=False),
        sa.Column("variant_id", sqltypes.AutoString(), nullable=False),
        sa.Column("sku", sqltypes.AutoString(), nullable=False),
        sa.Column("title", sqltypes.AutoString(), nullable=False),
        sa.Column("variant_title", sqltypes.AutoString(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sqltypes.AutoString(), nullable=False),
        sa.Column("personalization_raw", sa.JSON(), nullable=False),
        sa.Column("personalization", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "missing_artwork",
                "waiting_approval",
                "rendering",
                "ready",
                "on_hold",
                "sending",
                "sent",
                "in_production",
                "fulfilled",
                "failed",
                "canceled",
                "ignored",
                name="itemstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column(
            "status_before",
            sa.Enum(
                "missing_artwork",
                "waiting_approval",
                "rendering",
                "ready",
                "on_hold",
                "sending",
                "sent",
                "in_production",
                "fulfilled",
                "failed",
                "canceled",
                "ignored",
                name="itemstatus",
                native_enum=False,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("hold_reason", sqltypes.AutoString(), nullable=True),
        sa.Column("managed", sa.Boolean(), nullable=False),
        sa.Column("vendor_id", sa.Integer(), nullable=True),
        sa.Column("artwork_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("auto_submit_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("order_created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["artwork_id"],
            ["artwork.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["order_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["store_id"],
            ["store.id"],
        ),
        sa.ForeignKeyConstraint(
            ["vendor_id"],
            ["vendor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("order_item", schema=None) as batch_op:
        batch_op.create_index(
            "ix_item_archived_status", ["archived", "managed", "status"], unique=False
        )
        batch_op.create_index("ix_item_created", ["order_created_at", "id"], unique=False)
        batch_op.create_index("ix_item_due", ["status", "auto_submit_at"], unique=False)
        batch_op.create_index(
            "ix_item_status_created", ["status", "order_created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_item_store_created", ["store_id", "order_created_at"], unique=False
        )
        batch_op.create_index("ix_item_vendor_status", ["vendor_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_item_order_id"), ["order_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_item_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_order_item_sku"), ["sku"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("user", sqltypes.AutoString(), nullable=False),
        sa.Column("type", sqltypes.AutoString(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("from_status", sqltypes.AutoString(), nullable=True),
        sa.Column("to_status", sqltypes.AutoString(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["order_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_item_id"), ["item_id"], unique=False)
        batch_op.create_index("ix_event_order_at", ["order_id", "at"], unique=False)

    op.create_table(
        "print_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("path", sqltypes.AutoString(), nullable=False),
        sa.Column("preview_path", sqltypes.AutoString(), nullable=True),
        sa.Column("mockup_path", sqltypes.AutoString(), nullable=True),
        sa.Column("sha256", sqltypes.AutoString(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("dpi", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["order_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("print_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_print_file_item_id"), ["item_id"], unique=False)

    op.create_table(
        "render_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("state", sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sqltypes.AutoString(), nullable=True),
        sa.Column("claimed_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("error", sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["order_item.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("render_job", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_render_job_item_id"), ["item_id"], unique=False)
        batch_op.create_index("ix_render_job_state", ["state", "id"], unique=False)

    op.create_table(
        "shipment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("carrier", sqltypes.AutoString(), nullable=False),
        sa.Column("tracking_number", sqltypes.AutoString(), nullable=False),
        sa.Column("tracking_url", sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqltypes.AutoString(), nullable=False),
        sa.Column("shipped_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("pushed_to_store_at", sqltypes.UTCDateTime(), nullable=True),
        sa.Column("created_at", sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["order_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("shipment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_shipment_item_id"), ["item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_shipment_order_id"), ["order_id"], unique=False)

    op.create_table(
        "submission_item",
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["order_item.id"],
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
        ),
        sa.PrimaryKeyConstraint("submission_id", "item_id"),
    )
    with op.batch_alter_table("submission_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_item_item_id"), ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("submission_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_item_item_id"))

    op.drop_table("submission_item")
    with op.batch_alter_table("shipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shipment_order_id"))
        batch_op.drop_index(batch_op.f("ix_shipment_item_id"))

    op.drop_table("shipment")
    with op.batch_alter_table("render_job", schema=None) as batch_op:
        batch_op.drop_index("ix_render_job_state")
        batch_op.drop_index(batch_op.f("ix_render_job_item_id"))

    op.drop_table("render_job")
    with op.batch_alter_table("print_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_print_file_item_id"))

    op.drop_table("print_file")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_order_at")
        batch_op.drop_index(batch_op.f("ix_event_item_id"))

    op.drop_table("event")
    with op.batch_alter_table("order_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_item_sku"))
        batch_op.drop_index(batch_op.f("ix_order_item_parent_id"))
        batch_op.drop_index(batch_op.f("ix_order_item_order_id"))
        batch_op.drop_index("ix_item_vendor_status")
        batch_op.drop_index("ix_item_store_created")
        batch_op.drop_index("ix_item_status_created")
        batch_op.drop_index("ix_item_due")
        batch_op.drop_index("ix_item_created")
        batch_op.drop_index("ix_item_archived_status")

    op.drop_table("order_item")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_order_id"))

    op.drop_table("note")
    with op.batch_alter_table("sync_problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_problem_store_id"))

    op.drop_table("sync_problem")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_vendor_id"))
        batch_op.drop_index(batch_op.f("ix_submission_state"))

    op.drop_table("submission")
    with op.batch_alter_table("product_mapping", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_mapping_store_id"))
        batch_op.drop_index(batch_op.f("ix_product_mapping_product_id"))

    op.drop_table("product_mapping")
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_order_store_id"))
        batch_op.drop_index(batch_op.f("ix_order_name"))
        batch_op.drop_index(batch_op.f("ix_order_customer_email"))
        batch_op.drop_index("ix_order_created")
        batch_op.drop_index(batch_op.f("ix_order_archived"))

    op.drop_table("order")
    with op.batch_alter_table("vendor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vendor_name"))

    op.drop_table("vendor")
    with op.batch_alter_table("store", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_store_name"))

    op.drop_table("store")
    with op.batch_alter_table("artwork", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_artwork_name"))

    op.drop_table("artwork")
