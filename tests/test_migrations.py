"""A database made by the first migration opens in this podtui with its data intact."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlmodel import SQLModel

from podtui.db import Database, alembic_config, make_engine, migrate, open_database
from podtui.domain.status import ItemStatus
from podtui.migrations import POSTGRESQL_ONLY_INDEXES, RAW_SQL_INDEXES, include_object
from podtui.services.items import actions
from podtui.services.items import split as item_split

OLD_ROWS = [
    "INSERT INTO store (id, name, kind, base_url, auto_submit_hours, sync_failures, settings,"
    " created_at) VALUES (1, 'Old shop', 'woocommerce', '', 0, 0, '{}', '2025-01-01 00:00:00')",
    'INSERT INTO "order" (id, store_id, store_order_id, name, number, created_at, customer_name,'
    " customer_email, ship_name, ship_company, ship_address1, ship_address2, ship_city, ship_state,"
    " ship_postal_code, ship_country, ship_phone, ship_email, shipping_method, subtotal, total,"
    " currency, payment_method, store_status, payment_status, store_fulfillment_status, source,"
    " customer_note, archived, local_edits, store_pending, raw, synced_at) VALUES (1, 1, '501',"
    " '#501', '501', '2025-01-02 10:00:00', 'Zoë Ångström', 'zoe@example.com', 'Zoë Ångström', '',"
    " 'Drottninggatan 1', '', 'Stockholm', '', '111 51', 'SE', '', '', 'standard', '10.00',"
    " '12.00', 'SEK', 'card', 'processing', 'paid', 'unfulfilled', 'store', '', 0, '[]', '{}',"
    " '{\"id\": 501}', '2025-01-02 10:00:00')",
    "INSERT INTO order_item (id, order_id, store_line_id, product_id, variant_id, sku, title,"
    " variant_title, quantity, unit_price, personalization_raw, personalization, status, managed,"
    " store_id, order_created_at, archived, version, created_at, updated_at) VALUES (1, 1, 'l1',"
    " 'p1', 'v1', 'MUG', 'Mug', '', 3, '5.00', '[{\"key\": \"Name\", \"value\": \"Zoë\"}]',"
    " '{\"name\": \"Zoë\"}', 'waiting_approval', 1, 1, '2025-01-02 10:00:00', 0, 0,"
    " '2025-01-02 10:00:00', '2025-01-02 10:00:00')",
    "INSERT INTO event (id, at, user, type, order_id, item_id, from_status, to_status, params)"
    " VALUES (1, '2025-01-02 10:01:00', 'old', 'sync', 1, 1, NULL, 'waiting_approval', '{}')",
]


def _indexes(url: str, table: str) -> set[str]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
        ).all()
    engine.dispose()
    return {r[0] for r in rows}


def test_a_database_made_by_0001_upgrades_with_its_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0001")
    with engine.begin() as conn:
        for sql in OLD_ROWS:
            conn.exec_driver_sql(sql)
    engine.dispose()
    assert "ix_event_item_id" in _indexes(url, "event")

    db = open_database(url)  # migrates to head, as every start does
    head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
        assert conn.execute(text('SELECT name, ship_city FROM "order"')).all() == [
            ("#501", "Stockholm")
        ]
        assert conn.execute(text("SELECT type, user FROM event")).all() == [("sync", "old")]
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT * FROM event WHERE item_id = 1 ORDER BY at"
        ).all()
    assert "ix_event_item_at" in " ".join(str(r) for r in plan)
    indexes = _indexes(url, "event")
    assert "ix_event_item_at" in indexes
    assert "ix_event_item_id" not in indexes  # its prefix does the same job

    # The old rows work with today's services.
    with db.write() as s:
        item_split.split(s, 1, [1, 2])
    with db.write() as s:
        item = actions.approve(s, 1)
    assert item.status is ItemStatus.RENDERING
    assert item.personalization == {"name": "Zoë"}
    db.dispose()


def test_downgrade_to_0001_and_back_keeps_the_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.db'}"
    db = open_database(url)
    with db.engine.begin() as conn:
        for sql in OLD_ROWS:
            conn.exec_driver_sql(sql)
    command.downgrade(alembic_config(db.engine), "0001")
    assert "ix_event_item_id" in _indexes(url, "event")
    migrate(db.engine)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM event")).scalar() == 1
    db.dispose()


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do at head: every model change has its migration."""
    db = open_database(f"sqlite:///{tmp_path / 'db.db'}")
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_object}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
    db.dispose()


def test_raw_sql_indexes_listed_for_autogenerate_exist_at_head(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.db'}"
    open_database(url).dispose()
    present = _indexes(url, "order_item") | _indexes(url, "order")
    assert present >= RAW_SQL_INDEXES


def test_postgresql_has_its_own_raw_sql_indexes_too(db: Database) -> None:
    if db.is_sqlite:
        return  # the SQLite run checks SQLite's above; this one is for the PostgreSQL run
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('order_item', 'order', 'shipment')"
        ).all()
    assert {r[0] for r in rows} >= RAW_SQL_INDEXES | POSTGRESQL_ONLY_INDEXES


def test_mappings_lose_the_sku_from_their_key_keeping_the_newest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0006")
    with engine.begin() as conn:
        conn.exec_driver_sql(OLD_ROWS[0])
        for n, (variant, sku) in enumerate((("v1", "A"), ("v1", "B"), ("v2", "A")), start=1):
            conn.exec_driver_sql(
                "INSERT INTO product_mapping (id, store_id, product_id, variant_id, sku,"
                " vendor_product, created_at) VALUES (?, 1, 'p1', ?, ?, '{}',"
                " '2025-01-01 00:00:00')",
                (n, variant, sku),
            )
    engine.dispose()
    db = open_database(url)
    with db.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, variant_id, sku, hs_code, updated_at FROM product_mapping ORDER BY id")
        ).all()
    assert [tuple(r[:4]) for r in rows] == [(2, "v1", "B", ""), (3, "v2", "A", "")]
    assert all(r[4] is not None for r in rows)
    from podtui.domain.models import ProductMapping

    with db.write() as s:  # a new row gets the next id, and the new key holds
        s.add(ProductMapping(store_id=1, product_id="p1", variant_id="v3"))
    with db.read() as s:
        from sqlmodel import select

        assert sorted(m.id for m in s.exec(select(ProductMapping)).all()) == [2, 3, 4]
    db.dispose()


def test_woocommerce_orders_take_their_shipping_cost_from_the_stored_payload(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0018")
    with engine.begin() as conn:
        conn.exec_driver_sql(OLD_ROWS[0])
        conn.exec_driver_sql(
            OLD_ROWS[1].replace("'{\"id\": 501}'", '\'{"shipping_total": "7.5"}\'')
        )
        conn.exec_driver_sql(
            OLD_ROWS[1]
            .replace("(1, 1, '501', '#501'", "(2, 1, '502', '#502'")
            .replace("'{\"id\": 501}'", '\'{"shipping_total": "free"}\'')
        )
    migrate(engine, "head")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql('SELECT name, shipping_total FROM "order" ORDER BY id').all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("#501", "7.50"), ("#502", "0.00")]
