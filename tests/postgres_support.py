"""The suite on PostgreSQL: a database per test worker, migrated once and emptied before each test.

Set PODTUI_TEST_DATABASE_URL to a server URL (`postgresql://postgres@127.0.0.1:5432/test`); each
worker creates `podtui_test_<worker>_<pid>` on that server and drops it at the end. Emptying
(`DELETE` from every table, sequences restarted) is ten times quicker than a `CREATE DATABASE`
per test and leaves the ids a fresh database would give. Commits in tests do not wait for the
disk (`synchronous_commit=off`, a per-connection setting): a crash of the test server loses
nothing a test needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from podtui.db import normalise_url, open_database

_EMPTY = """
DO $$ DECLARE r record; BEGIN
  SET LOCAL session_replication_role = replica;  -- no FK checks: any order of deletes
  FOR r IN SELECT tablename FROM pg_tables
           WHERE schemaname = 'public' AND tablename <> 'alembic_version' LOOP
    EXECUTE format('DELETE FROM %I', r.tablename);
  END LOOP;
  FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
    EXECUTE format('ALTER SEQUENCE %I RESTART', r.sequencename);
  END LOOP;
END $$;
"""


def _with_fast_commits(url: str) -> str:
    parsed = make_url(normalise_url(url))
    options = parsed.query.get("options", "")
    extra = "-c synchronous_commit=off -c lock_timeout=20000"
    merged = f"{options} {extra}".strip() if isinstance(options, str) else extra
    return parsed.update_query_dict({"options": merged}).render_as_string(hide_password=False)


@contextmanager
def worker_database(server_url: str, worker_id: str) -> Iterator[str]:
    """A fresh migrated database on `server_url`'s server for this worker; dropped afterwards."""
    name = f"podtui_test_{worker_id}_{os.getpid()}".lower()
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = _with_fast_commits(
        make_url(normalise_url(server_url)).set(database=name).render_as_string(False)
    )
    open_database(url).dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty(url: str) -> None:
    """Every table of the database at `url` emptied, its sequences restarted."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text(_EMPTY))
    finally:
        engine.dispose()


DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/test"


def server_url() -> str | None:
    """A PostgreSQL server to make databases on: PODTUI_TEST_DATABASE_URL, else the local one if
    it answers; None when there is none."""
    url = os.environ.get("PODTUI_TEST_DATABASE_URL") or DEFAULT_SERVER
    engine = create_engine(
        normalise_url(url), poolclass=NullPool, connect_args={"connect_timeout": 2}
    )
    try:
        with engine.connect():
            return url
    except Exception:
        return None
    finally:
        engine.dispose()


@contextmanager
def scratch_database(server: str, name: str) -> Iterator[str]:
    """An empty, unmigrated database `name` on `server` for one test; dropped afterwards."""
    admin = create_engine(normalise_url(server), isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_fast_commits(
            make_url(normalise_url(server)).set(database=name).render_as_string(False)
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
