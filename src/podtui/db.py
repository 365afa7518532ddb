"""Engine, sessions and migrations: SQLite (WAL) by default, PostgreSQL by URL.

Reads use ordinary deferred transactions. Writes on SQLite begin with `BEGIN IMMEDIATE`, so two
processes that race for the same row queue on the write lock (busy timeout) and the loser then
sees the winner's change, instead of failing with a stale snapshot; on PostgreSQL the
compare-and-set `WHERE status = :expected` settles the same race.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from podtui.config import check_database_file, sqlite_file
from podtui.domain.errors import DatabaseUnavailableError

BUSY_TIMEOUT_MS = 10_000


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's begin event issue BEGIN; pysqlite's own handling would defer it.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache: list windows stay hot
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    mode = "IMMEDIATE" if conn.get_execution_options().get("podtui_write") else "DEFERRED"
    conn.exec_driver_sql(f"BEGIN {mode}")


def normalise_url(url: str) -> str:
    """`url` with psycopg 3 named as PostgreSQL's driver: a plain `postgresql://` URL would make
    SQLAlchemy look for psycopg2, which podtui does not ship."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed.render_as_string(hide_password=False)
    return url


def make_engine(url: str) -> Engine:
    """An engine for `url` with podtui's connection settings applied."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", "podtui:migrations")
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision` (applied at every start)."""
    command.upgrade(alembic_config(engine), revision)


class Database:
    """The open database: an engine plus read and write sessions."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._write_engine = self.engine.execution_options(podtui_write=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def migrate(self) -> None:
        migrate(self.engine)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; it never takes the write lock."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One use-case's transaction: committed on success, rolled back on any error."""
        with Session(self._write_engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()


def unavailable_reason(exc: OperationalError, url: str) -> str:
    """An error of the database itself (cannot open, read-only, locked) in one plain line."""
    path = sqlite_file(url)
    where = f"the database {path}" if path is not None else "the database"
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else "it failed"
    if "readonly" in reason.replace("-", "").replace(" ", ""):
        return f"{where} is read-only: podtui needs to write it ({reason})"
    return f"cannot use {where}: {reason}"


def open_database(url: str, *, migrate_schema: bool = True) -> Database:
    """Open (and by default migrate) the database at `url`.

    Raises DatabaseUnavailableError, in plain words, when it cannot be opened or written.
    """
    path = sqlite_file(url)
    if path is not None:
        check_database_file(path)
    db = Database(url)
    try:
        if migrate_schema:
            db.migrate()
    except OperationalError as exc:
        db.dispose()
        raise DatabaseUnavailableError(unavailable_reason(exc, url)) from exc
    return db
