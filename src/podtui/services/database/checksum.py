"""A table's rows as one checksum that SQLite and PostgreSQL agree on.

Each row becomes JSON with sorted keys, in primary-key order: times in UTC as ISO 8601 with
microseconds (SQLite hands back naive times, which podtui always wrote as UTC), NULL as null and
an empty string as "" (never the same), enums as their values, JSON columns with sorted keys, text
as UTF-8. Two databases holding the same rows give the same count and digest, whatever driver
read them.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, select

BATCH = 5_000


@dataclass(frozen=True)
class TableSum:
    """One table's row count and digest."""

    table: str
    rows: int
    digest: str


def canonical(value: Any) -> Any:
    """`value` as plain JSON data, the same from either database."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return canonical(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return value


def row_line(row: Mapping[str, Any]) -> bytes:
    """One row as a line of canonical JSON (sorted keys, UTF-8)."""
    data = {key: canonical(value) for key, value in row.items()}
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def rows_in_key_order(conn: Connection, table: Table) -> Iterator[RowMapping]:
    """Every row of `table`, in primary-key order, read a batch at a time."""
    key = list(table.primary_key.columns)
    result = conn.execution_options(yield_per=BATCH).execute(select(table).order_by(*key))
    for row in result:
        yield row._mapping


def table_sum(conn: Connection, table: Table) -> TableSum:
    """The count and SHA-256 of `table`'s canonical rows."""
    digest = hashlib.sha256()
    count = 0
    for row in rows_in_key_order(conn, table):
        digest.update(row_line(dict(row)))
        digest.update(b"\n")
        count += 1
    return TableSum(table.name, count, digest.hexdigest())
