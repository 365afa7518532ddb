"""Bulk inserts for the demo seeder: a raw SQLite path and a portable SQLAlchemy Core path.

The SQLite path hands pre-rendered rows to the DBAPI cursor's `executemany` and so must render
values exactly as SQLAlchemy would: datetimes as naive UTC text `YYYY-MM-DD HH:MM:SS.ffffff` (what
`UTCDateTime` on SQLite's `DATETIME` writes, and reads back as aware UTC), JSON as `json.dumps`
text, booleans as 0/1. The Core path passes Python values and lets the column types render them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select, text
from sqlmodel import SQLModel

from podtui.db import Database
from podtui.demo.codec import Codec, ObjectCodec, TextCodec


class BulkWriter:
    """Writes row chunks in their own transactions; subclasses say how."""

    name = ""
    codec: Codec

    def next_ids(self, tables: tuple[str, ...]) -> dict[str, int]:
        raise NotImplementedError

    def begin(self, tables: tuple[str, ...] = ()) -> None:
        """Start writing rows of `tables`."""
        raise NotImplementedError

    def write(
        self, rows: dict[str, list[tuple[Any, ...]]], columns: dict[str, tuple[str, ...]]
    ) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SqliteWriter(BulkWriter):
    """Raw `executemany` on the DBAPI connection, all in ONE transaction.

    When the tables are empty their indexes are dropped first and rebuilt (sorted, much faster
    than a million random B-tree inserts) before the commit. DDL is transactional in SQLite, so a
    seed that dies half way rolls back to the empty database with every index in place.
    """

    name = "sqlite-executemany"

    def __init__(self, db: Database) -> None:
        self.codec = TextCodec()
        db.engine.dispose()  # idle pooled connections would keep the file in WAL mode
        self._conn = db.engine.raw_connection()
        self._cur = self._conn.cursor()
        self._sql: dict[str, str] = {}
        self._indexes: list[str] = []
        self._open = False
        self._left_wal = False

    def next_ids(self, tables: tuple[str, ...]) -> dict[str, int]:
        out = {}
        for table in tables:
            row = self._cur.execute(
                f"SELECT coalesce(max(id), 0) + 1 FROM {_quote(table)}"
            ).fetchone()
            out[table] = int(row[0]) if row else 1
        return out

    def begin(self, tables: tuple[str, ...] = ()) -> None:
        # The demo database is rebuilt, never repaired: no fsync while it is written.
        self._cur.execute("PRAGMA synchronous=OFF")
        # Rebuilding the indexes sorts millions of keys: on disk, not in RAM shared with others.
        self._cur.execute("PRAGMA temp_store=FILE")
        # Out of WAL, a transaction appends new pages straight to the file: written once, not
        # once to the WAL and again at the checkpoint, and still atomic (the rollback journal
        # only holds the few pages that existed). It needs the file to itself; else stay in WAL.
        try:
            mode = self._cur.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except Exception:
            mode = "wal"
        self._left_wal = str(mode).lower() == "delete"
        # The rows reference each other by construction (the tests check every link); checking
        # ~15 foreign keys per item would cost more than writing it.
        self._cur.execute("PRAGMA foreign_keys=OFF")
        self._cur.execute("BEGIN IMMEDIATE")
        self._open = True
        empty = all(
            self._cur.execute(f"SELECT NOT EXISTS (SELECT 1 FROM {_quote(t)})").fetchone()[0]
            for t in tables
        )
        if tables and empty:
            marks = ", ".join("?" * len(tables))
            found = self._cur.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks})",
                tables,
            ).fetchall()
            for name, sql in found:
                self._cur.execute(f"DROP INDEX {_quote(name)}")
                self._indexes.append(sql)

    def write(
        self, rows: dict[str, list[tuple[Any, ...]]], columns: dict[str, tuple[str, ...]]
    ) -> None:
        for table, batch in rows.items():
            if not batch:
                continue
            sql = self._sql.get(table)
            if sql is None:
                cols = columns[table]
                sql = self._sql[table] = (
                    f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, cols))}) "
                    f"VALUES ({', '.join('?' * len(cols))})"
                )
            self._cur.executemany(sql, batch)

    def finish(self) -> None:
        for sql in self._indexes:
            self._cur.execute(sql)
        self._cur.execute("COMMIT")
        self._open = False
        self._cur.execute("PRAGMA optimize")
        self._restore()

    def abort(self) -> None:
        if self._open:
            self._cur.execute("ROLLBACK")
        self._restore()

    def _restore(self) -> None:
        if self._left_wal:
            self._cur.execute("PRAGMA journal_mode=WAL")
        self._cur.execute("PRAGMA synchronous=NORMAL")
        self._cur.execute("PRAGMA temp_store=MEMORY")
        self._cur.execute("PRAGMA foreign_keys=ON")
        self._close()

    def _close(self) -> None:
        self._cur.close()
        self._conn.close()


class CoreWriter(BulkWriter):
    """SQLAlchemy Core `insert(table)` with executemany; works on any database SQLAlchemy knows."""

    name = "sqlalchemy-core"

    def __init__(self, db: Database) -> None:
        self.codec = ObjectCodec()
        self._conn: Connection = db.engine.execution_options(podtui_write=True).connect()
        self._tables = SQLModel.metadata.tables

    def next_ids(self, tables: tuple[str, ...]) -> dict[str, int]:
        out = {}
        for name in tables:
            table = self._tables[name]
            out[name] = (
                int(self._conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
                + 1
            )
        self._conn.commit()
        return out

    def begin(self, tables: tuple[str, ...] = ()) -> None:
        self._conn.begin()

    def write(
        self, rows: dict[str, list[tuple[Any, ...]]], columns: dict[str, tuple[str, ...]]
    ) -> None:
        for name, batch in rows.items():
            if batch:
                cols = columns[name]
                self._conn.execute(
                    insert(self._tables[name]), [dict(zip(cols, row, strict=True)) for row in batch]
                )
        self._conn.commit()
        self._conn.begin()

    def finish(self) -> None:
        self._conn.commit()
        if self._conn.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for name in ("order", "order_item", "submission", "note"):
                self._conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{_quote(name)}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {_quote(name)}))"
                    )
                )
            self._conn.commit()
        self._conn.close()

    def abort(self) -> None:
        self._conn.rollback()
        self._conn.close()


def make_writer(db: Database, *, portable: bool = False) -> BulkWriter:
    """The fastest writer `db` supports (`portable=True` forces the Core path)."""
    if db.is_sqlite and not portable:
        return SqliteWriter(db)
    return CoreWriter(db)
