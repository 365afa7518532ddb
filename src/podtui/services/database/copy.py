"""`podtui db copy`: a shop's whole database into another one, SQLite to PostgreSQL and back.

The target is migrated to the newest schema and must be empty: copying into a database that
already holds orders would mix two shops, so it is refused before anything is written. Tables
are copied parents first (the order of their foreign keys), each in batches in primary-key order,
in one transaction per table; PostgreSQL's id sequences are then moved past the copied ids.
Last, every table is read back from both sides and compared by row count and checksum
(`checksum.py`); a difference is an error naming the table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice

from sqlalchemy import Connection, Table, func, select, text
from sqlmodel import SQLModel

import podtui.domain.models  # noqa: F401  (registers every table on SQLModel.metadata)
from podtui.db import Database, open_database
from podtui.domain.errors import DomainError
from podtui.domain.wording import count
from podtui.services.database.checksum import BATCH, TableSum, rows_in_key_order, table_sum

Progress = Callable[[str, int], None]


class CopyRefusedError(DomainError):
    """The copy cannot start (the target is not empty, or is the source)."""


class CopyMismatchError(DomainError):
    """The copy finished but a table differs between the two databases."""


@dataclass
class CopyReport:
    """What was copied, and the checksums both sides agreed on."""

    tables: list[TableSum] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def tables() -> list[Table]:
    """podtui's tables, parents before the tables that point at them."""
    return list(SQLModel.metadata.sorted_tables)


def _nonempty(conn: Connection) -> list[tuple[str, int]]:
    found = []
    for table in tables():
        count = conn.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            found.append((table.name, int(count)))
    return found


def _copy_table(source: Connection, target: Connection, table: Table, progress: Progress) -> int:
    rows = rows_in_key_order(source, table)
    copied = 0
    while batch := [dict(row) for row in islice(rows, BATCH)]:
        target.execute(table.insert(), batch)
        copied += len(batch)
        progress(table.name, copied)
    return copied


def _move_sequences(target: Connection) -> None:
    """PostgreSQL hands out ids from sequences, which inserted ids do not move: set each past
    the largest copied id, or the next new row would collide with a copied one."""
    for table in tables():
        key = list(table.primary_key.columns)
        if len(key) != 1 or not key[0].autoincrement or key[0].type.python_type is not int:
            continue
        name = table.name.replace('"', '""')
        target.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'coalesce((SELECT max("{key[0].name}") FROM "{name}"), 0) + 1, false)'
            ),
            {"table": f'"{name}"', "column": key[0].name},
        )


def verify(source: Database, target: Database) -> list[TableSum]:
    """Both databases' tables compared by count and checksum; CopyMismatchError on a difference."""
    sums = []
    with source.engine.connect() as a, target.engine.connect() as b:
        for table in tables():
            left, right = table_sum(a, table), table_sum(b, table)
            if left != right:
                raise CopyMismatchError(
                    f"table {table.name} differs after the copy: {count(left.rows, 'row')} "
                    f"(sha256 {left.digest[:12]}) in the source, {count(right.rows, 'row')} "
                    f"(sha256 {right.digest[:12]}) in the target"
                )
            sums.append(left)
    return sums


def copy_database(
    source: Database, target_url: str, progress: Progress | None = None
) -> CopyReport:
    """Copy every row of `source` into the empty database at `target_url`, then verify it."""
    if target_url == source.url:
        raise CopyRefusedError("the target is the database podtui is using: name another one")
    target = open_database(target_url)
    try:
        with target.engine.connect() as conn:
            if found := _nonempty(conn):
                listed = ", ".join(f"{name} ({count(n, 'row')})" for name, n in found[:4])
                raise CopyRefusedError(
                    f"the target database is not empty: {listed}. podtui copies only into an "
                    "empty database, so that two shops' orders are never mixed"
                )
        tell = progress or (lambda _table, _rows: None)
        with source.engine.connect() as src:
            for table in tables():
                with target.engine.begin() as dst:
                    _copy_table(src, dst, table, tell)
        if target.engine.dialect.name == "postgresql":
            with target.engine.begin() as dst:
                _move_sequences(dst)
        return CopyReport(verify(source, target))
    finally:
        target.dispose()
